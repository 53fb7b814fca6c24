import { z } from 'zod';
import { ChargePayment, command, ReserveStock, schemaVersionOf } from '@platform/contracts';
import { decodeDelivery, MAX_MESSAGE_BYTES } from './decode-delivery';

const handled = new Map([[ReserveStock.type, ReserveStock]]);
const orderId = '3b241101-e2bb-4255-8caf-4136c566a962';
const messageId = '6f1c3c52-2f5e-4a43-9d5b-0c7c4e0f3a11';

const delivery = (body: string, properties: Record<string, unknown> = {}) => ({
  content: Buffer.from(body),
  properties: {
    messageId,
    type: 'ReserveStock',
    userId: 'order-service',
    headers: { 'x-schema-version': 1 },
    ...properties,
  } as never,
});

describe('decoding a delivery at the consumer boundary', () => {
  it('gives an instance of the contract class for a valid message', () => {
    const result = decodeDelivery(
      delivery(JSON.stringify({ orderId, lines: [{ sku: 'a', quantity: 2 }] })),
      handled,
    );
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.message).toBeInstanceOf(ReserveStock);
      expect((result.message as ReserveStock).lines).toEqual([{ sku: 'a', quantity: 2 }]);
    }
  });

  it.each([
    ['a body that is not JSON', delivery('{"orderId":'), 'malformed-body'],
    ['a payload that breaks the schema', delivery(JSON.stringify({ orderId, lines: [] })), 'invalid-payload'],
    ['a type the queue does not handle', delivery('{}', { type: 'Nope' }), 'unknown-type'],
    ['a missing message id', delivery('{}', { messageId: undefined }), 'invalid-envelope'],
    [
      'an unknown schema version',
      delivery('{}', { headers: { 'x-schema-version': 9 } }),
      'unsupported-version',
    ],
    ['a missing schema version', delivery('{}', { headers: {} }), 'unsupported-version'],
    ['an oversized body', delivery('x'.repeat(MAX_MESSAGE_BYTES + 1)), 'too-large'],
    [
      'a command from a service that does not send it',
      delivery('{}', { userId: 'payment-service' }),
      'unexpected-sender',
    ],
    ['a command with no user-id', delivery('{}', { userId: undefined }), 'unexpected-sender'],
  ])('rejects %s', (_, input, reason) => {
    const result = decodeDelivery(input, handled);
    expect(result).toMatchObject({ ok: false, reason });
  });

  it('names the failing field of an invalid payload', () => {
    const result = decodeDelivery(
      delivery(JSON.stringify({ orderId, lines: [{ sku: 'a', quantity: -1 }] })),
      handled,
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain('lines.0.quantity');
  });
});

