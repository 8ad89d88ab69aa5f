/**
 * The gate's baseline check: a metric regresses only when the candidate is worse than the
 * baseline by more than its tolerance with confidence, i.e. the whole interval of the paired
 * worsening (level 1 - significance) lies above the tolerance. Noise and small drifts pass.
 */
import type { Store } from '../store/store.ts';
import { metricDefinition } from '../metrics/registry.ts';
import { toleranceFor, type BaselineConfig, type Tolerance } from './config.ts';
import { compareStores, worsening, type MetricComparison } from './compare.ts';

export interface BaselineVerdict {
  metric: string;
  status: 'held' | 'regressed';
  comparison: MetricComparison;
  tolerance: Tolerance;
  /** The tolerance in the metric's unit (a relative one scaled by the baseline's mean). */
  toleranceValue: number;
  /** One line: what was found. */
  reason: string;
}

export async function checkBaseline(baseline: Store, candidate: Store, config: BaselineConfig): Promise<BaselineVerdict[]> {
  const withDirection = (name: string) => {
    const d = metricDefinition(name)?.direction;
    return d === 'lower' || d === 'higher';
  };
  const comparisons = await compareStores(baseline, candidate, { level: 1 - config.significance, metrics: config.metrics });
  return comparisons.filter((c) => withDirection(c.metric)).map((c) => judge(c, toleranceFor(config, c.metric)));
}

export function judge(comparison: MetricComparison, tolerance: Tolerance): BaselineVerdict {
  const worse = worsening(comparison);
  if (!worse) throw new Error(`judge: ${comparison.metric} has no direction`);
  const toleranceValue = tolerance.kind === 'absolute' ? tolerance.value : tolerance.share * Math.abs(comparison.baseline.mean);
  const regressed = worse.low > toleranceValue;
  const pct = Math.round(comparison.level * 100);
  const fmt = (v: number) => formatNumber(v) + (comparison.unit === 'ms' ? ' ms' : '');
  const reason = regressed
    ? `worse by ${fmt(worse.point)} (${pct}% CI ${fmt(worse.low)} to ${fmt(worse.high)}), beyond the tolerance of ${fmt(toleranceValue)}`
    : `change ${fmt(comparison.delta)} (${pct}% CI ${fmt(comparison.ciLow)} to ${fmt(comparison.ciHigh)}) is not a regression beyond ${fmt(toleranceValue)}`;
  return { metric: comparison.metric, status: regressed ? 'regressed' : 'held', comparison, tolerance, toleranceValue, reason };
}

/** About three significant figures. */
export function formatNumber(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toFixed(3);
}
