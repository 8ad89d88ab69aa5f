/**
 * What the HTML report reads from the store, in a few bulk queries (a 10,000-session store is
 * read in one pass per table, not per session).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Store } from '../harness/store/store.ts';
import { metricDefinition } from '../harness/metrics/registry.ts';
import type { Direction } from '../harness/scoring/types.ts';
import { UNKNOWN_REASON } from '../harness/gate/values.ts';

export interface MetricGroup {
  family: string;
  name: string;
  unit: string;
  direction: Direction | null;
  /** Non-null values from sessions that did not error, ascending. */
  values: number[];
  /** Rows whose value could not be computed. */
  missing: number;
  /** Those rows by typed N/A reason (`unknown` for rows stored without one), most first. */
  naReasons: Record<string, number>;
  /** Rows with an expectation, and how many held. */
  checked: number;
  passed: number;
  /** The values again by speech source (SOURCE_SQL: the engine of sessions.speech_source, `unknown` where none, and any perturbation), ascending. */
  bySource: { source: string; values: number[] }[];
}

/** Per family and metric (crosstalk rule set), from sessions that did not error. */
export async function loadMetricGroups(store: Store): Promise<MetricGroup[]> {
  const reasons = await loadNaReasons(store);
  const rows = await store.query<Omit<MetricGroup, 'direction' | 'naReasons'>>(
    `SELECT m.family, m.name, any_value(m.unit) AS unit,
            coalesce(list(m.value ORDER BY m.value) FILTER (WHERE m.value IS NOT NULL), []) AS "values",
            count(*) FILTER (WHERE m.value IS NULL) AS missing,
            count(m.passed) AS checked,
            count(*) FILTER (WHERE m.passed) AS passed
     FROM metrics m JOIN sessions s USING (session_id)
     WHERE m.rule_set = 'crosstalk' AND s.status <> 'errored'
     GROUP BY m.family, m.name ORDER BY m.family, m.name`,
  );
  const sources = await loadValuesBySource(store);
  return rows.map((r) => {
    const key = `${r.family}\u0000${r.name}`;
    return { ...r, naReasons: reasons.get(key) ?? {}, direction: metricDefinition(r.name)?.direction ?? null, bySource: sources.get(key) ?? [] };
  });
}

/**
 * What metrics and verdicts are broken down by, over `sessions s`: the engine of the speech
 * source (`unknown` where none), then ` + ` and the perturbation (`run --perturb`, schema v4)
 * where there was one: `espeak`, `espeak + telephone:g711`.
 */
export const SOURCE_SQL = `split_part(coalesce(s.speech_source, 'unknown'), ':', 1) || coalesce(' + ' || s.perturbation, '')`;

/** Non-null values per family, metric and speech source (engine, and perturbation), as loadMetricGroups filters them. */
async function loadValuesBySource(store: Store): Promise<Map<string, { source: string; values: number[] }[]>> {
  const rows = await store.query<{ family: string; name: string; source: string; values: number[] }>(
    `SELECT m.family, m.name, ${SOURCE_SQL} AS source, list(m.value ORDER BY m.value) AS "values"
     FROM metrics m JOIN sessions s USING (session_id)
     WHERE m.rule_set = 'crosstalk' AND s.status <> 'errored' AND m.value IS NOT NULL
     GROUP BY ALL ORDER BY m.family, m.name, source`,
  );
  const out = new Map<string, { source: string; values: number[] }[]>();
  for (const r of rows) {
    const key = `${r.family}\u0000${r.name}`;
    out.set(key, [...(out.get(key) ?? []), { source: r.source, values: r.values }]);
  }
  return out;
}

/** N/A rows per family and metric (crosstalk rule set, sessions that did not error), by reason. */
async function loadNaReasons(store: Store): Promise<Map<string, Record<string, number>>> {
  const rows = await store.query<{ family: string; name: string; reason: string; n: number }>(
    `SELECT m.family, m.name, coalesce(m.reason, '${UNKNOWN_REASON}') AS reason, count(*)::INTEGER AS n
     FROM metrics m JOIN sessions s USING (session_id)
     WHERE m.rule_set = 'crosstalk' AND s.status <> 'errored' AND m.value IS NULL
     GROUP BY ALL ORDER BY m.family, m.name, n DESC, reason`,
  );
  const out = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const key = `${r.family}\u0000${r.name}`;
    out.set(key, { ...(out.get(key) ?? {}), [r.reason]: r.n });
  }
  return out;
}

