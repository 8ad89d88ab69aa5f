/**
 * Long sessions (family long_session, 30-60 minutes mixing the other families): do the
 * agent's numbers and the harness's own pacing hold up over time? Every metric row of the
 * session is placed at the start of the action it is about; rows in the first third of the
 * session are "early", rows in the last third "late", and each metric's late value is compared
 * with its early one. Session-level: computed once per long_session recording.
 */
import type { ActionStart, RecordingEvent } from '../recording/events.ts';
import { quantile } from '../stats.ts';
import type { MetricDefinition, MetricValue } from '../scoring/types.ts';
import { metricValue } from './common.ts';

const EARLY_FRACTION = 1 / 3;
const LATE_FRACTION = 2 / 3;

const DRIFT_MS: MetricDefinition = {
  name: 'long_session.drift_ms',
  family: 'long_session',
  unit: 'ms',
  direction: 'target',
  definition:
    'For each metric in ms (subject: its name): median over the last third of the session minus median over the first third; 0 = no drift. Null when either third has no value.',
  denominator: 'per ms metric per long_session recording',
  peer: 'No peer metric: Full-Duplex-Bench and FD-Bench use sessions of a few minutes at most.',
};

const DRIFT_RATIO: MetricDefinition = {
  name: 'long_session.drift_ratio',
  family: 'long_session',
  unit: 'ratio',
  direction: 'target',
  definition:
    'For each yes/no or ratio metric (subject: its name): mean over the last third minus mean over the first third (a rate change, e.g. +0.2 = 20 points more often late); 0 = no drift.',
  denominator: 'per bool or ratio metric per long_session recording',
  peer: 'No peer metric.',
};

const PACING_DRIFT_MS: MetricDefinition = {
  name: 'long_session.pacing_drift_ms',
  family: 'long_session',
  unit: 'ms',
  direction: 'lower',
  definition:
    "The harness's own timing: p99 lateness of user frame sends behind their deadlines over the last third of the session minus that over the first third (0 in virtual time).",
  denominator: 'per long_session recording',
  peer: 'No peer metric: a check on the instrument, not the agent.',
};

export const LONG_SESSION_METRICS = [DRIFT_MS, DRIFT_RATIO, PACING_DRIFT_MS];

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export function computeDrift(
  rows: readonly MetricValue[],
  actions: readonly ActionStart[],
  events: readonly RecordingEvent[],
  sessionEndMs: number,
): MetricValue[] {
  const startOf = new Map(actions.map((a) => [a.id, a.startMs]));
  const earlyEndMs = sessionEndMs * EARLY_FRACTION;
  const lateStartMs = sessionEndMs * LATE_FRACTION;
  const groups = new Map<string, { unit: MetricValue['unit']; early: number[]; late: number[] }>();
  for (const r of rows) {
    const t = startOf.get(r.subject.split('#')[0]);
    if (r.value === null || t === undefined || !['ms', 'bool', 'ratio'].includes(r.unit)) continue;
    const g = groups.get(r.name) ?? { unit: r.unit, early: [], late: [] };
    groups.set(r.name, g);
    if (t < earlyEndMs) g.early.push(r.value);
    else if (t >= lateStartMs) g.late.push(r.value);
  }
  const out: MetricValue[] = [];
  for (const [name, g] of groups) {
    const def = g.unit === 'ms' ? DRIFT_MS : DRIFT_RATIO;
    const note = `early n=${g.early.length}, late n=${g.late.length}`;
    if (g.early.length === 0 || g.late.length === 0) {
      out.push(metricValue(def, name, null, { reason: 'too_few_values', note: `${note}: needs values in both thirds` }));
      continue;
    }
    const value = g.unit === 'ms' ? quantile(g.late, 0.5) - quantile(g.early, 0.5) : mean(g.late) - mean(g.early);
    out.push(metricValue(def, name, value, { note }));
  }
  const early: number[] = [];
  const late: number[] = [];
  for (const e of events) {
    if (e.type !== 'frame.sent') continue;
    if (e.deadlineMs < earlyEndMs) early.push(e.t - e.deadlineMs);
    else if (e.deadlineMs >= lateStartMs) late.push(e.t - e.deadlineMs);
  }
  const pacing = early.length && late.length ? quantile(late, 0.99) - quantile(early, 0.99) : null;
  out.push(
    metricValue(PACING_DRIFT_MS, 'harness', pacing, {
      reason: pacing === null ? 'too_few_values' : undefined,
      note: `frames: early ${early.length}, late ${late.length}`,
    }),
  );
  return out;
}
