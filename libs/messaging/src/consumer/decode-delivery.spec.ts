import { ReserveStock } from '@platform/contracts';
import { decodeDelivery, MAX_MESSAGE_BYTES } from './decode-delivery';

const handled = new Map([[ReserveStock.type, ReserveStock]]);
const orderId = '3b241101-e2bb-4255-8caf-4136c566a962';
const messageId = '6f1c3c52-2f5e-4a43-9d5b-0c7c4e0f3a11';

const delivery = (body: string, properties: Record<string, unknown> = {}) => ({
  content: Buffer.from(body),
  properties: { messageId, type: 'ReserveStock', headers: { 'x-schema-version': 1 }, ...properties } as never,
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
    ['an oversized body', delivery('x'.repeat(MAX_MESSAGE_BYTES + 1)), 'too-large'],
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
