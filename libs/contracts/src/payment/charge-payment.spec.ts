import { schemaVersionOf, upcastToLatest } from '../message';
import { ChargePayment, chargeDeadline } from './charge-payment';

describe('ChargePayment', () => {
  const charge = { orderId: '3b241101-e2bb-4255-8caf-4136c566a962', customerId: 'ada', amount: 25.99 };
  const expiresAt = '2025-01-01T12:00:30.000Z';
  const publishedAt = new Date('2025-01-01T12:05:00.000Z');
  const receivedAt = new Date('2025-01-01T12:05:00.200Z');
  const upcast = (v1: object, delivery: { publishedAt?: Date; receivedAt: Date }) =>
    upcastToLatest(ChargePayment, 1, ChargePayment.schemas.get(1)!.parse(v1), delivery) as ChargePayment;

  it('is produced as version 2, and can still be produced as version 1', () => {
    expect(ChargePayment.latestVersion).toBe(2);
    expect(schemaVersionOf(ChargePayment.v2({ ...charge, validForMs: 30_000 }))).toBe(2);
    const v1 = ChargePayment.v1({ ...charge, expiresAt });
    expect(schemaVersionOf(v1)).toBe(1);
    expect(JSON.parse(JSON.stringify(v1))).toEqual({ ...charge, expiresAt });
  });

  describe('version 2', () => {
    const v2 = ChargePayment.schemas.get(2)!;

    it('requires validForMs, a positive whole number of milliseconds up to a day', () => {
      expect(v2.safeParse({ ...charge, validForMs: 30_000 }).success).toBe(true);
      for (const validForMs of [undefined, 0, -1, 1.5, 86_400_001]) {
        const parsed = v2.safeParse({ ...charge, validForMs });
        expect(parsed.error?.issues).toEqual([expect.objectContaining({ path: ['validForMs'] })]);
      }
    });

    it('ends validForMs after the command was published, or received if it does not say when it was published', () => {
      expect(chargeDeadline({ validForMs: 30_000 }, { publishedAt, receivedAt })).toEqual(
        new Date('2025-01-01T12:05:30.000Z'),
      );
      expect(chargeDeadline({ validForMs: 30_000 }, { receivedAt })).toEqual(
        new Date('2025-01-01T12:05:30.200Z'),
      );
    });
  });

  describe('version 1, upcast to version 2', () => {
    it('requires expiresAt', () => {
      const parsed = ChargePayment.schemas.get(1)!.safeParse({ ...charge, validForMs: 30_000 });
      expect(parsed.error?.issues).toEqual([expect.objectContaining({ path: ['expiresAt'] })]);
    });

    it('keeps validForMs when it came with a publish time, as v1 consumers counted it from then', () => {
      const delivery = { publishedAt, receivedAt };
      const latest = upcast({ ...charge, expiresAt, validForMs: 30_000 }, delivery);
      expect(latest).toEqual({ ...charge, validForMs: 30_000 });
      expect(chargeDeadline(latest, delivery)).toEqual(new Date(publishedAt.getTime() + 30_000));
    });

    it.each([
      ['with validForMs but no publish time', { validForMs: 30_000 }, { receivedAt }],
      ['without validForMs, with a publish time', {}, { publishedAt, receivedAt }],
      ['without validForMs nor a publish time', {}, { receivedAt }],
    ])('ends at expiresAt, as v1 consumers read one %s', (_, extra, delivery) => {
      const latest = upcast({ ...charge, expiresAt, ...extra }, delivery);
      expect(Object.keys(latest).sort()).toEqual(['amount', 'customerId', 'orderId', 'validForMs']);
      expect(chargeDeadline(latest, delivery)).toEqual(new Date(expiresAt));
    });

    it('gives a validity of zero or less to one that had expired before it was sent', () => {
      const latest = upcast({ ...charge, expiresAt }, { publishedAt, receivedAt });
      expect(latest.validForMs).toBe(Date.parse(expiresAt) - publishedAt.getTime());
      expect(latest.validForMs).toBeLessThan(0);
    });
  });
});
