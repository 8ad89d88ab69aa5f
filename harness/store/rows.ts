/**
 * The rows the store writes, in camelCase, and their mapping to table columns (in the order
 * schema.ts declares them, which is the order the appenders write).
 */
import type { MetricValue, Segment } from '../scoring/types.ts';
import { InputError } from '../errors.ts';
import { redactSecrets } from '../redact.ts';

/** ISO 8601 with a zone, e.g. `2025-01-31T12:00:00.000Z`; stored as TIMESTAMP in UTC. */
export type IsoTime = string;

export interface RunRow {
  runId: string;
  startedAt: IsoTime;
  finishedAt?: IsoTime | null;
  harnessVersion: string;
  gitSha?: string | null;
  adapter: string;
  suite: string;
  clock: 'real' | 'virtual';
  /** Benchmark the recordings come from; default `crosstalk`. */
  source?: 'crosstalk' | 'fdb-v1' | 'fdb-v1.5' | 'fd-bench';
  label?: string | null;
  /** Secrets removed by the caller; the store redacts secret-named keys again. */
  config?: unknown;
  host?: string | null;
}

/** How a stored session came out: its expectations held (passed), one did not (failed), or it could not be judged (errored). */
export type SessionVerdict = 'passed' | 'failed' | 'errored';

export interface SessionRow {
  sessionId: string;
  runId: string;
  /** `suite/id` */
  scenarioKey: string;
  scenarioId: string;
  suite: string;
  family: string;
  tags: string[];
  repeat: number;
  status: SessionVerdict;
  error?: string | null;
  startedAt: IsoTime;
  durationMs: number;
  recordingPath?: string | null;
  /** Frame-send lateness (session.end pacing); null where nothing was paced (imports). */
  pacingP50Ms?: number | null;
  pacingP99Ms?: number | null;
  pacingMaxMs?: number | null;
  /** `engine:voice` of the user's speech (schema v3); null where unknown (imports). */
  speechSource?: string | null;
  /** Canonical `--perturb` spec of the user's side (schema v4); null: none (clean). */
  perturbation?: string | null;
  /** Harness-made timing error and whether it passed the bound (schema v5, session.end timing); null where not measured. */
  harnessErrorMs?: number | null;
  timingFlagged?: boolean | null;
}

export interface EventRow {
  sessionId: string;
  tMs: number;
  source: string;
  type: string;
  /** Any JSON-serializable value; stored as JSON. */
  payload: unknown;
}

export type RuleSet = 'crosstalk' | 'peer';

/** A metric as stored: the scorer's value plus which rule set produced it (default crosstalk). */
export type StoredMetric = MetricValue & { ruleSet?: RuleSet };

/** A value as the appender's JS converter takes it. */
export type Cell = string | number | boolean | Date | string[] | null;

export function toTimestamp(value: IsoTime, field: string): Date;
export function toTimestamp(value: IsoTime | null | undefined, field: string): Date | null;
export function toTimestamp(value: IsoTime | null | undefined, field: string): Date | null {
  if (value === null || value === undefined) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new InputError(`not a timestamp: ${JSON.stringify(value)}`, { field, hint: 'Use ISO 8601, e.g. 2025-01-31T12:00:00Z.' });
  }
  return date;
}

export function runCells(run: RunRow): Cell[] {
  return [
    run.runId,
    toTimestamp(run.startedAt, 'runs.started_at'),
    toTimestamp(run.finishedAt, 'runs.finished_at'),
    run.harnessVersion,
    run.gitSha ?? null,
    run.adapter,
    run.suite,
    run.clock,
    run.source ?? 'crosstalk',
    run.label ?? null,
    run.config === undefined ? null : JSON.stringify(redactSecrets(run.config)),
    run.host ?? null,
  ];
}

export function sessionCells(s: SessionRow): Cell[] {
  return [
    s.sessionId,
    s.runId,
    s.scenarioKey,
    s.scenarioId,
    s.suite,
    s.family,
    s.tags,
    s.repeat,
    s.status,
    s.error ?? null,
    toTimestamp(s.startedAt, 'sessions.started_at'),
    s.durationMs,
    s.recordingPath ?? null,
    s.pacingP50Ms ?? null,
    s.pacingP99Ms ?? null,
    s.pacingMaxMs ?? null,
    s.speechSource ?? null,
    s.perturbation ?? null,
    s.harnessErrorMs ?? null,
    s.timingFlagged ?? null,
  ];
}

export function eventCells(e: EventRow): Cell[] {
  return [e.sessionId, e.tMs, e.source, e.type, e.payload === undefined ? null : JSON.stringify(e.payload)];
}

export function segmentCells(sessionId: string, s: Segment): Cell[] {
  return [sessionId, s.channel, s.startMs, s.endMs, s.kind];
}

export function metricCells(sessionId: string, m: StoredMetric): Cell[] {
  return [sessionId, m.family, m.name, m.value, m.unit, m.passed, m.subject, m.expectation ?? null, m.note ?? null, m.ruleSet ?? 'crosstalk', m.reason ?? null];
}
