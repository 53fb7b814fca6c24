import { fromCents, isWholeCents, toCents } from './cents';

describe('cents', () => {
  describe('when converting amounts with at most two decimals', () => {
    it.each([
      [0, 0],
      [0.29, 29],
      [0.1 + 0.2, 30],
      [19.99, 1999],
      [1_000_000_000, 100_000_000_000],
      [999_999_999.99, 99_999_999_999],
    ])('turns %p units into %p cents', (units, cents) => {
      expect(toCents(units)).toBe(cents);
    });

    it('gives back the same amount without float drift', () => {
      expect(fromCents(toCents(0.1) + toCents(0.2))).toBe(0.3);
      expect(fromCents(toCents(1000) - toCents(999.99))).toBe(0.01);
    });
  });

  describe('when checking the number of decimals', () => {
    it.each([0, 1, 0.1, 0.29, 19.99, 999_999_999.99])('accepts %p', (units) => {
      expect(isWholeCents(units)).toBe(true);
    });

    it.each([0.001, 0.125, 1e-7, 19.999, Number.NaN, Number.POSITIVE_INFINITY])('rejects %p', (units) => {
      expect(isWholeCents(units)).toBe(false);
    });
  });
});