export interface RunInfo {
  runId: string;
  adapter: string;
  label: string | null;
  suite: string;
  clock: string;
  startedAt: string;
  gitSha: string | null;
  harnessVersion: string;
}

export async function loadRuns(store: Store): Promise<RunInfo[]> {
  return store.query<RunInfo>(
    `SELECT run_id AS "runId", adapter, label, suite, clock, started_at AS "startedAt", git_sha AS "gitSha", harness_version AS "harnessVersion"
     FROM runs ORDER BY started_at, run_id`,
  );
}

export interface SessionInfo {
  sessionId: string;
  scenarioKey: string;
  family: string;
  tags: string[];
  repeat: number;
  status: 'passed' | 'failed' | 'errored';
  error: string | null;
  durationMs: number;
  recordingPath: string | null;
  /** `engine:voice` of the user's speech (schema v3); null where unknown. */
  speechSource: string | null;
  /** The `--perturb` spec of the user's side (schema v4); null: none. */
  perturbation: string | null;
  /** The harness's own lateness near measured moments, ms, and whether it passed the bound (schema v5); null: not measured. */
  harnessErrorMs: number | null;
  timingFlagged: boolean | null;
}

/** Sessions: failed first, then errored, then passed; each by scenario and repeat. */
export async function loadSessions(store: Store): Promise<SessionInfo[]> {
  return store.query<SessionInfo>(
    `SELECT session_id AS "sessionId", scenario_key AS "scenarioKey", family, tags, repeat, status, error,
            duration_ms AS "durationMs", recording_path AS "recordingPath", speech_source AS "speechSource", perturbation,
            harness_error_ms AS "harnessErrorMs", timing_flagged AS "timingFlagged"
     FROM sessions
     ORDER BY CASE status WHEN 'failed' THEN 0 WHEN 'errored' THEN 1 ELSE 2 END, scenario_key, repeat, session_id`,
  );
}

/**
 * One metric row of a session: [name, subject, value, unit, passed, expectation, note, reason];
 * reason is the typed N/A reason (set on every null value; `unknown` where a store has none).
 */
type MetricCell = [string, string, number | null, string, boolean | null, string | null, string | null, string | null];
/** [channel, kind, startMs, endMs] */
type SegmentCell = [string, string, number, number];
/** [tMs, kind, label, detail]: kind is trigger | barge-in | action | backchannel | skipped | vendor | flush | error */
type MarkerCell = [number, string, string, string];
/** [tMs, role, text] */
type TranscriptCell = [number, string, string];

export interface SessionDetail {
  metrics: MetricCell[];
  segments: SegmentCell[];
  markers: MarkerCell[];
  transcripts: TranscriptCell[];
}

const MARKED_EVENTS = ['action.start', 'action.skipped', 'trigger.fired', 'vendor', 'playout.flush', 'adapter.error', 'transcript'];