describe('decoding a message that has two schema versions', () => {
  const handled = new Map([[ChargePayment.type, ChargePayment]]);
  const charge = { orderId, customerId: 'ada', amount: 25.99 };
  const publishedAt = Date.parse('2025-01-01T12:05:00.000Z');
  const receivedAt = new Date('2025-01-01T12:05:00.200Z');

  const chargeDelivery = (body: object, headers: Record<string, unknown>) => ({
    content: Buffer.from(JSON.stringify(body)),
    properties: { messageId, type: 'ChargePayment', userId: 'order-service', headers } as never,
  });
  const decode = (body: object, headers: Record<string, unknown>) =>
    decodeDelivery(chargeDelivery(body, headers), handled, receivedAt);

  it('gives a version 2 message as it was sent', () => {
    const result = decode({ ...charge, validForMs: 30_000 }, { 'x-schema-version': 2 });
    expect(result).toMatchObject({ ok: true, version: 2, receivedAt });
    if (result.ok) {
      expect(result.message).toBeInstanceOf(ChargePayment);
      expect({ ...result.message }).toEqual({ ...charge, validForMs: 30_000 });
      expect(schemaVersionOf(result.message)).toBe(2);
    }
  });

  it('validates a version 1 message as version 1, then gives it upcast to version 2', () => {
    const result = decode(
      { ...charge, expiresAt: '2025-01-01T12:05:30.000Z' },
      { 'x-schema-version': 1, 'x-published-at': publishedAt },
    );
    expect(result).toMatchObject({ ok: true, version: 1, publishedAt: new Date(publishedAt), receivedAt });
    if (result.ok) {
      expect(result.message).toBeInstanceOf(ChargePayment);
      expect({ ...result.message }).toEqual({ ...charge, validForMs: 30_000 });
      expect(schemaVersionOf(result.message)).toBe(2);
    }
  });

  it('accepts the version given as a digit string, as tools send headers', () => {
    expect(decode({ ...charge, validForMs: 1 }, { 'x-schema-version': '2' })).toMatchObject({ ok: true });
  });

  it('rejects a version 1 message that breaks the version 1 schema, naming the field', () => {
    const result = decode({ ...charge, validForMs: 30_000 }, { 'x-schema-version': 1 });
    expect(result).toEqual({
      ok: false,
      reason: 'invalid-payload',
      error: expect.stringMatching(/^expiresAt: /),
    });
  });

  it('rejects a version 1 body sent as version 2, naming the field', () => {
    const v1Body = { ...charge, expiresAt: '2025-01-01T12:05:30.000Z' };
    expect(decode(v1Body, { 'x-schema-version': 2 })).toEqual({
      ok: false,
      reason: 'invalid-payload',
      error: expect.stringMatching(/^validForMs: /),
    });
  });

  it.each([
    ['an unknown version', { 'x-schema-version': 3 }, 'came with x-schema-version 3'],
    ['a version that is not a number', { 'x-schema-version': 'two' }, 'came with x-schema-version two'],
    ['no version at all', {}, 'came with no x-schema-version header'],
  ])('rejects %s, saying which versions it reads', (_, headers, said) => {
    expect(decode({ ...charge, validForMs: 30_000 }, headers)).toEqual({
      ok: false,
      reason: 'unsupported-version',
      error: `ChargePayment ${said}; this service reads versions 1, 2`,
    });
  });
});

describe('decoding a message whose upcast fails', () => {
  class Renamed extends command('test', 'Renamed', z.object({ name: z.string() }), {
    sentBy: 'test',
  }).version(2, z.object({ title: z.string() }), ({ name }) => {
    if (name === '') throw new Error('an empty name has no title');
    return { title: name };
  }) {}

  it("rejects it as not upcastable, with the upcast's error", () => {
    const result = decodeDelivery(
      {
        content: Buffer.from(JSON.stringify({ name: '' })),
        properties: {
          messageId,
          type: 'Renamed',
          userId: 'test-service',
          headers: { 'x-schema-version': 1 },
        } as never,
      },
      new Map([[Renamed.type, Renamed]]),
    );
    expect(result).toEqual({
      ok: false,
      reason: 'upcast-failed',
      error: 'upcasting Renamed from version 1 to 2 failed: an empty name has no title',
    });
  });
});

describe('checking who sent a delivery', () => {
  const body = JSON.stringify({ orderId, lines: [{ sku: 'a', quantity: 1 }] });
  const from = (userId: string | undefined, ownUser?: string) =>
    decodeDelivery(delivery(body, { userId }), handled, new Date(), ownUser);

  it("accepts the contract's sender, and the consumer's own user (its retries and replays)", () => {
    expect(from('order-service', 'inventory-service').ok).toBe(true);
    expect(from('inventory-service', 'inventory-service').ok).toBe(true);
  });

  it('refuses any other broker user, naming the one expected and the one it got', () => {
    const result = from('payment-service', 'inventory-service');
    expect(result).toEqual({
      ok: false,
      reason: 'unexpected-sender',
      error:
        'ReserveStock is sent only by order-service (user-id "order-service"), this came with user-id "payment-service"',
    });
  });

  it('accepts everything sent as the shared user where all services connect as one (development)', () => {
    expect(from('guest', 'guest').ok).toBe(true);
    expect(from('admin', 'guest').ok).toBe(false);
  });
});
