/**
 * A run: every selected scenario (times --repeat) against one adapter, `workers` sessions at a
 * time. Each finished session is scored and appended to the store in one transaction before
 * the next result is reported, so a run that dies (SIGKILL included) loses only the sessions in
 * flight.
 *
 * Where the work happens: a finished session is read back, scored and turned into rows in the
 * process's finishing thread (finish.ts), never on the event loop that paces the sessions still
 * playing. With `processes`, sessions are played in runner processes (processes.ts), each
 * pacing its share on its own loop and finishing in its own thread; this process then only
 * hands out sessions and writes the store.
 *
 * A shard (`shard`) runs one part of the selection (shard.ts). A resumed run (`resume`) reuses
 * the run id of the run it continues and runs only the sessions that have no row in the store:
 * a session's row is written last and atomically, so a row means the session is complete, and
 * a recording folder without a row was in flight when the run died; it is deleted and run
 * again. Reusing the run id keeps one run row and one row per session, so reports and gates
 * count every session once; the run's finished_at is set when the resumed run ends.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import type { Adapter } from '../adapter.ts';
import type { MediaSource } from '../media.ts';
import type { LoadedScenario } from '../scenario/load.ts';
import { FRAME_MS, type SessionOutcome } from './session.ts';
import { FramePhases } from './frame-phases.ts';
import type { ScoreResult } from '../scoring/types.ts';
import { Store, type SessionVerdict } from '../store/store.ts';
import { playSession, type PlayContext, type Played } from './play.ts';
import { RunnerPool } from './processes.ts';
import { memoizedMedia, warmMedia } from './warm-media.ts';
import type { ChildProcess } from 'node:child_process';
import { HARNESS_VERSION, gitSha, newRunId } from '../version.ts';
import { InputError } from '../errors.ts';
import { formatShard, selectShard, type ShardSpec } from './shard.ts';

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
  /** Run only this shard of the selected sessions (recorded in the run's config as `shard`). */
  shard?: ShardSpec;
  /** Continue this run (see findRunToResume) instead of starting a new one. */
  resume?: ResumePoint;
  signal?: AbortSignal;
  /** Told, before the first session starts, how many sessions will run and how many a resumed run had already stored. */
  onPlanned?: (planned: number, alreadyDone: number) => void;
  onSession?: (result: SessionResult) => void;
  /**
   * Return every session's result in RunResult.sessions (default true). A long run (the CLI, the
   * soak) passes false and reads each through onSession: kept, they grow the heap by each
   * session's outcome and scores for as long as the run lasts.
   */
  keepSessions?: boolean;
  /**
   * Runs after each completed session, before it is scored: adds to the recording what comes from
   * outside the session (`run --transcribe-url`, `--judge-url`). If it fails, the session is
   * errored (infrastructure), never failed; the recording is kept.
   */
  afterSession?: (dir: string, scenario: LoadedScenario) => Promise<void>;
  /** See PlayContext.finishIn: 'thread' (default) or 'loop' (the same rows; for checking that they are). */
  finishIn?: PlayContext['finishIn'];
  /**
   * Play the sessions in `count` runner processes (processes.ts; runnerProcessCount says how
   * many a run needs); `start(i)` forks process i with what it needs to build the same
   * adapter, media and selection (cli/run-child.ts). Absent or 0: in this process.
   */
  processes?: { count: number; start: (index: number) => ChildProcess };
}

/** A run to continue: its id and the sessions it has already stored. */
interface ResumePoint {
  runId: string;
  doneSessionIds: ReadonlySet<string>;
}

export interface SessionResult {
  outcome: SessionOutcome;
  scenario: LoadedScenario;
  repeat: number;
  status: SessionVerdict;
  scored?: ScoreResult;
  /** Why scoring failed (the recording is kept). */
  scoreError?: string;
}

export interface RunResult {
  runId: string;
  /** Every session's result, in the order they ended; empty when RunOptions.keepSessions is false. */
  sessions: SessionResult[];
  counts: Record<SessionVerdict | 'aborted', number>;
  /** Sessions this invocation had to run (after shard selection and resume). */
  planned: number;
  /** Sessions skipped because a resumed run had already stored them. */
  alreadyDone: number;
  /** A configuration problem stopped the run (exit 2): e.g. a missing key, a 401. */
  configError?: string;
}

