import { describe, expect, it } from 'vitest';
import { quantile, seededRandom, summarize } from './stats.ts';

describe('quantile (type 7, hand-computed; numpy.quantile agrees)', () => {
  it('interpolates between order statistics', () => {
    const xs = [40, 15, 50, 35, 20]; // sorted: 15 20 35 40 50
    expect(quantile(xs, 0)).toBe(15);
    expect(quantile(xs, 1)).toBe(50);
    expect(quantile(xs, 0.5)).toBe(35);
    // h = 4 * 0.4 = 1.6 -> 20 + 0.6 * (35 - 20) = 29
    expect(quantile(xs, 0.4)).toBeCloseTo(29, 12);
    // h = 4 * 0.9 = 3.6 -> 40 + 0.6 * (50 - 40) = 46
    expect(quantile(xs, 0.9)).toBeCloseTo(46, 12);
  });

  it('handles even counts, one value and no values', () => {
    expect(quantile([4, 3, 2, 1], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 12);
    expect(quantile([7], 0.3)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('rejects q outside [0, 1]', () => {
    expect(() => quantile([1], 1.5)).toThrow(/q must be in \[0, 1\]/);
  });
});

describe('summarize', () => {
  it('reports count, median, p90 and mean', () => {
    const s = summarize([40, 15, 50, 35, 20]);
    expect(s.count).toBe(5);
    expect(s.median).toBe(35);
    expect(s.p90).toBeCloseTo(46, 12);
    expect(s.mean).toBe(32);
  });

  it('bootstrap CI of a constant sample is that constant', () => {
    const s = summarize([5, 5, 5]);
    expect([s.ciLow, s.ciHigh]).toEqual([5, 5]);
  });

  it('bootstrap CI of [1, 2] spans the possible resample medians 1 and 2', () => {
    // Resample medians are 1, 1.5, 2 with probabilities 1/4, 1/2, 1/4: about 500 of 2000
    // resamples sit at each end, far more than the 50 the 2.5 % tails hold.
    const s = summarize([1, 2]);
    expect(s.median).toBe(1.5);
    expect([s.ciLow, s.ciHigh]).toEqual([1, 2]);
  });

  it('is deterministic for a seed, and the seed matters', () => {
    const random = seededRandom(42);
    const xs = Array.from({ length: 25 }, () => Math.round(random() * 1000));
    const a = summarize(xs, { seed: 7 });
    expect(summarize(xs, { seed: 7 })).toEqual(a);
    const b = summarize(xs, { seed: 8 });
    expect([b.ciLow, b.ciHigh]).not.toEqual([a.ciLow, a.ciHigh]);
    expect(a.ciLow!).toBeLessThanOrEqual(a.median!);
    expect(a.ciHigh!).toBeGreaterThanOrEqual(a.median!);
  });

  it('a lower level gives an interval no wider than a higher level', () => {
    const random = seededRandom(3);
    const xs = Array.from({ length: 40 }, () => random() * 100);
    const wide = summarize(xs, { level: 0.99 });
    const narrow = summarize(xs, { level: 0.5 });
    expect(narrow.ciHigh! - narrow.ciLow!).toBeLessThan(wide.ciHigh! - wide.ciLow!);
  });

  it('returns nulls for no values and rejects non-finite values', () => {
    expect(summarize([])).toEqual({ count: 0, median: null, p90: null, mean: null, ciLow: null, ciHigh: null });
    expect(() => summarize([1, Number.NaN])).toThrow(/finite/);
  });
});

describe('seededRandom', () => {
  it('repeats for a seed and stays in [0, 1)', () => {
    const a = seededRandom(9);
    const b = seededRandom(9);
    for (let i = 0; i < 1000; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x >= 0 && x < 1).toBe(true);
    }
  });
});
