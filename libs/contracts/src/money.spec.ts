import { fromCents, isWholeCents, multiplyCents, toCents } from './money';

describe('money', () => {
  describe('when an amount has at most two decimals', () => {
    it.each([
      [0, 0],
      [1, 100],
      [0.1, 10],
      [0.29, 29],
      [1.15, 115],
      [19.99, 1999],
      [1234567.89, 123456789],
      [999_999_999.99, 99_999_999_999],
      [1_000_000_000, 100_000_000_000],
    ])('counts %p as %p cents and converts it back unchanged', (amount, cents) => {
      expect(isWholeCents(amount)).toBe(true);
      expect(toCents(amount)).toBe(cents);
      expect(fromCents(cents)).toBe(amount);
    });

    it('sums and subtracts in cents without floating point drift', () => {
      expect(toCents(0.1) + toCents(0.2)).toBe(30);
      expect(fromCents(toCents(0.1) + toCents(0.2))).toBe(0.3);
      expect(JSON.stringify(fromCents(toCents(0.1) + toCents(0.2)))).toBe('0.3');
      expect(fromCents(toCents(1000) - toCents(999.99))).toBe(0.01);
    });
  });

  describe('when an amount has more than two decimals', () => {
    it.each([0.001, 0.125, 1.005, 19.999, 1e-7, 1e-9, 0.1 + 0.2, Number.NaN, Number.POSITIVE_INFINITY])(
      'refuses %p',
      (amount) => {
        expect(isWholeCents(amount)).toBe(false);
        expect(() => toCents(amount)).toThrow(RangeError);
      },
    );
  });

  describe('when an amount has more cents than count exactly', () => {
    it.each([1e14, 1e17, Number.MAX_SAFE_INTEGER])('refuses to count %p in cents', (amount) => {
      expect(isWholeCents(amount)).toBe(true);
      expect(() => toCents(amount)).toThrow(RangeError);
    });
  });

  describe('when pricing several units', () => {
    it('multiplies the unit price exactly', () => {
      expect(multiplyCents(1999, 3)).toBe(5997);
      expect(fromCents(multiplyCents(toCents(0.1), 3))).toBe(0.3);
    });

    it('refuses prices beyond exact integer arithmetic', () => {
      expect(() => multiplyCents(Number.MAX_SAFE_INTEGER, 2)).toThrow(RangeError);
    });
  });
});
