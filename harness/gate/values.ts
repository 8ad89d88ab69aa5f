/**
 * What the gate and the compare view read from a store: metric values of the crosstalk rule set
 * from sessions that did not error (an infrastructure error is not a measurement), and the
 * session counts by outcome.
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

/** Non-null values of `metric` in `scope`, from sessions that did not error. */
export async function scopedValues(store: Store, metric: string, scope: Scope): Promise<number[]> {
  const where = ["m.rule_set = 'crosstalk'", "s.status <> 'errored'", 'm.value IS NOT NULL', 'm.name = $metric'];
  const params: Record<string, string> = { metric };
  if (scope.family !== undefined) {
    where.push('s.family = $family');
    params.family = scope.family;
  }
  if (scope.tag !== undefined) {
    where.push('list_contains(s.tags, $tag)');
    params.tag = scope.tag;
  }
  const rows = await store.query<{ value: number }>(`SELECT m.value FROM metrics m JOIN sessions s USING (session_id) WHERE ${where.join(' AND ')}`, params);
  return rows.map((r) => r.value);
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

/** Values per metric and pairing unit (scenario and subject), from sessions that did not error. */
export async function valuesByUnit(store: Store): Promise<Map<string, Map<string, number[]>>> {
  const rows = await store.query<{ name: string; unit_key: string; vals: number[] }>(
    `SELECT m.name, s.scenario_key || ' · ' || m.subject AS unit_key, list(m.value ORDER BY s.repeat, s.session_id) AS vals
     FROM metrics m JOIN sessions s USING (session_id)
     WHERE m.rule_set = 'crosstalk' AND s.status <> 'errored' AND m.value IS NOT NULL
     GROUP BY m.name, unit_key`,
  );
  const byMetric = new Map<string, Map<string, number[]>>();
  for (const r of rows) {
    let units = byMetric.get(r.name);
    if (!units) byMetric.set(r.name, (units = new Map()));
    units.set(r.unit_key, r.vals);
  }
  return byMetric;
}
