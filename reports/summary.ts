/**
 * The aggregate every view shows for a metric: count, median, p90 and a 95% CI of the centre.
 * The centre is the median (bootstrap CI), except for 0/1 metrics where it is the rate (the
 * share of 1s, Wilson CI: stats.rateInterval), whose median would only say "mostly 0" or
 * "mostly 1".
 */
import { rateInterval, summarize } from '../harness/stats.ts';

export interface MetricSummary {
  count: number;
  median: number | null;
  p90: number | null;
  centre: 'median' | 'rate';
  /** The median, or the rate for 0/1 metrics. */
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

export function summarizeMetric(values: readonly number[], unit: string): MetricSummary {
  const s = summarize(values);
  if (unit !== 'bool') return { count: s.count, median: s.median, p90: s.p90, centre: 'median', value: s.median, ciLow: s.ciLow, ciHigh: s.ciHigh };
  const r = rateInterval(values);
  return { count: s.count, median: s.median, p90: s.p90, centre: 'rate', value: r.mean, ciLow: r.ciLow, ciHigh: r.ciHigh };
}
