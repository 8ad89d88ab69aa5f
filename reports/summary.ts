/**
 * The aggregate every view shows for a metric: count, median, p90 and a 95% CI of the centre.
 * The centre is the median (bootstrap CI), except for 0/1 metrics where it is the rate (the
 * share of 1s, Wilson CI: stats.rateInterval), whose median would only say "mostly 0" or
 * "mostly 1".
 */
import { rateInterval, summarize, wilsonInterval } from '../harness/stats.ts';

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

/**
 * Sessions passed of those judged, with the pass rate and its 95% Wilson CI, in whole percent:
 * `5/6 (83% [44–97%])`, or `5/6 83% [44–97]` where a terminal table has no room to spare; `–`
 * where none was judged. Every view of a pass count shows it so.
 */
export function passRateText(passed: number, judged: number, layout: 'full' | 'narrow' = 'full'): string {
  const r = wilsonInterval(passed, judged);
  if (r.mean === null || r.ciLow === null || r.ciHigh === null) return '–';
  const [rate, low, high] = [r.mean, r.ciLow, r.ciHigh].map((v) => Math.round(100 * v));
  return layout === 'narrow' ? `${passed}/${judged} ${rate}% [${low}–${high}]` : `${passed}/${judged} (${rate}% [${low}–${high}%])`;
}
