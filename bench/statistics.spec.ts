import { formatMs, percentile, summarize } from './statistics';

describe('percentile', () => {
  it('takes the nearest rank, whatever order the samples came in', () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 90)).toBe(9);
    expect(percentile(values, 99)).toBe(10);
    expect(percentile(values, 0)).toBe(1);
  });

  it('is NaN without samples rather than a made-up zero', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('summarize', () => {
  it('gives count, median, p99 and maximum', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(summarize(values)).toEqual({ count: 100, p50: 50, p99: 99, max: 100 });
  });
});

describe('formatMs', () => {
  it('keeps the digits that matter at each size and says n/a for nothing', () => {
    expect([formatMs(0.844), formatMs(12.34), formatMs(1520.4), formatMs(Number.NaN)]).toEqual([
      '0.84 ms',
      '12.3 ms',
      '1520 ms',
      'n/a',
    ]);
  });
});
