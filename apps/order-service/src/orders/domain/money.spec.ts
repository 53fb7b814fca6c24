import { fromCents, lineCents, toCents } from './money';

describe('money in cents', () => {
  it('converts two-decimal amounts to cents without float drift', () => {
    expect(toCents(0.1) + toCents(0.2)).toBe(30);
    expect(toCents(19.99)).toBe(1999);
    expect(toCents(1.15)).toBe(115);
  });

  it('gives cents back as numbers with at most two decimals', () => {
    expect(fromCents(30)).toBe(0.3);
    expect(JSON.stringify(fromCents(toCents(0.1) + toCents(0.2)))).toBe('0.3');
    expect(fromCents(123456)).toBe(1234.56);
  });

  it('prices a line exactly', () => {
    expect(lineCents(1999, 3)).toBe(5997);
  });

  it('refuses amounts beyond exact integer arithmetic', () => {
    expect(() => toCents(1e17)).toThrow(RangeError);
    expect(() => lineCents(Number.MAX_SAFE_INTEGER, 2)).toThrow(RangeError);
  });
});
