/**
 * `crosstalk gate`: thresholds on one store, and optionally a paired comparison with a baseline
 * store. It fails closed: what cannot be measured does not pass. Outcomes (DESIGN.md exit codes):
 * - failed (exit 3): a threshold does not hold (a `confident` one: at the far end of its 95% CI); a threshold is backed by fewer values than its
 *   `min_count` (default 1); a threshold has no value at all in its scope (`no_data`), unless
 *   it says `allow_no_data` or the gate runs with allowNoData (`--allow-no-data`); a metric
 *   regressed beyond its tolerance; a metric with values in the baseline has none (or none
 *   comparable) in the candidate.
 * - errored (exit 1): nothing failed, but something could not be judged for the
 *   infrastructure's sake: no session in the store completed, or a threshold lacks data (or
 *   values for its min_count) while sessions in its scope errored, or a baseline metric's
 *   scenarios all errored in the candidate. A flaky network must not look like a regression,
 *   nor like a pass. Also when a completed session's timing is flagged (the harness itself was
 *   late near a measured moment, beyond HARNESS_ERROR_BOUND_MS), unless allowTimingFlags
 *   (`--allow-timing-flags`): an overloaded machine must not pass or fail a latency.
 * - held (exit 0): otherwise. Errored sessions are reported apart and their values never count.
 *
 * Every verdict line names the metric and says why, with the N/A rows in scope by typed reason.
 */
import { EXIT } from '../errors.ts';
import type { Store } from '../store/store.ts';
import type { GateConfig } from './config.ts';
import { checkBaseline, formatNumber, type BaselineVerdict } from './baseline.ts';
import { farEnd, holds, statInterval, statOf, type Threshold } from './threshold.ts';
import {
  erroredSessions,
  timingFlaggedSessions,
  type TimingFlaggedSession,
  naText,
  scopedNaCounts,
  scopedValues,
  sessionCounts,
  type ErroredSession,
  type NaCounts,
  type SessionCounts,
} from './values.ts';

export interface ThresholdVerdict {
  threshold: Threshold & { line?: number };
  /**
   * held; failed (see cause); no_data: no value in scope and no data allowed (passes, shown as
   * skipped); errored: too little data while sessions in scope errored (cannot be judged).
   */
  status: 'held' | 'failed' | 'no_data' | 'errored';
  /**
   * Why it failed: the stat is outside the limit, too few values, none at all, or (a confident
   * threshold) the stat is inside it but the far end of its 95% CI is not.
   */
  cause?: 'limit' | 'min_count' | 'no_data' | 'uncertain';
  /** The stat measured; null when no value was in scope. */
  observed: number | null;
  /** A confident threshold's 95% CI of the stat, when it was judged. */
  interval?: { low: number; high: number };
  /** Values the stat was computed over. */
  count: number;
  /** The fewest values it needs (min_count, default 1). */
  minCount: number;
  /** N/A rows in scope (sessions that did not error), by typed reason. */
  na: NaCounts;
  reason: string;
}

type GateOutcome = 'held' | 'failed' | 'errored';

export interface GateResult {
  store: string;
  baselineStore: string | null;
  configFile: string;
  outcome: GateOutcome;
  sessions: SessionCounts;
  errored: ErroredSession[];
  /** Completed sessions whose harness-made timing error passed the bound. */
  timingFlagged: TimingFlaggedSession[];
  /** Flagged timing was allowed (`--allow-timing-flags`): listed, not counted against the outcome. */
  timingFlagsAllowed: boolean;
  thresholds: ThresholdVerdict[];
  baseline: BaselineVerdict[];
}

interface GateOptions {
  /** A threshold with no value in its scope passes as no data (`crosstalk gate --allow-no-data`). */
  allowNoData?: boolean;
  /** Sessions with flagged timing do not make the outcome errored (`--allow-timing-flags`). */
  allowTimingFlags?: boolean;
}

