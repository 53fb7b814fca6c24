import { createHash } from 'node:crypto';

/**
 * SHA-256 of the canonical JSON of an order request (fixed key order, lines in the order given), so a
 * retry with the same Idempotency-Key can be told apart from a different request reusing the key.
 */
export function requestFingerprint(
  customerId: string,
  items: ReadonlyArray<{ sku: string; quantity: number }>,
): string {
  const canonical = JSON.stringify({
    customerId,
    items: items.map(({ quantity, sku }) => ({ quantity, sku })),
  });
  return createHash('sha256').update(canonical).digest('hex');
}
