/**
 * Aggregates for metric values: quantiles and a seeded bootstrap confidence interval of the
 * median. DESIGN.md: every aggregate is reported with its count, median, p90 and a confidence
 * interval, never a bare mean. Deterministic: the same values and seed give the same interval.
 */

/**
 * The q-quantile of `values` (0 <= q <= 1) by linear interpolation between order statistics:
 * Hyndman & Fan type 7, numpy.quantile's default and R's default. NaN for an empty input.
 */
export function quantile(values: readonly number[], q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be in [0, 1], got ${q}`);
  if (values.length === 0) return Number.NaN;
  return quantileSorted(sortedCopy(values), q);
}

function sortedCopy(values: readonly number[]): Float64Array {
  const sorted = Float64Array.from(values);
  sorted.sort();
  return sorted;
}

function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * A small seeded generator (mulberry32) returning floats in [0, 1). Not cryptographic; used
 * for bootstrap resampling and synthetic test signals, where reproducibility is the point.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SummarizeOptions {
  /** Seed of the bootstrap resampling (default 1). */
  seed?: number;
  /** Bootstrap resamples (default 2000). */
  resamples?: number;
  /** Confidence level of the interval (default 0.95). */
  level?: number;
}

export interface Summary {
  count: number;
  /** null when count is 0. */
  median: number | null;
  p90: number | null;
  mean: number | null;
  /** Percentile-bootstrap confidence interval of the median; null when count is 0. */
  ciLow: number | null;
  ciHigh: number | null;
}

/**
 * count, median, p90 (type 7), mean, and a percentile-bootstrap CI of the median: draw
 * `resamples` samples of size n with replacement, take each one's median, and report the
 * (1-level)/2 and (1+level)/2 quantiles (type 7) of those medians.
 */
export function summarize(values: readonly number[], opts: SummarizeOptions = {}): Summary {
  const { seed = 1, resamples = 2000, level = 0.95 } = opts;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`summarize: resamples must be a positive integer, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`summarize: level must be in (0, 1), got ${level}`);
  const bad = values.find((v) => !Number.isFinite(v));
  if (bad !== undefined) throw new RangeError(`summarize: values must be finite numbers, got ${bad}`);
  const n = values.length;
  if (n === 0) return { count: 0, median: null, p90: null, mean: null, ciLow: null, ciHigh: null };

  const sorted = sortedCopy(values);
  const random = seededRandom(seed);
  const medians = new Float64Array(resamples);
  const draw = new Float64Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) draw[i] = sorted[Math.floor(random() * n)];
    draw.sort();
    medians[r] = quantileSorted(draw, 0.5);
  }
  medians.sort();
  const tail = (1 - level) / 2;
  return {
    count: n,
    median: quantileSorted(sorted, 0.5),
    p90: quantileSorted(sorted, 0.9),
    mean: sorted.reduce((a, b) => a + b, 0) / n,
    ciLow: quantileSorted(medians, tail),
    ciHigh: quantileSorted(medians, 1 - tail),
  };
}
