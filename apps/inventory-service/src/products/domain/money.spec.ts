import { fromCents, isWholeCents, toCents } from './money';

describe('money', () => {
  describe('when an amount has at most two decimals', () => {
    it.each([0, 1, 0.1, 0.29, 19.99, 1234567.89])('converts %p to cents and back unchanged', (amount) => {
      expect(isWholeCents(amount)).toBe(true);
      expect(fromCents(toCents(amount))).toBe(amount);
    });

    it('sums in cents without floating point drift', () => {
      expect(fromCents(toCents(0.1) + toCents(0.2))).toBe(0.3);
    });
  });

  describe('when an amount has more than two decimals', () => {
    it.each([0.001, 1.005, 1e-7, 1e-9, 0.1 + 0.2, Number.NaN, Number.POSITIVE_INFINITY])(
      'refuses %p',
      (amount) => {
        expect(isWholeCents(amount)).toBe(false);
        expect(() => toCents(amount)).toThrow(RangeError);
      },
    );
  });
});
