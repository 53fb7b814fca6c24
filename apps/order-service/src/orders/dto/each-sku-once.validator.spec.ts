import { validateSync } from 'class-validator';
import { EachSkuOnce } from './each-sku-once.validator';

class Request {
  @EachSkuOnce()
  items!: unknown;
}

const errorsFor = (items: unknown) => validateSync(Object.assign(new Request(), { items }));

describe('EachSkuOnce', () => {
  it('accepts lines that each name another sku, skus differing only in case included', () => {
    expect(errorsFor([{ sku: 'ABC' }, { sku: 'abc' }, { sku: 'XYZ' }])).toEqual([]);
  });

  it('refuses a repeated sku, naming the line, the sku and the line it repeats', () => {
    const [error] = errorsFor([{ sku: 'ABC' }, { sku: 'XYZ' }, { sku: 'ABC', quantity: 1 }]);
    expect(error.constraints).toEqual({
      eachSkuOnce: 'items[2].sku "ABC" repeats items[0]; put each SKU on one line',
    });
  });

  it('names every repeat, counting positions as sent even past lines without a sku', () => {
    const [error] = errorsFor([{ sku: 'A' }, 42, { sku: 'B' }, null, { sku: 'A' }, { sku: 'B' }]);
    expect(error.constraints?.eachSkuOnce).toBe(
      'items[4].sku "A" repeats items[0]; put each SKU on one line; ' +
        'items[5].sku "B" repeats items[2]; put each SKU on one line',
    );
  });

  it('leaves what is not a list of lines to the other checks', () => {
    expect(errorsFor('apple')).toEqual([]);
    expect(errorsFor([{ sku: 7 }, { sku: 7 }])).toEqual([]);
  });
});