/** passed: every checked expectation held; failed: one did not; errored: infrastructure. */
export function sessionVerdict(outcome: SessionOutcome, scored: ScoreResult | undefined): SessionVerdict {
  if (outcome.status !== 'completed' || !scored) return 'errored';
  return scored.metrics.some((m) => m.passed === false) ? 'failed' : 'passed';
}

export async function runSuite(opts: RunOptions): Promise<RunResult> {
  const runId = opts.resume?.runId ?? newRunId();
  const repeat = opts.repeat ?? 1;
  const workers = Math.max(1, opts.workers ?? 1);
  const keepSessions = opts.keepSessions ?? true;
  if (!opts.resume) {
    await opts.store.beginRun({
      runId,
      startedAt: new Date().toISOString(),
      harnessVersion: HARNESS_VERSION,
      gitSha: gitSha(),
      adapter: opts.adapter.name,
      suite: opts.suite,
      clock: opts.clock,
      label: opts.label ?? null,
      config: { ...(opts.config ?? {}), repeat, ...(opts.shard ? { shard: formatShard(opts.shard) } : {}) },
      host: hostname(),
    });
  }

  let selected: Job[] = [];
  for (let r = 0; r < repeat; r++) for (const s of opts.scenarios) selected.push({ scenario: s, repeat: r });
  if (opts.shard) selected = selectShard(selected, opts.shard);
  const done = opts.resume?.doneSessionIds ?? new Set<string>();
  const queue = selected.filter((j) => !done.has(sessionIdOf(runId, j)));
  const alreadyDone = selected.length - queue.length;
  const planned = queue.length;
  opts.onPlanned?.(planned, alreadyDone);

  const results: SessionResult[] = [];
  const counts = { passed: 0, failed: 0, errored: 0, aborted: 0 };
  let configError: string | undefined;
  /** An exception out of a session (bad media, a harness bug): no new sessions start, and it is rethrown once those in flight end. */
  let fatal: { error: unknown } | undefined;

  // No more runner processes than sessions to play (none for a resumed run with nothing left).
  const processCount = Math.min(opts.processes?.count ?? 0, queue.length);
  const pool = processCount > 0 ? new RunnerPool(processCount, opts.processes!.start) : undefined;
  const onAbort = () => pool?.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  // Real time: sessions take their media as rendered once before the first of them (warm-media.ts).
  const live = opts.clock === 'real' && !pool;
  const media = live ? memoizedMedia(opts.media) : opts.media;
  const play: PlayContext = {
    adapter: opts.adapter,
    adapterOptions: opts.adapterOptions,
    media,
    clock: opts.clock,
    harnessVersion: HARNESS_VERSION,
    signal: opts.signal,
    afterSession: opts.afterSession,
    finishIn: opts.finishIn,
  };

  // No rendering beside live sessions (warm-media.ts). With runner processes this fills the
  // speech cache on disk while they boot; each then renders its own copy from it before it plays.
  if (opts.clock === 'real')
    await warmMedia(
      queue.map((j) => j.scenario),
      media,
    );

  // Real time: each session's frame deadlines at the phase the fewest sessions in flight share, in any runner process.
  const phases = opts.clock === 'real' ? new FramePhases(FRAME_MS) : undefined;
  const worker = async () => {
    for (;;) {
      if (opts.signal?.aborted || configError || fatal) return;
      const job = queue.shift();
      if (!job) return;
      const { scenario } = job;
      const sessionId = sessionIdOf(runId, job);
      const dir = join(opts.recordingsDir, runId, scenario.suite, scenario.scenario.id, `r${job.repeat}`);
      // Left by a session that was in flight when a resumed run died: start it afresh.
      if (opts.resume) rmSync(dir, { recursive: true, force: true });
      let played: Played;
      const framePhaseMs = phases?.acquire();
      try {
        played = pool
          ? await pool.play({ key: scenario.key, repeat: job.repeat, sessionId, dir, framePhaseMs })
          : await playSession(play, { scenario, repeat: job.repeat, sessionId, dir, framePhaseMs });
      } catch (error) {
        fatal ??= { error };
        return;
      } finally {
        if (framePhaseMs !== undefined) phases?.release(framePhaseMs);
      }
      const { outcome } = played;
      if (outcome.status === 'aborted') {
        counts.aborted++;
        return;
      }
      if (outcome.errorKind === 'config') configError = outcome.error;
      const result = await storeSession(
        opts.store,
        runId,
        job.repeat,
        scenario,
        played,
        opts.media.speechSource?.(scenario.scenario, scenario.file),
        opts.media.perturbation?.()?.label,
      );
      counts[result.status]++;
      if (keepSessions) results.push(result);
      opts.onSession?.(result);
    }
  };
  try {
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    await pool?.close();
    await opts.store.finishRun(runId, new Date().toISOString());
    await opts.adapter.dispose?.();
  }
  if (fatal) throw fatal.error;
  return { runId, sessions: results, counts, planned, alreadyDone, configError };
}

