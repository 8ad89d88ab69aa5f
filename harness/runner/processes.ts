/**
 * Runner processes: a real-time run plays its sessions in child processes, as many as it takes
 * that no event loop paces more sessions than it can. Each runner process plays its share of sessions on its
 * own event loop, finishes each in its own finishing thread (finish.ts) and hands back what the
 * store needs; the run's own process only hands out sessions and writes the one store, so no
 * store write or report work ever shares a loop with a live session.
 *
 * SESSIONS_PER_PROCESS is measured, not guessed: the engine bench (`npm run bench -- pacing`,
 * scripted agent, one process, 2026-12-06) held pacing p99 at 0.46 ms with 16 concurrent
 * sessions and 7.2 ms with 64; 2 ms is the budget. So one loop takes at most 16: `--workers 4`
 * runs in 1 runner process, `--workers 64` in 4. Virtual time has no pacing to protect and stays
 * in-process unless processes are asked for.
 *
 * Messages (IPC, advanced serialization), parent to child: `play` (a job), `abort` (the run was
 * interrupted: end the sessions in flight), `close` (no more jobs: dispose and exit). Child to
 * parent: `ready` (set up, send jobs), `played` (a job's outcome, and what the store needs as
 * bytes straight from the finishing thread: play.ts PlayedWire), `failed` (the job threw: a
 * harness error), `setup-failed`. The parent never waits on a dead child: when one exits, every
 * job it had fails with a message that names it and how it ended.
 */
import type { ChildProcess } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import type { LoadedScenario } from '../scenario/load.ts';
import { playSessionEncoded, type PlayContext, type PlayJob, type Played, type PlayedWire } from './play.ts';
import { decodeFinished } from './finish.ts';
import { memoizedMedia, warmMedia } from './warm-media.ts';

/** Real-time sessions one event loop paces within the 2 ms budget (see the file comment). */
export const SESSIONS_PER_PROCESS = 16;

/**
 * How many runner processes a run uses: `asked` if given (0: none, all sessions in this
 * process); otherwise none in virtual time, and in real time enough that no process plays more
 * than SESSIONS_PER_PROCESS at once, at least one: the run's own process stores every finished
 * session, and a store append blocks its loop for 10-50 ms (DuckDB's appender flush is
 * synchronous; measured on a shared two-core machine), so it never plays a live session too.
 */
export function runnerProcessCount(workers: number, clock: 'real' | 'virtual', asked?: number): number {
  if (asked !== undefined) return Math.min(asked, workers);
  if (clock === 'virtual') return 0;
  return Math.ceil(workers / SESSIONS_PER_PROCESS);
}

/** A job as sent to a runner process: the scenario by key (the child loads the same selection). */
interface RemoteJob {
  key: string;
  repeat: number;
  sessionId: string;
  dir: string;
  framePhaseMs?: number;
}

type ToChild = { type: 'play'; id: number; job: RemoteJob } | { type: 'abort' } | { type: 'close' };
type FromChild =
  | { type: 'ready' }
  | { type: 'played'; id: number; played: PlayedWire }
  | { type: 'failed'; id: number; message: string }
  | { type: 'setup-failed'; message: string };

interface Child {
  index: number;
  process: ChildProcess;
  ready: boolean;
  /** Jobs sent or waiting to be sent (until ready). */
  pending: Map<number, { job: RemoteJob; resolve: (p: Played) => void; reject: (e: Error) => void }>;
  dead?: Error;
  exited: Promise<void>;
}

/** The parent's side: starts `count` runner processes and hands each job to the least busy. */
export class RunnerPool {
  private readonly children: Child[];
  private nextId = 0;
  private closing = false;

  /** `start(i)` forks runner process i (and sends it whatever it needs to set up). */
  constructor(count: number, start: (index: number) => ChildProcess) {
    this.children = Array.from({ length: count }, (_, index) => this.spawn(index, start));
  }

  get size(): number {
    return this.children.length;
  }

  private spawn(index: number, start: (index: number) => ChildProcess): Child {
    const proc = start(index);
    let exited!: () => void;
    const child: Child = { index, process: proc, ready: false, pending: new Map(), exited: new Promise((r) => (exited = r)) };
    proc.on('message', (m: FromChild) => {
      switch (m.type) {
        case 'ready':
          child.ready = true;
          for (const [id, p] of child.pending) this.send(child, { type: 'play', id, job: p.job });
          break;
        case 'played':
        case 'failed': {
          const p = child.pending.get(m.id);
          if (!p) return;
          child.pending.delete(m.id);
          if (m.type === 'failed') {
            p.reject(new Error(`runner process ${index + 1}: ${m.message}`));
            break;
          }
          try {
            p.resolve({ outcome: m.played.outcome, ...decodeFinished(m.played.encoded) });
          } catch (e) {
            p.reject(new Error(`runner process ${index + 1} handed back a result that cannot be read: ${e instanceof Error ? e.message : String(e)}`));
          }
          break;
        }
        case 'setup-failed':
          this.fail(child, new Error(`runner process ${index + 1} could not start: ${m.message}`));
          break;
      }
    });
    proc.on('error', (e) => this.fail(child, new Error(`runner process ${index + 1} failed: ${e.message}`)));
    proc.on('exit', (code, signal) => {
      const pid = proc.pid === undefined ? '' : ` (pid ${proc.pid})`;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      this.fail(child, new Error(`runner process ${index + 1}${pid} ${how}${child.pending.size ? ` with ${child.pending.size} session(s) in flight` : ''}`));
      exited();
    });
    return child;
  }

