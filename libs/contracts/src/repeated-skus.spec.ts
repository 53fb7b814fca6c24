import { repeatedSkus } from './repeated-skus';

describe('finding the lines of an order that repeat a sku', () => {
  it('finds none when every sku is on one line', () => {
    expect(repeatedSkus([{ sku: 'apple' }, { sku: 'pear' }, { sku: 'Apple' }])).toEqual([]);
  });

  it('names each repeating line and the first line with its sku', () => {
    expect(
      repeatedSkus([{ sku: 'apple' }, { sku: 'pear' }, { sku: 'apple' }, { sku: 'pear' }, { sku: 'apple' }]),
    ).toEqual([
      { index: 2, firstIndex: 0, sku: 'apple' },
      { index: 3, firstIndex: 1, sku: 'pear' },
      { index: 4, firstIndex: 0, sku: 'apple' },
    ]);
  });
});
