/**
 * One session of a run, from playing it to what the store needs: play it (runSession), add what
 * comes from outside (the after-session hook), then finish it (finish.ts: read, score, rows).
 * The same function runs in the run's own process and in its runner processes (processes.ts),
 * so a session gives the same rows wherever it ran.
 */
import type { LoadedScenario } from '../scenario/load.ts';
import { runSession, type SessionOutcome, type SessionSpec } from './session.ts';
import { encodeFinished, finishInThread, finishInThreadEncoded, finishRecording, type Finished, type FinishRequest } from './finish.ts';

/** What every session of a run shares: the session spec less the scenario and where it is written. */
export interface PlayContext extends Omit<SessionSpec, 'loaded' | 'sessionId' | 'dir'> {
  afterSession?: (dir: string, scenario: LoadedScenario) => Promise<void>;
  /**
   * Where a finished session is read and scored: 'thread' (default), the process's finishing
   * thread, off the loop that paces the sessions still playing; 'loop', on the calling thread
   * (same result; for checking that it is).
   */
  finishIn?: 'thread' | 'loop';
}

export interface PlayJob {
  scenario: LoadedScenario;
  repeat: number;
  sessionId: string;
  /** The recording folder. */
  dir: string;
  /** SessionSpec.framePhaseMs. */
  framePhaseMs?: number;
}

export interface Played extends Finished {
  outcome: SessionOutcome;
}

/** Play and finish one session. Throws what runSession throws (a harness bug, bad media). An aborted session is not finished. */
export async function playSession(ctx: PlayContext, job: PlayJob): Promise<Played> {
  const { outcome, finished } = await play(ctx, job, (req) => (ctx.finishIn === 'loop' ? Promise.resolve(finishRecording(req)) : finishInThread(req)));
  return { outcome, ...(finished ?? { eventRows: [] }) };
}

/** A played session as a runner process hands it on: what the store needs as bytes (encodeFinished), never cloned on its live loop. */
export interface PlayedWire {
  outcome: SessionOutcome;
  encoded: Uint8Array;
}

/** playSession for a runner process: finished in its thread and left encoded. */
export async function playSessionEncoded(ctx: PlayContext, job: PlayJob): Promise<PlayedWire> {
  const { outcome, finished } = await play(ctx, job, (req) =>
    ctx.finishIn === 'loop' ? Promise.resolve(encodeFinished(finishRecording(req))) : finishInThreadEncoded(req),
  );
  return { outcome, encoded: finished ?? encodeFinished({ eventRows: [] }) };
}

async function play<T>(ctx: PlayContext, job: PlayJob, finish: (req: FinishRequest) => Promise<T>): Promise<{ outcome: SessionOutcome; finished?: T }> {
  let outcome = await runSession({
    loaded: job.scenario,
    sessionId: job.sessionId,
    dir: job.dir,
    adapter: ctx.adapter,
    adapterOptions: ctx.adapterOptions,
    media: ctx.media,
    clock: ctx.clock,
    harnessVersion: ctx.harnessVersion,
    signal: ctx.signal,
    framePhaseMs: job.framePhaseMs,
  });
  if (outcome.status === 'aborted') return { outcome };
  if (outcome.status === 'completed' && ctx.afterSession) outcome = await afterSession(ctx.afterSession, outcome, job.scenario);
  return { outcome, finished: await finish({ dir: outcome.dir, sessionId: outcome.sessionId, score: outcome.status === 'completed' }) };
}

async function afterSession(hook: NonNullable<PlayContext['afterSession']>, outcome: SessionOutcome, scenario: LoadedScenario): Promise<SessionOutcome> {
  try {
    await hook(outcome.dir, scenario);
    return outcome;
  } catch (e) {
    return { ...outcome, status: 'errored', error: `after the session: ${e instanceof Error ? e.message : String(e)}`, errorKind: 'infrastructure' };
  }
}
