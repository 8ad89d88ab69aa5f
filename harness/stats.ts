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
 * count, median, p90 (type 7), mean, and a percentile-bootstrap CI of the median (quantileInterval).
 */
export function summarize(values: readonly number[], opts: SummarizeOptions = {}): Summary {
  const median = quantileInterval(values, 0.5, opts);
  if (median.count === 0) return { count: 0, median: null, p90: null, mean: null, ciLow: null, ciHigh: null };
  return {
    count: median.count,
    median: median.value,
    p90: quantile(values, 0.9),
    mean: values.reduce((a, b) => a + b, 0) / values.length,
    ciLow: median.ciLow,
    ciHigh: median.ciHigh,
  };
}

export interface QuantileInterval {
  count: number;
  /** The q-quantile (type 7); null when count is 0. */
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

/**
 * The q-quantile of `values` and its percentile-bootstrap CI: draw `resamples` samples of size n
 * with replacement, take each one's q-quantile, and report the (1-level)/2 and (1+level)/2
 * quantiles (type 7) of those. A tail quantile of a small sample (p90 of 10 values) rests on one
 * or two of them, and its interval says so by being wide.
 */
export function quantileInterval(values: readonly number[], q: number, opts: SummarizeOptions = {}): QuantileInterval {
  const { seed, resamples, level } = checkOptions(opts);
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantileInterval: q must be in [0, 1], got ${q}`);
  const bad = values.find((v) => !Number.isFinite(v));
  if (bad !== undefined) throw new RangeError(`quantileInterval: values must be finite numbers, got ${bad}`);
  const n = values.length;
  if (n === 0) return { count: 0, value: null, ciLow: null, ciHigh: null };

  const sorted = sortedCopy(values);
  const random = seededRandom(seed);
  const estimates = new Float64Array(resamples);
  // Each resample is drawn from `sorted`, so it is known by how often each index was drawn: its
  // quantile is found by a counting scan, O(n) instead of a sort (same values, same result).
  const drawn = new Uint32Array(n);
  for (let r = 0; r < resamples; r++) {
    drawn.fill(0);
    for (let i = 0; i < n; i++) drawn[Math.floor(random() * n)]++;
    estimates[r] = quantileOfCounts(sorted, drawn, q);
  }
  estimates.sort();
  const tail = (1 - level) / 2;
  return { count: n, value: quantileSorted(sorted, q), ciLow: quantileSorted(estimates, tail), ciHigh: quantileSorted(estimates, 1 - tail) };
}

/** The type-7 q-quantile of the sample holding sorted[j] drawn[j] times (drawn sums to sorted.length). */
function quantileOfCounts(sorted: ArrayLike<number>, drawn: Uint32Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  let seen = 0;
  let j = 0;
  while (seen + drawn[j] <= lo) seen += drawn[j++];
  const atLo = sorted[j];
  if (h === lo) return atLo;
  // The order statistic after lo: the same value while copies of sorted[j] remain.
  let k = j;
  if (seen + drawn[k] <= lo + 1) {
    k++;
    while (drawn[k] === 0) k++;
  }
  return atLo + (h - lo) * (sorted[k] - atLo);
}

export interface MeanInterval {
  count: number;
  /** null when count is 0. */
  mean: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

/**
 * The mean and a percentile-bootstrap CI of the mean, e.g. the rate of a 0/1 metric (a median
 * of 0s and 1s says little). Same resampling scheme and defaults as `summarize`.
 */
export function meanInterval(values: readonly number[], opts: SummarizeOptions = {}): MeanInterval {
  const { seed = 1, resamples = 2000, level = 0.95 } = checkOptions(opts);
  const n = values.length;
  if (values.some((v) => !Number.isFinite(v))) throw new RangeError('meanInterval: values must be finite numbers');
  if (n === 0) return { count: 0, mean: null, ciLow: null, ciHigh: null };
  const random = seededRandom(seed);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(random() * n)];
    means[r] = sum / n;
  }
  means.sort();
  const tail = (1 - level) / 2;
  return { count: n, mean: values.reduce((a, b) => a + b, 0) / n, ciLow: quantileSorted(means, tail), ciHigh: quantileSorted(means, 1 - tail) };
}

/**
 * The rate of a 0/1 metric (the share of 1s) and its Wilson score interval. A bootstrap interval
 * of a rate collapses to a point when every value is the same (10 of 10 passed: [1, 1]) and is
 * too narrow for small counts; Wilson's stays inside [0, 1] and is honest at 0 and n successes
 * (10 of 10 at 95%: 0.72 to 1). Values must each be 0 or 1.
 */
export function rateInterval(values: readonly number[], opts: Pick<SummarizeOptions, 'level'> = {}): MeanInterval {
  const { level } = checkOptions(opts);
  const bad = values.find((v) => v !== 0 && v !== 1);
  if (bad !== undefined) throw new RangeError(`rateInterval: values must be 0 or 1, got ${bad}`);
  return wilsonInterval(
    values.reduce((a, b) => a + b, 0),
    values.length,
    level,
  );
}

/** rateInterval from counts: `successes` of `n` trials (0 <= successes <= n, integers). */
export function wilsonInterval(successes: number, n: number, level = 0.95): MeanInterval {
  if (!Number.isInteger(successes) || !Number.isInteger(n) || successes < 0 || successes > n)
    throw new RangeError(`wilsonInterval: needs 0 <= successes <= n, integers; got ${successes} of ${n}`);
  if (n === 0) return { count: 0, mean: null, ciLow: null, ciHigh: null };
  const p = successes / n;
  const z = normalQuantile(1 - (1 - level) / 2);
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  // At 0 or n successes the bound is exactly 0 or 1; floating point would leave a hair off it.
  return { count: n, mean: p, ciLow: p === 0 ? 0 : Math.max(0, centre - half), ciHigh: p === 1 ? 1 : Math.min(1, centre + half) };
}

/**
 * The standard normal distribution's p-quantile (0 < p < 1): Acklam's rational approximation,
 * relative error under 1.2e-9 (1.959964 at 0.975).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  const tailValue = (q: number) =>
    (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < low) return tailValue(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - low) return -tailValue(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** One paired unit (e.g. one scenario and subject): its values in the baseline and in the candidate. */
export interface PairedUnit {
  baseline: readonly number[];
  candidate: readonly number[];
}

export interface PairedDifference {
  /** Units with values on both sides. */
  units: number;
  /** Mean over units of mean(candidate) - mean(baseline). */
  delta: number;
  ciLow: number;
  ciHigh: number;
}

/**
 * The paired difference candidate - baseline over units (both sides must have values), with a
 * two-level percentile-bootstrap CI: each resample draws units with replacement, then each drawn
 * unit's baseline and candidate values with replacement. The first level covers how units
 * differ, the second the run-to-run noise within a unit (repeats), so a single scenario run
 * several times still gets an honest interval. Null when no unit has values on both sides.
 */
export function pairedDifference(units: readonly PairedUnit[], opts: SummarizeOptions = {}): PairedDifference | null {
  const { seed = 1, resamples = 2000, level = 0.95 } = checkOptions(opts);
  const paired = units.filter((u) => u.baseline.length > 0 && u.candidate.length > 0);
  for (const u of paired) {
    if ([...u.baseline, ...u.candidate].some((v) => !Number.isFinite(v))) throw new RangeError('pairedDifference: values must be finite numbers');
  }
  const m = paired.length;
  if (m === 0) return null;
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const delta = paired.reduce((sum, u) => sum + mean(u.candidate) - mean(u.baseline), 0) / m;
  const random = seededRandom(seed);
  const resampledMean = (xs: readonly number[]) => {
    let sum = 0;
    for (let i = 0; i < xs.length; i++) sum += xs[Math.floor(random() * xs.length)];
    return sum / xs.length;
  };
  const deltas = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < m; i++) {
      const u = paired[Math.floor(random() * m)];
      sum += resampledMean(u.candidate) - resampledMean(u.baseline);
    }
    deltas[r] = sum / m;
  }
  deltas.sort();
  const tail = (1 - level) / 2;
  return { units: m, delta, ciLow: quantileSorted(deltas, tail), ciHigh: quantileSorted(deltas, 1 - tail) };
}

function checkOptions(opts: SummarizeOptions): Required<SummarizeOptions> {
  const { seed = 1, resamples = 2000, level = 0.95 } = opts;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  return { seed, resamples, level };
}