interface Job {
  scenario: LoadedScenario;
  repeat: number;
}

function sessionIdOf(runId: string, job: Job): string {
  return `${runId}:${job.scenario.key}:r${job.repeat}`;
}

/** What must match between a run and its resumption (the selection and how it is played). */
interface ResumeRequest {
  suite: string;
  adapter: string;
  clock: 'real' | 'virtual';
  repeat: number;
  grep?: string;
  shard?: ShardSpec;
  /** The voice set (`--voices`, as voice-set.ts formats it); absent: the scenarios' own voices. */
  voices?: string;
  /** The perturbation (`--perturb`, canonical); absent: none. */
  perturb?: string;
}

/**
 * The latest run in the store of this suite, adapter and shard, with the sessions it has
 * stored. A run with other selection flags (repeat, grep, clock, voices) is refused: resuming it with
 * different flags would mix two selections in one run.
 */
export async function findRunToResume(store: Store, want: ResumeRequest): Promise<ResumePoint> {
  const shard = want.shard ? formatShard(want.shard) : null;
  const runs = await store.query<{ run_id: string; clock: string; config: Record<string, unknown> | null }>(
    'SELECT run_id, clock, config FROM runs WHERE suite = $1 AND adapter = $2 ORDER BY started_at DESC, run_id DESC',
    [want.suite, want.adapter],
  );
  const run = runs.find((r) => (r.config?.shard ?? null) === shard);
  if (!run) {
    throw new InputError(`no run of suite ${want.suite} against ${want.adapter}${shard ? ` (shard ${shard})` : ''} to resume in this store`, {
      file: store.path,
      field: '--resume',
      hint: 'Give the store the interrupted run wrote to, with the same --suite, --adapter and --shard; or start a new run without --resume.',
    });
  }
  const config = run.config ?? {};
  const differences: string[] = [];
  if (run.clock !== want.clock) differences.push(`--clock ${run.clock}`);
  if ((config.repeat ?? 1) !== want.repeat) differences.push(`--repeat ${String(config.repeat ?? 1)}`);
  if ((config.grep ?? undefined) !== want.grep) differences.push(config.grep === undefined ? 'no --grep' : `--grep ${String(config.grep)}`);
  if ((config.perturb ?? undefined) !== want.perturb) differences.push(config.perturb === undefined ? 'no --perturb' : `--perturb ${String(config.perturb)}`);
  if ((config.voices ?? undefined) !== want.voices) differences.push(config.voices === undefined ? 'no --voices' : `--voices ${String(config.voices)}`);
  if (differences.length > 0) {
    throw new InputError(`run ${run.run_id} was started with other flags than this resumption`, {
      file: store.path,
      field: '--resume',
      hint: `Resume it with the flags it was started with: ${differences.join(', ')}.`,
    });
  }
  const rows = await store.query<{ session_id: string }>('SELECT session_id FROM sessions WHERE run_id = $1', [run.run_id]);
  return { runId: run.run_id, doneSessionIds: new Set(rows.map((r) => r.session_id)) };
}

/** Append a finished session (its row last and atomically: a row means the session is complete). */
async function storeSession(
  store: Store,
  runId: string,
  repeat: number,
  scenario: LoadedScenario,
  played: Played,
  speechSource?: string,
  perturbation?: string,
): Promise<SessionResult> {
  const { outcome, scored, scoreError, eventRows } = played;
  const status = sessionVerdict(outcome, scored);
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
      harnessErrorMs: outcome.timing.harnessErrorMs,
      timingFlagged: outcome.timing.flagged,
      speechSource: speechSource ?? null,
      perturbation: perturbation ?? null,
    },
    eventRows,
    scored?.segments ?? [],
    scored?.metrics ?? [],
  );
  return { outcome, scenario, repeat, status, scored, scoreError };
}
