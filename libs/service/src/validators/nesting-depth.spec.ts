import { tooDeeplyNested } from './nesting-depth';

const nested = (levels: number, leaf: unknown = 1): unknown => {
  let value = leaf;
  for (let level = 0; level < levels; level++) value = [value];
  return value;
};

describe('tooDeeplyNested', () => {
  it('passes a body of ordinary depth', () => {
    expect(tooDeeplyNested({ customerId: 'c', items: [{ sku: 'a', quantity: 1 }] }, 4)).toBeUndefined();
  });

  it('passes a body exactly at the limit', () => {
    expect(tooDeeplyNested({ items: nested(3) }, 4)).toBeUndefined();
  });

  it('names the top-level field under which the body goes deeper', () => {
    expect(tooDeeplyNested({ customerId: 'c', items: nested(4) }, 4)).toBe('items');
  });

  it('names the body when it is itself a deep list', () => {
    expect(tooDeeplyNested(nested(5), 4)).toBe('body');
  });

  it('measures a hundred thousand levels without exhausting the stack', () => {
    expect(tooDeeplyNested({ items: nested(100_000) })).toBe('items');
  });
});
