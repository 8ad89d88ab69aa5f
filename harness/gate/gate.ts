/**
 * `crosstalk gate`: thresholds on one store, and optionally a paired comparison with a baseline
 * store. Outcomes (DESIGN.md exit codes):
 * - failed (exit 3): a threshold does not hold, or a metric regressed beyond its tolerance;
 * - errored (exit 1): nothing could be judged because no session in the store completed;
 * - held (exit 0): otherwise. Errored sessions are reported apart and never fail the gate:
 *   a flaky network must not look like a regression. A threshold with no values in its scope
 *   is reported as no data, not as held.
 */
import { EXIT } from '../errors.ts';
import type { Store } from '../store/store.ts';
import type { GateConfig } from './config.ts';
import { checkBaseline, formatNumber, type BaselineVerdict } from './baseline.ts';
import { holds, statOf, type Threshold } from './threshold.ts';
import { erroredSessions, scopedValues, sessionCounts, type ErroredSession, type SessionCounts } from './values.ts';

export interface ThresholdVerdict {
  threshold: Threshold & { line?: number };
  status: 'held' | 'failed' | 'no_data';
  /** The stat measured; null when no value was in scope. */
  observed: number | null;
  /** Values the stat was computed over. */
  count: number;
  reason: string;
}

export type GateOutcome = 'held' | 'failed' | 'errored';

export interface GateResult {
  store: string;
  baselineStore: string | null;
  configFile: string;
  outcome: GateOutcome;
  sessions: SessionCounts;
  errored: ErroredSession[];
  thresholds: ThresholdVerdict[];
  baseline: BaselineVerdict[];
}

export async function runGate(store: Store, config: GateConfig, baseline?: Store): Promise<GateResult> {
  const sessions = await sessionCounts(store);
  const thresholds: ThresholdVerdict[] = [];
  for (const threshold of config.thresholds) thresholds.push(await checkThreshold(store, threshold));
  const baselineVerdicts = baseline ? await checkBaseline(baseline, store, config.baseline) : [];
  const failed = thresholds.some((t) => t.status === 'failed') || baselineVerdicts.some((b) => b.status === 'regressed');
  const measured = sessions.passed + sessions.failed;
  return {
    store: store.path,
    baselineStore: baseline?.path ?? null,
    configFile: config.file,
    outcome: failed ? 'failed' : measured === 0 ? 'errored' : 'held',
    sessions,
    errored: await erroredSessions(store),
    thresholds,
    baseline: baselineVerdicts,
  };
}

export async function checkThreshold(store: Store, threshold: Threshold & { line?: number }): Promise<ThresholdVerdict> {
  const values = await scopedValues(store, threshold.metric, threshold.scope);
  const observed = statOf(threshold.stat, values);
  if (observed === null) return { threshold, status: 'no_data', observed, count: 0, reason: 'no values in scope (no completed session measured this metric)' };
  const held = holds(observed, threshold.op, threshold.value);
  return {
    threshold,
    status: held ? 'held' : 'failed',
    observed,
    count: values.length,
    reason: `${threshold.stat} ${formatNumber(observed)} over ${values.length} value${values.length === 1 ? '' : 's'} ${held ? 'holds' : 'does not hold'} ${threshold.op} ${threshold.value}`,
  };
}

export function gateExitCode(result: GateResult): number {
  return result.outcome === 'failed' ? EXIT.gateFailed : result.outcome === 'errored' ? EXIT.harnessError : EXIT.ok;
}
