/** Tests of the additions to stats.ts: the counting bootstrap, meanInterval, pairedDifference. */
import { describe, expect, it } from 'vitest';
import { meanInterval, pairedDifference, quantile, seededRandom, summarize } from './stats.ts';

/** The bootstrap as first written (sort every resample): the counting scan must agree exactly. */
function sortingBootstrapCi(values: number[], seed: number, resamples: number): [number, number] {
  const sorted = Float64Array.from(values).sort();
  const random = seededRandom(seed);
  const n = sorted.length;
  const medians: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const draw = Array.from({ length: n }, () => sorted[Math.floor(random() * n)]);
    medians.push(quantile(draw, 0.5));
  }
  return [quantile(medians, 0.025), quantile(medians, 0.975)];
}

describe('summarize: the counting bootstrap', () => {
  it('gives exactly the intervals of sorting each resample (odd, even, tied samples)', () => {
    const random = seededRandom(11);
    for (const n of [1, 2, 3, 10, 51, 200]) {
      const xs = Array.from({ length: n }, () => Math.round(random() * 20)); // many ties
      const s = summarize(xs, { seed: n, resamples: 300 });
      expect([s.ciLow, s.ciHigh]).toEqual(sortingBootstrapCi(xs, n, 300));
    }
  });
});

describe('meanInterval', () => {
  it('a rate: mean of 0/1 values, interval around it, constant samples collapse', () => {
    const xs = [...Array(30).fill(1), ...Array(70).fill(0)];
    const r = meanInterval(xs);
    expect(r.mean).toBeCloseTo(0.3, 12);
    // Binomial sd sqrt(.3*.7/100) = 0.046: a 95 % interval is about +-0.09.
    expect(r.ciLow!).toBeGreaterThan(0.19);
    expect(r.ciLow!).toBeLessThan(0.24);
    expect(r.ciHigh!).toBeGreaterThan(0.36);
    expect(r.ciHigh!).toBeLessThan(0.41);
    expect(meanInterval([1, 1, 1])).toEqual({ count: 3, mean: 1, ciLow: 1, ciHigh: 1 });
    expect(meanInterval([])).toEqual({ count: 0, mean: null, ciLow: null, ciHigh: null });
  });
});

describe('pairedDifference', () => {
  it('a constant shift of noiseless units is exact: delta 150, interval [150, 150]', () => {
    const units = [
      { baseline: [430, 430], candidate: [580, 580] },
      { baseline: [900], candidate: [1050] },
    ];
    expect(pairedDifference(units)).toEqual({ units: 2, delta: 150, ciLow: 150, ciHigh: 150 });
  });

  it('identical sides: delta 0 and an interval holding 0', () => {
    const random = seededRandom(5);
    const units = Array.from({ length: 8 }, () => {
      const xs = Array.from({ length: 4 }, () => 300 + random() * 200);
      return { baseline: xs, candidate: [...xs] };
    });
    const d = pairedDifference(units)!;
    expect(d.delta).toBeCloseTo(0, 9);
    expect(d.ciLow).toBeLessThan(0);
    expect(d.ciHigh).toBeGreaterThan(0);
  });

  it('one unit with repeats still gets an interval from its noise', () => {
    const d = pairedDifference([{ baseline: [100, 200, 300], candidate: [110, 210, 310] }])!;
    expect(d.delta).toBeCloseTo(10, 9);
    expect(d.ciLow).toBeLessThan(0);
    expect(d.ciHigh).toBeGreaterThan(20);
  });

  it('drops units missing a side; null when none is paired', () => {
    expect(pairedDifference([{ baseline: [1], candidate: [] }])).toBeNull();
    expect(
      pairedDifference([
        { baseline: [1], candidate: [3] },
        { baseline: [], candidate: [9] },
      ])!.units,
    ).toBe(1);
  });
});
