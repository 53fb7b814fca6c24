import { requestFingerprint } from './request-fingerprint';

describe('the fingerprint of an order request', () => {
  const items = [
    { sku: 'apple', quantity: 2 },
    { sku: 'pear', quantity: 1 },
  ];

  it('is the same for the same request, whatever the order of its keys', () => {
    const reordered = items.map(({ sku, quantity }) => ({ quantity, sku }));
    expect(requestFingerprint('c-1', reordered)).toBe(requestFingerprint('c-1', items));
  });

  it('ignores fields that are not part of the request', () => {
    const withExtra = items.map((item) => Object.assign({ note: 'x' }, item));
    expect(requestFingerprint('c-1', withExtra)).toBe(requestFingerprint('c-1', items));
  });

  it.each([
    ['another customer', () => requestFingerprint('c-2', items)],
    ['another quantity', () => requestFingerprint('c-1', [{ sku: 'apple', quantity: 3 }, items[1]])],
    ['another sku', () => requestFingerprint('c-1', [{ sku: 'plum', quantity: 2 }, items[1]])],
    ['lines in another order', () => requestFingerprint('c-1', [items[1], items[0]])],
    ['a missing line', () => requestFingerprint('c-1', [items[0]])],
  ])('differs for %s', (_, other) => {
    expect(other()).not.toBe(requestFingerprint('c-1', items));
  });
});