/** Metrics, segments, marked events and final transcripts of every session, by session id. */
export async function loadSessionDetails(store: Store): Promise<Map<string, SessionDetail>> {
  const details = new Map<string, SessionDetail>();
  const of = (id: string) => {
    let d = details.get(id);
    if (!d) details.set(id, (d = { metrics: [], segments: [], markers: [], transcripts: [] }));
    return d;
  };
  const metrics = await store.query<{
    s: string;
    name: string;
    subject: string;
    value: number | null;
    unit: string;
    passed: boolean | null;
    expectation: string | null;
    note: string | null;
    reason: string | null;
  }>(
    `SELECT session_id AS s, name, subject, value, unit, passed, expectation, note, reason FROM metrics WHERE rule_set = 'crosstalk' ORDER BY session_id, subject, name`,
  );
  for (const m of metrics) {
    const reason = m.reason ?? (m.value === null ? UNKNOWN_REASON : null);
    of(m.s).metrics.push([m.name, m.subject, m.value, m.unit, m.passed, m.expectation, m.note, reason]);
  }
  const segments = await store.query<{ s: string; channel: string; kind: string; a: number; b: number }>(
    'SELECT session_id AS s, channel, kind, start_ms AS a, end_ms AS b FROM segments ORDER BY session_id, start_ms',
  );
  for (const g of segments) of(g.s).segments.push([g.channel, g.kind, g.a, g.b]);
  const events = await store.query<{
    s: string;
    t: number;
    start: number | null;
    type: string;
    id: string | null;
    name: string | null;
    text: string | null;
    role: string | null;
    final: string | null;
    kind: string | null;
    reason: string | null;
    message: string | null;
    event: string | null;
    expect: string | null;
  }>(
    `SELECT session_id AS s, t_ms AS t, TRY_CAST(payload->>'startMs' AS DOUBLE) AS start, type, payload->>'id' AS id, payload->>'name' AS name, payload->>'text' AS text,
            payload->>'role' AS role, payload->>'final' AS final, payload->>'kind' AS kind, payload->>'reason' AS reason,
            payload->>'message' AS message, payload->>'event' AS event, CAST(payload->'expect' AS VARCHAR) AS expect
     FROM events WHERE type IN (${MARKED_EVENTS.map((t) => `'${t}'`).join(', ')}) ORDER BY session_id, t_ms`,
  );
  for (const e of events) {
    const d = of(e.s);
    switch (e.type) {
      case 'action.start': {
        const bargeIn = e.expect?.includes('"stop"') ?? false;
        const kind = bargeIn ? 'barge-in' : e.kind === 'backchannel' ? 'backchannel' : 'action';
        // At the action's planned audio start (the event is logged when it is scheduled).
        d.markers.push([e.start ?? e.t, kind, e.id ?? '', e.text ?? '']);
        break;
      }
      case 'action.skipped':
        d.markers.push([e.t, 'skipped', e.id ?? '', e.reason ?? '']);
        break;
      case 'trigger.fired':
        d.markers.push([e.t, 'trigger', e.id ?? '', e.event ?? '']);
        break;
      case 'vendor':
        d.markers.push([e.t, 'vendor', e.name ?? '', '']);
        break;
      case 'playout.flush':
        d.markers.push([e.t, 'flush', 'playout flushed', e.reason ?? '']);
        break;
      case 'adapter.error':
        d.markers.push([e.t, 'error', 'adapter error', e.message ?? '']);
        break;
      case 'transcript':
        if (e.final === 'true') d.transcripts.push([e.t, e.role ?? '', e.text ?? '']);
        break;
    }
  }
  return details;
}

export interface AudioPolicy {
  /** The folder the HTML is written to: links are relative to it. */
  htmlDir: string;
  /** Audio of failed and errored sessions is embedded while the total stays under this. */
  embedBudgetBytes: number;
}

/**
 * Where the page finds each session's stereo recording (`<recording_path>/audio.wav`):
 * failed and errored sessions (in report order) are embedded as data: URIs while their total
 * stays within the budget, so the failures play wherever the file travels; every other
 * session links to its WAV by a path relative to the HTML, which plays while the report sits
 * where it was written. Sessions whose WAV is missing get no player.
 */
export function audioSources(sessions: readonly SessionInfo[], policy: AudioPolicy): (string | null)[] {
  let budget = policy.embedBudgetBytes;
  return sessions.map((s) => {
    if (!s.recordingPath) return null;
    const wav = join(resolve(s.recordingPath), 'audio.wav');
    if (!existsSync(wav)) return null;
    const size = statSync(wav).size;
    if (s.status !== 'passed' && size <= budget) {
      budget -= size;
      return `data:audio/wav;base64,${readFileSync(wav).toString('base64')}`;
    }
    return relative(policy.htmlDir, wav).split(/[\\/]/).map(encodeURIComponent).join('/');
  });
}
