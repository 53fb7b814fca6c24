import { z } from 'zod';
import {
  event,
  messageTypeOf,
  schemaVersionOf,
  upcastToLatest,
  ReserveStock,
  StockReserved,
  OrderCancelled,
} from './index';

describe('a message defined in contracts', () => {
  const orderId = '3b241101-e2bb-4255-8caf-4136c566a962';

  it('carries its routing facts on the class', () => {
    expect(ReserveStock.routingKey).toBe('inventory.ReserveStock');
    expect(ReserveStock.exchange).toBe('commands');
    expect(OrderCancelled.routingKey).toBe('order.OrderCancelled');
    expect(OrderCancelled.exchange).toBe('events');
  });

  it('serializes to its payload only and remembers its schema version', () => {
    const message = StockReserved.v1({
      orderId,
      lines: [{ sku: 'a', quantity: 1, unitPrice: 2.5 }],
      total: 2.5,
    });
    expect(JSON.parse(JSON.stringify(message))).toEqual({
      orderId,
      lines: [{ sku: 'a', quantity: 1, unitPrice: 2.5 }],
      total: 2.5,
    });
    expect(schemaVersionOf(message)).toBe(1);
    expect(messageTypeOf(message)).toBe(StockReserved);
    expect(message).toBeInstanceOf(StockReserved);
  });

  it('rejects payloads that break the schema', () => {
    const schema = ReserveStock.schemas.get(1)!;
    expect(schema.safeParse({ orderId, lines: [] }).success).toBe(false);
    expect(schema.safeParse({ orderId: 'x', lines: [{ sku: 'a', quantity: 1 }] }).success).toBe(false);
    expect(schema.safeParse({ orderId, lines: [{ sku: 'a', quantity: 1.5 }] }).success).toBe(false);
    expect(schema.safeParse({ orderId, lines: [{ sku: 'a', quantity: 2 }] }).success).toBe(true);
  });

  it('refuses a ReserveStock whose lines repeat a sku, naming the line', () => {
    const schema = ReserveStock.schemas.get(1)!;
    const parsed = schema.safeParse({
      orderId,
      lines: [
        { sku: 'a', quantity: 1 },
        { sku: 'b', quantity: 1 },
        { sku: 'a', quantity: 2 },
      ],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toEqual([
      expect.objectContaining({
        path: ['lines', 2, 'sku'],
        message: 'sku "a" repeats line 0; each sku goes on one line',
      }),
    ]);
  });

  it.each([
    ['a NUL in a sku', { sku: 'a\u0000', quantity: 1 }, ['lines', 0, 'sku']],
    ['a lone surrogate in a sku', { sku: '\ud800', quantity: 1 }, ['lines', 0, 'sku']],
  ])('refuses %s, which no database could store as sent', (_, line, path) => {
    const parsed = ReserveStock.schemas.get(1)!.safeParse({ orderId, lines: [line] });
    expect(parsed.error?.issues).toEqual([expect.objectContaining({ path })]);
  });

  it('refuses money with more than two decimals', () => {
    const schema = StockReserved.schemas.get(1)!;
    expect(
      schema.safeParse({ orderId, lines: [{ sku: 'a', quantity: 1, unitPrice: 1.005 }], total: 1 }).success,
    ).toBe(false);
  });
});

describe('a message with several schema versions', () => {
  /** A name that became two fields in v2 and gained a greeting in v3. */
  class Greeted extends event('test', 'Greeted', z.object({ name: z.string() }))
    .version(2, z.object({ first: z.string(), last: z.string() }), ({ name }) => {
      const [first, ...rest] = name.split(' ');
      return { first, last: rest.join(' ') };
    })
    .version(3, z.object({ first: z.string(), last: z.string(), greeting: z.string() }), (v2, delivery) => ({
      ...v2,
      greeting: delivery.publishedAt ? 'hello again' : 'hello',
    })) {}

  const delivery = { receivedAt: new Date('2025-01-01T12:00:00.000Z') };

  it('knows its versions, the latest last', () => {
    expect([...Greeted.schemas.keys()]).toEqual([1, 2, 3]);
    expect(Greeted.latestVersion).toBe(3);
    expect([...Greeted.upcasts.keys()]).toEqual([1, 2]);
  });

  it('creates the latest version by default and any older one on demand', () => {
    const latest = Greeted.v3({ first: 'Ada', last: 'Lovelace', greeting: 'hi' });
    expect(latest).toBeInstanceOf(Greeted);
    expect(schemaVersionOf(latest)).toBe(3);
    expect(schemaVersionOf(new Greeted({ first: 'Ada', last: 'Lovelace', greeting: 'hi' }))).toBe(3);

    const older = Greeted.v1({ name: 'Ada Lovelace' });
    expect(older).toBeInstanceOf(Greeted);
    expect(schemaVersionOf(older)).toBe(1);
    expect(messageTypeOf(older)).toBe(Greeted);
    expect(JSON.parse(JSON.stringify(older))).toEqual({ name: 'Ada Lovelace' });
  });

  it('upcasts a payload step by step to the latest version, passing the delivery to each step', () => {
    expect(upcastToLatest(Greeted, 1, { name: 'Ada King Lovelace' }, delivery)).toEqual({
      first: 'Ada',
      last: 'King Lovelace',
      greeting: 'hello',
    });
    expect(
      upcastToLatest(
        Greeted,
        2,
        { first: 'Ada', last: 'Lovelace' },
        { ...delivery, publishedAt: new Date() },
      ),
    ).toEqual({ first: 'Ada', last: 'Lovelace', greeting: 'hello again' });
  });

  it('leaves a payload of the latest version as it is', () => {
    const payload = { first: 'Ada', last: 'Lovelace', greeting: 'hi' };
    expect(upcastToLatest(Greeted, 3, payload, delivery)).toBe(payload);
  });

  it('keeps the wire number of a version once the older ones are deleted', () => {
    class Trimmed extends event('test', 'Trimmed', z.object({ first: z.string() }), { version: 2 }) {}
    expect([...Trimmed.schemas.keys()]).toEqual([2]);
    expect(Trimmed.latestVersion).toBe(2);
    expect(schemaVersionOf(Trimmed.v2({ first: 'Ada' }))).toBe(2);
    expect('v1' in Trimmed).toBe(false);
  });

  it('refuses a version that does not follow the latest', () => {
    const base = event('test', 'Skipping', z.object({ a: z.string() }));
    expect(() => base.version(3, z.object({ a: z.string() }), (v1) => v1)).toThrow(
      'test.Skipping: version 3 must follow the latest, 1',
    );
  });
});