  private send(child: Child, m: ToChild): void {
    if (child.dead || !child.process.connected) return;
    child.process.send(m, (e) => {
      if (e) this.fail(child, new Error(`runner process ${child.index + 1} cannot be reached: ${e.message}`));
    });
  }

  private fail(child: Child, e: Error): void {
    child.dead ??= e;
    for (const p of child.pending.values()) p.reject(child.dead);
    child.pending.clear();
  }

  /** Play a job in the runner process with the fewest sessions in flight. */
  play(job: RemoteJob): Promise<Played> {
    const alive = this.children.filter((c) => !c.dead);
    if (alive.length === 0) return Promise.reject(this.children[0]?.dead ?? new Error('no runner process'));
    const child = alive.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      child.pending.set(id, { job, resolve, reject });
      if (child.ready) this.send(child, { type: 'play', id, job });
    });
  }

  /** The run was interrupted: every runner process ends its sessions in flight (they come back aborted). */
  abort(): void {
    for (const c of this.children) this.send(c, { type: 'abort' });
  }

  /** No more jobs: each runner process disposes its adapter and exits (killed if it has not within `graceMs`). */
  async close(graceMs = 10_000): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await Promise.all(
      this.children.map(async (c) => {
        if (c.process.exitCode !== null || c.process.signalCode !== null) return;
        this.send(c, { type: 'close' });
        const timer = setTimeout(() => c.process.kill('SIGKILL'), graceMs);
        await c.exited;
        clearTimeout(timer);
      }),
    );
  }
}

/** What a runner process needs to play the run's jobs (built from the same flags as the parent's run). */
interface RunnerContext extends Omit<PlayContext, 'signal'> {
  /** The run's selected scenarios; jobs name them by key. */
  scenarios: readonly LoadedScenario[];
}

/**
 * The child's side: render the selection's media (real time), then answer the parent's jobs
 * until it says close (then dispose and exit 0). The
 * child follows its parent: it ignores SIGINT (the parent sends `abort`), and exits at once if
 * the parent goes away (nothing could store its sessions).
 */
export async function serveRunnerProcess(given: RunnerContext): Promise<void> {
  if (!process.send) throw new Error('serveRunnerProcess runs in a child process forked with an IPC channel');
  // Real time: every session's media rendered before the first one plays (warm-media.ts).
  const live = given.clock === 'real';
  const ctx: RunnerContext = live ? { ...given, media: memoizedMedia(given.media) } : given;
  // Resolves once the message is handed to the channel, so exiting after it loses nothing.
  const send = (m: FromChild) => new Promise<void>((resolve) => process.send!(m, undefined, undefined, () => resolve()));
  const byKey = new Map(ctx.scenarios.map((s) => [s.key, s]));
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  const inFlight = new Set<Promise<void>>();
  process.on('SIGINT', () => {});
  process.on('disconnect', () => process.exit(1));
  process.on('message', (m: ToChild) => {
    if (m.type === 'abort') abort.abort();
    else if (m.type === 'close') {
      void Promise.allSettled(inFlight)
        .then(() => ctx.adapter.dispose?.())
        .finally(() => process.exit(0));
    } else if (m.type === 'play') {
      const scenario = byKey.get(m.job.key);
      const job: PlayJob | undefined = scenario && { scenario, ...m.job };
      const done = (
        job
          ? playSessionEncoded({ ...ctx, signal: abort.signal }, job)
          : Promise.reject(new Error(`no scenario ${m.job.key} in this runner process's selection`))
      ).then(
        (played) => send({ type: 'played', id: m.id, played }),
        (e: unknown) => send({ type: 'failed', id: m.id, message: e instanceof Error ? e.message : String(e) }),
      );
      inFlight.add(done);
      void done.finally(() => inFlight.delete(done));
    }
  });
  // Listening already, so an abort or close sent meanwhile is not lost; jobs come after `ready`.
  if (live) await warmMedia(ctx.scenarios, ctx.media);
  void send({ type: 'ready' });
}

/** A child that could not set itself up says why before it exits (the parent fails its jobs with the message). */
export function reportSetupFailure(e: unknown): Promise<void> {
  const m: FromChild = { type: 'setup-failed', message: e instanceof Error ? e.message : String(e) };
  return new Promise((resolve) => (process.send ? process.send(m, undefined, undefined, () => resolve()) : resolve()));
}
