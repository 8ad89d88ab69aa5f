/**
 * A run: every selected scenario (times --repeat) against one adapter, `workers` sessions at a
 * time. Each finished session is scored and appended to the store in one transaction before
 * the next result is reported, so a run that dies loses only the sessions in flight.
 */
import { join } from 'node:path';
import { hostname } from 'node:os';
import type { Adapter } from '../adapter.ts';
import type { MediaSource } from '../media.ts';
import type { LoadedScenario } from '../scenario/load.ts';
import { runSession, type SessionOutcome } from './session.ts';
import { readRecording } from '../recording/reader.ts';
import { score } from '../scoring/score.ts';
import type { ScoreResult } from '../scoring/types.ts';
import { Store, toEventRows, type SessionStatus } from '../store/store.ts';
import { HARNESS_VERSION, gitSha, newRunId } from '../version.ts';

export interface RunOptions {
  scenarios: LoadedScenario[];
  adapter: Adapter;
  adapterOptions?: Record<string, unknown>;
  media: MediaSource;
  clock: 'real' | 'virtual';
  repeat?: number;
  workers?: number;
  /** Where session recordings go: <recordingsDir>/<runId>/<suite>/<id>/r<k>/ */
  recordingsDir: string;
  store: Store;
  suite: string;
  /** Shown in the store; must hold no secrets (the store redacts secret-named keys again). */
  config?: Record<string, unknown>;
  label?: string;
  signal?: AbortSignal;
  onSession?: (result: SessionResult) => void;
}

export interface SessionResult {
  outcome: SessionOutcome;
  scenario: LoadedScenario;
  repeat: number;
  status: SessionStatus;
  scored?: ScoreResult;
  /** Why scoring failed (the recording is kept). */
  scoreError?: string;
}

export interface RunResult {
  runId: string;
  sessions: SessionResult[];
  counts: Record<SessionStatus | 'aborted', number>;
  /** A configuration problem stopped the run (exit 2): e.g. a missing key, a 401. */
  configError?: string;
}

/** passed: every checked expectation held; failed: one did not; errored: infrastructure. */
export function sessionStatus(outcome: SessionOutcome, scored: ScoreResult | undefined): SessionStatus {
  if (outcome.status !== 'completed' || !scored) return 'errored';
  return scored.metrics.some((m) => m.passed === false) ? 'failed' : 'passed';
}

export async function runSuite(opts: RunOptions): Promise<RunResult> {
  const runId = newRunId();
  const repeat = opts.repeat ?? 1;
  const workers = Math.max(1, opts.workers ?? 1);
  await opts.store.beginRun({
    runId,
    startedAt: new Date().toISOString(),
    harnessVersion: HARNESS_VERSION,
    gitSha: gitSha(),
    adapter: opts.adapter.name,
    suite: opts.suite,
    clock: opts.clock,
    label: opts.label ?? null,
    config: opts.config ?? {},
    host: hostname(),
  });

  const queue: { scenario: LoadedScenario; repeat: number }[] = [];
  for (let r = 0; r < repeat; r++) for (const s of opts.scenarios) queue.push({ scenario: s, repeat: r });

  const results: SessionResult[] = [];
  const counts = { passed: 0, failed: 0, errored: 0, aborted: 0 };
  let configError: string | undefined;

  const worker = async () => {
    for (;;) {
      if (opts.signal?.aborted || configError) return;
      const job = queue.shift();
      if (!job) return;
      const { scenario } = job;
      const sessionId = `${runId}:${scenario.key}:r${job.repeat}`;
      const dir = join(opts.recordingsDir, runId, scenario.suite, scenario.scenario.id, `r${job.repeat}`);
      const outcome = await runSession({
        loaded: scenario,
        sessionId,
        dir,
        adapter: opts.adapter,
        adapterOptions: opts.adapterOptions,
        media: opts.media,
        clock: opts.clock,
        harnessVersion: HARNESS_VERSION,
        signal: opts.signal,
      });
      if (outcome.status === 'aborted') {
        counts.aborted++;
        return;
      }
      if (outcome.errorKind === 'config') configError = outcome.error;
      const result = await scoreAndStore(opts.store, runId, job.repeat, scenario, outcome);
      counts[result.status]++;
      results.push(result);
      opts.onSession?.(result);
    }
  };
  try {
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    await opts.store.finishRun(runId, new Date().toISOString());
    await opts.adapter.dispose?.();
  }
  return { runId, sessions: results, counts, configError };
}

async function scoreAndStore(store: Store, runId: string, repeat: number, scenario: LoadedScenario, outcome: SessionOutcome): Promise<SessionResult> {
  const recording = readRecording(outcome.dir);
  let scored: ScoreResult | undefined;
  let scoreError: string | undefined;
  if (outcome.status === 'completed') {
    try {
      scored = score(recording);
    } catch (e) {
      scoreError = `scoring failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  const status = sessionStatus(outcome, scored);
  const s = scenario.scenario;
  await store.appendSession(
    {
      sessionId: outcome.sessionId,
      runId,
      scenarioKey: scenario.key,
      scenarioId: s.id,
      suite: scenario.suite,
      family: s.family,
      tags: s.tags ?? [],
      repeat,
      status,
      error: outcome.error ?? scoreError ?? null,
      startedAt: outcome.startedAt,
      durationMs: outcome.durationMs,
      recordingPath: outcome.dir,
      pacingP50Ms: outcome.pacing.p50Ms,
      pacingP99Ms: outcome.pacing.p99Ms,
      pacingMaxMs: outcome.pacing.maxMs,
    },
    toEventRows(recording.events, outcome.sessionId),
    scored?.segments ?? [],
    scored?.metrics ?? [],
  );
  return { outcome, scenario, repeat, status, scored, scoreError };
}
