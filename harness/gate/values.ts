/**
 * What the gate reads from a store: metric values of the crosstalk rule set from sessions that
 * did not error (an infrastructure error is not a measurement), and the session counts by outcome.
 */
import type { Store } from '../store/store.ts';
import type { Scope } from './threshold.ts';

export interface SessionCounts {
  passed: number;
  failed: number;
  errored: number;
}

export interface ErroredSession {
  sessionId: string;
  scenarioKey: string;
  repeat: number;
  error: string | null;
}

/** Rows with no value (N/A), by typed reason (`unknown` where a store predates reasons). */
export type NaCounts = Record<string, number>;

/** The label of a NULL reason (views and verdicts): rows stored before schema version 2, or by a scorer that gave none. */
export const UNKNOWN_REASON = 'unknown';

function metricWhere(metric: string, scope: Scope): { where: string[]; params: Record<string, string> } {
  const where = ["m.rule_set = 'crosstalk'", "s.status <> 'errored'", 'm.name = $metric'];
  const params: Record<string, string> = { metric };
  if (scope.family !== undefined) {
    where.push('s.family = $family');
    params.family = scope.family;
  }
  if (scope.tag !== undefined) {
    where.push('list_contains(s.tags, $tag)');
    params.tag = scope.tag;
  }
  return { where, params };
}

/** Non-null values of `metric` in `scope`, from sessions that did not error. */
export async function scopedValues(store: Store, metric: string, scope: Scope): Promise<number[]> {
  const { where, params } = metricWhere(metric, scope);
  const rows = await store.query<{ value: number }>(
    `SELECT m.value FROM metrics m JOIN sessions s USING (session_id) WHERE ${where.join(' AND ')} AND m.value IS NOT NULL`,
    params,
  );
  return rows.map((r) => r.value);
}

/** N/A rows of `metric` in `scope` (sessions that did not error), by reason. */
export async function scopedNaCounts(store: Store, metric: string, scope: Scope = {}): Promise<NaCounts> {
  const { where, params } = metricWhere(metric, scope);
  const rows = await store.query<{ reason: string; n: number }>(
    `SELECT coalesce(m.reason, '${UNKNOWN_REASON}') AS reason, count(*)::INTEGER AS n FROM metrics m JOIN sessions s USING (session_id)
     WHERE ${where.join(' AND ')} AND m.value IS NULL GROUP BY 1 ORDER BY n DESC, reason`,
    params,
  );
  return Object.fromEntries(rows.map((r) => [r.reason, r.n]));
}

/** `12 N/A: no_response 9, trigger_missed 3`, or '' for none. */
export function naText(counts: NaCounts): string {
  const entries = Object.entries(counts);
  const total = entries.reduce((n, [, k]) => n + k, 0);
  return total === 0 ? '' : `${total} N/A: ${entries.map(([r, k]) => `${r} ${k}`).join(', ')}`;
}

/** Sessions of each scenario by outcome, to tell a metric lost to errors from one the agent lost. */
export async function scenarioOutcomes(store: Store): Promise<Map<string, SessionCounts>> {
  const rows = await store.query<{ scenario_key: string; status: keyof SessionCounts; n: number }>(
    'SELECT scenario_key, status, count(*)::INTEGER AS n FROM sessions GROUP BY ALL',
  );
  const out = new Map<string, SessionCounts>();
  for (const r of rows) {
    let c = out.get(r.scenario_key);
    if (!c) out.set(r.scenario_key, (c = { passed: 0, failed: 0, errored: 0 }));
    if (r.status in c) c[r.status] = r.n;
  }
  return out;
}

/** Sessions in `scope` by outcome (errored included), to tell "no data" from "no sessions". */
export async function sessionCounts(store: Store, scope: Scope = {}): Promise<SessionCounts> {
  const where = ['true'];
  const params: Record<string, string> = {};
  if (scope.family !== undefined) {
    where.push('family = $family');
    params.family = scope.family;
  }
  if (scope.tag !== undefined) {
    where.push('list_contains(tags, $tag)');
    params.tag = scope.tag;
  }
  const rows = await store.query<{ status: keyof SessionCounts; n: number }>(
    `SELECT status, count(*) AS n FROM sessions WHERE ${where.join(' AND ')} GROUP BY status`,
    Object.keys(params).length ? params : undefined,
  );
  const counts: SessionCounts = { passed: 0, failed: 0, errored: 0 };
  for (const r of rows) if (r.status in counts) counts[r.status] = r.n;
  return counts;
}

export async function erroredSessions(store: Store): Promise<ErroredSession[]> {
  return store.query<ErroredSession>(
    `SELECT session_id AS "sessionId", scenario_key AS "scenarioKey", repeat, error FROM sessions
     WHERE status = 'errored' ORDER BY scenario_key, repeat, session_id`,
  );
}

export interface TimingFlaggedSession {
  sessionId: string;
  scenarioKey: string;
  repeat: number;
  harnessErrorMs: number;
}

/** Completed sessions whose harness-made timing error passed the bound (sessions.timing_flagged). */
export async function timingFlaggedSessions(store: Store): Promise<TimingFlaggedSession[]> {
  return store.query<TimingFlaggedSession>(
    `SELECT session_id AS "sessionId", scenario_key AS "scenarioKey", repeat, harness_error_ms AS "harnessErrorMs" FROM sessions
     WHERE timing_flagged AND status <> 'errored' ORDER BY scenario_key, repeat, session_id`,
  );
}

/** Per metric, the scenarios with at least one value in a session that did not error. */
export async function scenariosWithValues(store: Store): Promise<Map<string, string[]>> {
  const rows = await store.query<{ name: string; keys: string[] }>(
    `SELECT m.name, list(DISTINCT s.scenario_key ORDER BY s.scenario_key) AS keys FROM metrics m JOIN sessions s USING (session_id)
     WHERE m.rule_set = 'crosstalk' AND s.status <> 'errored' AND m.value IS NOT NULL GROUP BY m.name`,
  );
  return new Map(rows.map((r) => [r.name, r.keys]));
}
