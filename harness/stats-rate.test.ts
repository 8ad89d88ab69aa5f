/** Known answers for the rate interval (Wilson), the normal quantile under it, and the bootstrap interval of any quantile. */
import { describe, expect, it } from 'vitest';
import { meanInterval, normalQuantile, quantile, quantileInterval, rateInterval, seededRandom, summarize, wilsonInterval } from './stats.ts';

describe('normalQuantile', () => {
  it('matches the tables in the middle and both tails', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 6);
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232, 5);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });
});

describe('rateInterval', () => {
  it('gives the Wilson score interval (published values at 95 %)', () => {
    const r = rateInterval([1, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
    expect(r.mean).toBe(0.5);
    expect(r.ciLow).toBeCloseTo(0.2366, 4);
    expect(r.ciHigh).toBeCloseTo(0.7634, 4);
    const one = rateInterval([1, 0, 0, 0, 0]);
    expect(one.ciLow).toBeCloseTo(0.0362, 4);
    expect(one.ciHigh).toBeCloseTo(0.6245, 4);
  });

  it('is honest at 0 and n of n, where a bootstrap interval shrinks to a point', () => {
    expect(meanInterval(Array(10).fill(1))).toMatchObject({ ciLow: 1, ciHigh: 1 });
    const all = rateInterval(Array(10).fill(1));
    expect(all.ciHigh).toBe(1);
    expect(all.ciLow).toBeCloseTo(0.7225, 4);
    const none = rateInterval(Array(10).fill(0));
    expect(none.ciLow).toBe(0);
    expect(none.ciHigh).toBeCloseTo(0.2775, 4);
  });

  it('covers the true rate about as often as it says, for a rate near 1 and a small count', () => {
    // 1000 samples of 10 trials at a true rate of 0.95: the bootstrap interval holds it in fewer
    // than half (a sample of ten 1s gives [1, 1]); Wilson's in over 90 %.
    const random = seededRandom(7);
    let wilson = 0;
    let bootstrap = 0;
    for (let t = 0; t < 1000; t++) {
      const xs = Array.from({ length: 10 }, () => (random() < 0.95 ? 1 : 0));
      const w = rateInterval(xs);
      const b = meanInterval(xs, { resamples: 200, seed: t + 1 });
      if (w.ciLow! <= 0.95 && 0.95 <= w.ciHigh!) wilson++;
      if (b.ciLow! <= 0.95 && 0.95 <= b.ciHigh!) bootstrap++;
    }
    expect(wilson / 1000).toBeGreaterThan(0.9);
    expect(bootstrap / 1000).toBeLessThan(0.5);
  });

  it('widens with the level, is empty for no values, and refuses values other than 0 and 1', () => {
    const xs = [1, 1, 0, 1, 0, 1, 1, 1];
    const at90 = rateInterval(xs, { level: 0.9 });
    const at99 = rateInterval(xs, { level: 0.99 });
    expect(at99.ciLow!).toBeLessThan(at90.ciLow!);
    expect(at99.ciHigh!).toBeGreaterThan(at90.ciHigh!);
    expect(rateInterval([])).toEqual({ count: 0, mean: null, ciLow: null, ciHigh: null });
    expect(() => rateInterval([1, 0.5])).toThrow(/0 or 1, got 0.5/);
  });
});

describe('quantileInterval', () => {
  it('the median is the one summarize reports, interval and all', () => {
    const xs = [120, 340, 90, 410, 230, 305, 280, 199, 260];
    const s = summarize(xs);
    expect(quantileInterval(xs, 0.5)).toEqual({ count: 9, value: s.median, ciLow: s.ciLow, ciHigh: s.ciHigh });
  });

  it('a tail quantile of a small sample: its point is the type-7 quantile, its interval wide and within the values', () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const r = quantileInterval(xs, 0.9);
    expect(r.value).toBeCloseTo(quantile(xs, 0.9), 12);
    expect(r.ciHigh).toBe(10);
    expect(r.ciLow!).toBeLessThan(8);
    expect(r.ciLow!).toBeGreaterThanOrEqual(1);
    expect(quantileInterval([5, 5, 5], 0.9)).toEqual({ count: 3, value: 5, ciLow: 5, ciHigh: 5 });
    expect(quantileInterval([], 0.9).value).toBeNull();
  });
});

describe('wilsonInterval (rateInterval from counts)', () => {
  it('gives what rateInterval gives for the same 0/1 values', () => {
    for (const [k, n] of [
      [5, 10],
      [1, 5],
      [0, 10],
      [10, 10],
    ]) {
      const values = Array.from({ length: n }, (_, i) => (i < k ? 1 : 0));
      expect(wilsonInterval(k, n)).toEqual(rateInterval(values));
    }
  });

  it('refuses counts that are not k of n', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(/successes <= n/);
    expect(() => wilsonInterval(-1, 2)).toThrow(/successes <= n/);
    expect(() => wilsonInterval(0.5, 2)).toThrow(/integers/);
    expect(wilsonInterval(0, 0).mean).toBeNull();
  });
});
