import { Product } from './product';
import { reserveAll } from './reserve-all';

const product = (sku: string, available: number, priceCents = 1000, reserved = 0): Product => ({
  sku,
  name: `Product ${sku}`,
  priceCents,
  available,
  reserved,
});

describe('reserveAll', () => {
  describe('when every product has enough stock', () => {
    const decision = reserveAll(
      [product('apple', 5, 250, 1), product('pear', 2, 199)],
      [
        { sku: 'apple', quantity: 3 },
        { sku: 'pear', quantity: 2 },
      ],
    );

    it('holds every line at the current unit price', () => {
      expect(decision).toMatchObject({
        ok: true,
        lines: [
          { sku: 'apple', quantity: 3, unitPriceCents: 250 },
          { sku: 'pear', quantity: 2, unitPriceCents: 199 },
        ],
      });
    });

    it('moves the units from available to reserved', () => {
      expect(decision.ok && decision.products).toEqual([
        product('apple', 2, 250, 4),
        product('pear', 0, 199, 2),
      ]);
    });
  });

  describe('when the lines repeat a product', () => {
    it('refuses them, since the ReserveStock contract carries each sku on one line', () => {
      expect(() =>
        reserveAll(
          [product('apple', 6), product('pear', 6)],
          [
            { sku: 'apple', quantity: 2 },
            { sku: 'pear', quantity: 1 },
            { sku: 'apple', quantity: 4 },
          ],
        ),
      ).toThrow('line 2 repeats sku apple of line 0');
    });
  });

  describe('when a line asks for exactly what is available', () => {
    it('holds it all', () => {
      const decision = reserveAll([product('apple', 6)], [{ sku: 'apple', quantity: 6 }]);
      expect(decision).toMatchObject({ ok: true, lines: [{ sku: 'apple', quantity: 6 }] });
      expect(decision.ok && decision.products).toEqual([product('apple', 0, 1000, 6)]);
    });
  });

  describe('when a product is unknown', () => {
    it('rejects the whole order naming the unknown products, even if others are short too', () => {
      const decision = reserveAll(
        [product('apple', 0)],
        [
          { sku: 'apple', quantity: 1 },
          { sku: 'ghost', quantity: 1 },
          { sku: 'phantom', quantity: 1 },
        ],
      );
      expect(decision).toEqual({ ok: false, reason: 'UNKNOWN_PRODUCT', skus: ['ghost', 'phantom'] });
    });
  });

  describe('when a product has too little available', () => {
    it('rejects the whole order naming only the short products', () => {
      const decision = reserveAll(
        [product('apple', 10), product('pear', 1, 1000, 50)],
        [
          { sku: 'apple', quantity: 10 },
          { sku: 'pear', quantity: 2 },
        ],
      );
      expect(decision).toEqual({ ok: false, reason: 'OUT_OF_STOCK', skus: ['pear'] });
    });
  });
});
