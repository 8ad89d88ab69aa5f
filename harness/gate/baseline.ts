/**
 * The gate's baseline check: a metric regresses only when the candidate is worse than the
 * baseline by more than its tolerance with confidence, i.e. the whole interval of the paired
 * worsening (level 1 - significance) lies above the tolerance. Noise and small drifts pass.
 *
 * It fails closed: a metric with values in the baseline and none in the candidate (the agent
 * stopped producing anything measurable: every row N/A, or the rows are gone) is `missing`, a
 * failure, and so is one whose values share no scenario and subject with the baseline's, so
 * that nothing could be compared. Where every candidate session of the scenarios that measured
 * it in the baseline errored, the loss is the infrastructure's: `errored`, not a failure.
 */
import type { Store } from '../store/store.ts';
import { metricDefinition } from '../metrics/registry.ts';
import { toleranceFor, type BaselineConfig, type Tolerance } from './config.ts';
import { compareStores, worsening, type MetricComparison } from '../compare.ts';
import { naText, scenarioOutcomes, scenariosWithValues, scopedNaCounts, type NaCounts } from './values.ts';

export interface BaselineVerdict {
  metric: string;
  /** missing: values in the baseline, none comparable in the candidate (fails); errored: lost to errored sessions. */
  status: 'held' | 'regressed' | 'missing' | 'errored';
  /** null for missing and errored. */
  comparison: MetricComparison | null;
  tolerance: Tolerance;
  /** The tolerance in the metric's unit (a relative one scaled by the baseline's mean). */
  toleranceValue: number;
  /** One line: what was found. */
  reason: string;
  /** The candidate's N/A rows of this metric by reason (filled for missing and errored). */
  candidateNa?: NaCounts;
}

export async function checkBaseline(baseline: Store, candidate: Store, config: BaselineConfig): Promise<BaselineVerdict[]> {
  const withDirection = (name: string) => {
    const d = metricDefinition(name)?.direction;
    return d === 'lower' || d === 'higher';
  };
  const comparisons = await compareStores(baseline, candidate, { level: 1 - config.significance, metrics: config.metrics });
  const verdicts = comparisons.filter((c) => withDirection(c.metric)).map((c) => judge(c, toleranceFor(config, c.metric)));
  // Metrics the baseline measured that gave no comparison: fail closed.
  const compared = new Set(comparisons.map((c) => c.metric));
  const [baseScenarios, candScenarios] = await Promise.all([scenariosWithValues(baseline), scenariosWithValues(candidate)]);
  const outcomes = await scenarioOutcomes(candidate);
  const wanted = config.metrics ? new Set(config.metrics) : undefined;
  for (const [metric, scenarios] of [...baseScenarios].sort(([a], [b]) => a.localeCompare(b))) {
    if (compared.has(metric) || !withDirection(metric) || (wanted && !wanted.has(metric))) continue;
    const candidateNa = await scopedNaCounts(candidate, metric);
    const na = naText(candidateNa);
    const tolerance = toleranceFor(config, metric);
    const lostToErrors = scenarios.every((k) => {
      const o = outcomes.get(k);
      return o !== undefined && o.errored > 0 && o.passed + o.failed === 0;
    });
    const hasValues = (candScenarios.get(metric)?.length ?? 0) > 0;
    const base = `${scenarios.length} scenario${scenarios.length === 1 ? '' : 's'} measured it in the baseline`;
    const reason = lostToErrors
      ? `no values in the candidate: every candidate session of the ${base} errored (infrastructure)`
      : hasValues
        ? `the candidate's values share no scenario and subject with the baseline's (${base}); nothing could be compared, so it fails`
        : `no values in the candidate${na ? ` (${na})` : ' (no rows at all)'}, but ${base}; a metric that disappears fails`;
    verdicts.push({
      metric,
      status: lostToErrors ? 'errored' : 'missing',
      comparison: null,
      tolerance,
      toleranceValue: tolerance.kind === 'absolute' ? tolerance.value : 0,
      reason,
      candidateNa,
    });
  }
  return verdicts.sort((a, b) => a.metric.localeCompare(b.metric));
}

function judge(comparison: MetricComparison, tolerance: Tolerance): BaselineVerdict {
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