export async function runGate(store: Store, config: GateConfig, baseline?: Store, opts: GateOptions = {}): Promise<GateResult> {
  const sessions = await sessionCounts(store);
  const thresholds: ThresholdVerdict[] = [];
  for (const threshold of config.thresholds) thresholds.push(await checkThreshold(store, threshold, opts));
  const baselineVerdicts = baseline ? await checkBaseline(baseline, store, config.baseline) : [];
  const failed = thresholds.some((t) => t.status === 'failed') || baselineVerdicts.some((b) => b.status === 'regressed' || b.status === 'missing');
  const unjudged = thresholds.some((t) => t.status === 'errored') || baselineVerdicts.some((b) => b.status === 'errored');
  const measured = sessions.passed + sessions.failed;
  const timingFlagged = await timingFlaggedSessions(store);
  const untrustedTiming = timingFlagged.length > 0 && opts.allowTimingFlags !== true;
  return {
    store: store.path,
    baselineStore: baseline?.path ?? null,
    configFile: config.file,
    outcome: failed ? 'failed' : measured === 0 || unjudged || untrustedTiming ? 'errored' : 'held',
    sessions,
    errored: await erroredSessions(store),
    timingFlagged,
    timingFlagsAllowed: opts.allowTimingFlags === true,
    thresholds,
    baseline: baselineVerdicts,
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

async function checkThreshold(store: Store, threshold: Threshold & { line?: number }, opts: GateOptions = {}): Promise<ThresholdVerdict> {
  const values = await scopedValues(store, threshold.metric, threshold.scope);
  const na = await scopedNaCounts(store, threshold.metric, threshold.scope);
  const naNote = naText(na) ? `; ${naText(na)}` : '';
  const minCount = threshold.minCount ?? 1;
  const base = { threshold, count: values.length, minCount, na };
  const observed = statOf(threshold.stat, values);
  // `count` is the number of values: 0 is its value, judged like any other.
  const short = threshold.stat !== 'count' && values.length < minCount;
  if (short) {
    const erroredInScope = (await sessionCounts(store, threshold.scope)).errored;
    const none = values.length === 0;
    const what = none
      ? `no values in scope (no completed session measured ${threshold.metric}${naNote})`
      : `${plural(values.length, 'value')} in scope, fewer than min_count ${minCount}${naNote}`;
    const allowed = none && (opts.allowNoData === true || threshold.allowNoData === true);
    if (allowed)
      return {
        ...base,
        status: 'no_data',
        observed: null,
        reason: `${what}; passes as no data (${threshold.allowNoData ? 'allow_no_data' : '--allow-no-data'})`,
      };
    if (erroredInScope > 0) {
      return {
        ...base,
        status: 'errored',
        observed,
        reason: `${what}; ${plural(erroredInScope, 'session')} in scope errored (infrastructure), so it cannot be judged`,
      };
    }
    if (none)
      return {
        ...base,
        status: 'failed',
        cause: 'no_data',
        observed: null,
        reason: `${what}; a threshold without data fails (allow it with allow_no_data or --allow-no-data)`,
      };
    return {
      ...base,
      status: 'failed',
      cause: 'min_count',
      observed,
      reason: `${threshold.stat} ${formatNumber(observed!)} over ${what}: too few to judge, so it fails`,
    };
  }
  const pointHeld = holds(observed!, threshold.op, threshold.value);
  const measured = `${threshold.stat} ${formatNumber(observed!)} over ${plural(values.length, 'value')}`;
  if (!threshold.confident || threshold.stat === 'count' || !pointHeld) {
    return {
      ...base,
      status: pointHeld ? 'held' : 'failed',
      ...(pointHeld ? {} : { cause: 'limit' as const }),
      observed,
      reason: `${measured} ${pointHeld ? 'holds' : 'does not hold'} ${threshold.op} ${threshold.value}${naNote}`,
    };
  }
  const interval = statInterval(threshold.stat, values);
  const end = farEnd(threshold.op, interval);
  const held = holds(end, threshold.op, threshold.value);
  const side = end === interval.high ? 'upper' : 'lower';
  return {
    ...base,
    status: held ? 'held' : 'failed',
    ...(held ? {} : { cause: 'uncertain' as const }),
    observed,
    interval,
    reason: `${measured} (95% CI ${formatNumber(interval.low)} to ${formatNumber(interval.high)}): its ${side} end ${held ? 'holds' : 'does not hold'} ${threshold.op} ${threshold.value}${held ? '' : ', so the limit is not shown at this sample size'}${naNote}`,
  };
}

export function gateExitCode(result: GateResult): number {
  return result.outcome === 'failed' ? EXIT.gateFailed : result.outcome === 'errored' ? EXIT.harnessError : EXIT.ok;
}
