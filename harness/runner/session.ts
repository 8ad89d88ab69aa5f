/**
 * Runs one scenario against one adapter and writes its recording. The parts, one job each:
 *   ActionScheduler (action-scheduler.ts)  the user's side: actions onto the user track when
 *                                           the timeline says, planted truth, the end time;
 *   AgentChannel (agent-channel.ts)        adapter events to played audio, onsets and offsets;
 *   FrameLoop (frame-loop.ts)              every 20 ms: the user frame out, played audio in;
 *   sessionTiming (harness-error.ts)        how much of the timeline the harness can vouch for.
 * This file prepares media, opens the adapter, wires the parts and closes the recording. In
 * virtual time the same code runs on a VirtualClock and awaits the adapter after each frame,
 * so results are identical every run.
 */
import { liveWakeRealtime, RealClock, VirtualClock, staggeredOrigin, type Clock } from '../clock.ts';
import { raiseLiveLoop } from '../priority.ts';
import type { Adapter, AdapterSession } from '../adapter.ts';
import { AdapterError } from '../adapter.ts';
import { USER_SAMPLE_RATE, type MediaSource, type VideoTrack } from '../media.ts';
import type { LoadedScenario } from '../scenario/load.ts';
import { actionKindOf } from '../scenario/schema.ts';
import { RECORDING_VERSION, type PacingStats, type RecordingEvent, type SessionTiming } from '../recording/events.ts';
import { RecordingWriter } from '../recording/writer.ts';
import { StreamResampler } from '../audio/stream-resampler.ts';
import { UserTrack } from './user-track.ts';
import { openNoiseFloor } from './noise-floor.ts';
import { EchoPath } from './echo-path.ts';
import { Timeline } from './timeline.ts';
import { quantile } from '../stats.ts';
import { activeSpeechDbfs } from './levels.ts';
import { DEFAULT_VIDEO_FPS, VideoSchedule } from './video-stream.ts';
import { ActionScheduler, type PreparedAction } from './action-scheduler.ts';
import { AgentChannel } from './agent-channel.ts';
import { FrameLoop } from './frame-loop.ts';
import { sessionTiming } from './harness-error.ts';

/** The runner's frame: user audio goes out and agent audio is read every this many ms. */
export const FRAME_MS = 20;
/** Hard cap on a session when the scenario sets no duration_ms. */
export const DEFAULT_MAX_SESSION_MS = 600_000;
/** Listening time after the last action when the scenario sets no tail_ms. */
export const DEFAULT_TAIL_MS = 4_000;

export interface SessionSpec {
  loaded: LoadedScenario;
  sessionId: string;
  /** Folder the recording is written to. */
  dir: string;
  adapter: Adapter;
  adapterOptions?: Record<string, unknown>;
  media: MediaSource;
  clock: 'real' | 'virtual';
  harnessVersion: string;
  signal?: AbortSignal;
  /**
   * Real time: where in the frame period this session's frame deadlines fall, in whole ms
   * (FramePhases: a run spreads its sessions over the period across its runner processes).
   * Default: the next of this process's own spread phases (staggeredOrigin).
   */
  framePhaseMs?: number;
}

/** How a session ended (session.end reason): ran to its end, failed for infrastructure, or was interrupted. */
type SessionEndReason = 'completed' | 'errored' | 'aborted';

export interface SessionOutcome {
  sessionId: string;
  dir: string;
  status: SessionEndReason;
  /** For errored sessions: what went wrong (never contains secrets: adapters redact). */
  error?: string;
  errorKind?: AdapterError['kind'] | 'harness';
  startedAt: string;
  durationMs: number;
  pacing: PacingStats;
  timing: SessionTiming;
}

/** Render every audio action before the clock starts; user speech first, as beds are levelled against it. */
async function prepare(spec: SessionSpec, timeline: Timeline): Promise<Map<string, PreparedAction>> {
  const { scenario, file } = spec.loaded;
  const seed = scenario.seed ?? 0;
  const defaults = { voice: scenario.voice, seed };
  const out = new Map<string, PreparedAction>();
  for (const slot of timeline.slots) {
    const a = slot.action;
    const kind = actionKindOf(a);
    const speech = a.speak ?? a.backchannel;
    out.set(a.id, { slot, kind, speech: speech && (await spec.media.renderSpeech(speech, defaults, file)), lengthMs: a.silence?.ms ?? a.show?.ms });
  }
  // Only beds need the user's speech level; measuring it is a pass over all of the user's speech.
  let userSpeechDbfs: number | undefined;
  const userLevel = () =>
    (userSpeechDbfs ??= activeSpeechDbfs(
      [...out.values()].filter((p) => p.kind === 'speak').map((p) => p.speech!.pcm),
      USER_SAMPLE_RATE,
    ));
  for (const p of out.values()) {
    const a = p.slot.action;
    if (a.side_talk) p.speech = await spec.media.renderSideTalk(a.side_talk, defaults, file);
    if (a.background) p.speech = await spec.media.renderBackground(a.background, { ...defaults, userSpeechDbfs: userLevel() }, file);
    if (a.vocal_tic) p.speech = await spec.media.renderVocalTic(a.vocal_tic, defaults, a.id);
  }
  return out;
}

interface VideoStream {
  schedule: VideoSchedule;
  track: VideoTrack;
}

async function openVideo(spec: SessionSpec): Promise<VideoStream | undefined> {
  const { scenario, file } = spec.loaded;
  if (!scenario.video) return undefined;
  const fps = scenario.video.fps ?? DEFAULT_VIDEO_FPS;
  const shows = scenario.timeline.flatMap((a) => (a.show ? [a.show] : []));
  const track = await spec.media.openVideo({ ...scenario.video, fps }, shows, file);
  return { schedule: new VideoSchedule(fps, FRAME_MS), track };
}

export async function runSession(spec: SessionSpec): Promise<SessionOutcome> {
  const { scenario, key } = spec.loaded;
  const timeline = new Timeline(scenario.timeline);
  // Real time: this thread is the live loop (its priority before any thread it starts, which inherit it).
  const live = spec.clock === 'real' ? raiseLiveLoop() : undefined;
  const prepared = await prepare(spec, timeline);
  const video = await openVideo(spec);
  const startedAt = new Date().toISOString();
  const rate = USER_SAMPLE_RATE;
  // Closed in the finally below (a ring left full, were something to throw before it, costs the noise thread nothing).
  const noise = scenario.noise ? await openNoiseFloor(spec.media.noise(scenario.noise, scenario.seed ?? 0), spec.clock, rate) : undefined;
  const maxSessionMs = scenario.duration_ms ?? DEFAULT_MAX_SESSION_MS;

  const perturbation = spec.media.perturbation?.();
  const writer = new RecordingWriter(spec.dir, {
    type: 'recording.header',
    t: 0,
    version: RECORDING_VERSION,
    sessionId: spec.sessionId,
    scenarioKey: key,
    scenario,
    adapter: spec.adapter.name,
    clock: spec.clock,
    sampleRate: rate,
    startedAt,
    harnessVersion: spec.harnessVersion,
    ...(perturbation ? { perturbation: perturbation.label } : {}),
  });
  // Where latencies are measured from and to (a stop from the barge-in's start, the rest from
  // a speech end, to an agent onset): the harness's lateness there is its error.
  const measuredAtMs: number[] = [];
  const record = (e: RecordingEvent) => {
    if (e.type === 'action.start' && e.kind === 'speak') measuredAtMs.push(e.speechStartMs, e.speechEndMs);
    if (e.type === 'agent.speech_start') measuredAtMs.push(e.onsetMs);
    writer.event(e);
  };

  // The clock starts once the session is open (connection time is not conversation time);
  // until then everyone sees time 0 of a clock that never runs.
  let current: Clock = new VirtualClock();
  const clock: Clock = {
    get mode() {
      return current.mode;
    },
    nowMs: () => current.nowMs(),
    at: (tMs, fn) => current.at(tMs, fn),
  };

  let session: AdapterSession | undefined;
  const end = new SessionEnd();
  const echo = perturbation?.echo && new EchoPath(perturbation.echo.gainDb, perturbation.echo.delayMs, rate);
  const track = new UserTrack(rate, noise, echo);
  if (video?.track.audio) track.place(0, video.track.audio);
  const actions = new ActionScheduler({
    clock,
    timeline,
    prepared,
    track,
    video: video?.schedule,
    record,
    truth: (e) => session?.observeTruth?.(e),
    maxSessionMs,
    tailMs: scenario.tail_ms ?? DEFAULT_TAIL_MS,
    ended: () => end.ended,
  });
  const agent = new AgentChannel({
    clock,
    sampleRate: rate,
    writer,
    record,
    onSpeech: (changes) => actions.agentSpeech(changes),
    onFlushed: spec.adapter.capabilities.truncation ? (f) => session?.playoutFlushed?.(f) : undefined,
    onFatal: (message) => end.finish('errored', message, 'infrastructure'),
    onPlayed: echo ? (played) => echo.push(played) : undefined,
  });
  let frames: FrameLoop | undefined;

  const abort = new AbortController();
  const onAbort = () => end.finish('aborted', 'interrupted');
  spec.signal?.addEventListener('abort', onAbort, { once: true });

  try {
    if (spec.clock === 'virtual' && !spec.adapter.capabilities.virtualTime) {
      throw new AdapterError(`adapter ${spec.adapter.name} cannot run in virtual time; use --clock real`, 'config');
    }
    try {
      session = await spec.adapter.open({
        clock,
        emit: (e) => {
          if (!end.ended) agent.receive(e);
        },
        scenarioId: key,
        options: spec.adapterOptions ?? {},
        signal: abort.signal,
      });
    } catch (e) {
      end.finish('errored', e instanceof Error ? e.message : String(e), e instanceof AdapterError ? e.kind : 'harness');
    }
    if (session && !end.ended) {
      if (spec.clock === 'real') current = new RealClock(staggeredOrigin(FRAME_MS, spec.framePhaseMs));
      const inputRate = spec.adapter.capabilities.inputSampleRate;
      actions.start(FRAME_MS);
      frames = new FrameLoop({
        clock,
        frameMs: FRAME_MS,
        track,
        writer,
        record,
        session,
        userResampler: inputRate !== rate ? new StreamResampler(rate, inputRate) : undefined,
        agent,
        video,
        acceptsVideo: spec.adapter.capabilities.video && session.sendVideoFrame !== undefined,
        endAtMs: () => actions.endAtMs,
        ended: () => end.ended,
        onComplete: () => end.finish('completed'),
        // A send that fails in real time is the system's failure, recorded as its error.
        onFailure: (message, inStep) => (inStep ? end.finish('errored', message, 'harness') : agent.receive({ type: 'error', message, recoverable: false })),
      });
      frames.start();
      if (current instanceof VirtualClock) await current.runUntil(maxSessionMs + FRAME_MS, () => end.ended);
      await end.promise;
    }
  } catch (e) {
    end.finish('errored', e instanceof Error ? e.message : String(e), e instanceof AdapterError ? e.kind : 'harness');
  } finally {
    spec.signal?.removeEventListener('abort', onAbort);
    abort.abort();
    try {
      await session?.close();
    } catch {
      // Closing a broken session is best effort; the recording is what matters.
    }
    // Agent audio still queued is not heard: the recording ends with the session.
    agent.close(clock.nowMs());
    noise?.close();
    const latenessMs = frames?.latenessMs ?? [];
    const pacing = pacingStats(latenessMs);
    const timing = sessionTiming({
      latenessMs,
      frameMs: FRAME_MS,
      measuredAtMs,
      playout: agent.playout.stats(),
      owedAtOnsetMs: agent.owedAtOnsetMs,
      noiseWaits: noise?.waits,
      instrumentLateness: session?.instrumentLateness?.(),
      clockOriginEpochMs: current instanceof RealClock ? current.originEpochMs : undefined,
      liveNice: live?.nice,
      wakeRealtime: live ? liveWakeRealtime() : undefined,
    });
    record({ type: 'session.end', t: clock.nowMs(), reason: end.status, error: end.error, pacing, timing });
    writer.close();
    return {
      sessionId: spec.sessionId,
      dir: spec.dir,
      status: end.status,
      error: end.error,
      errorKind: end.errorKind,
      startedAt,
      durationMs: clock.nowMs(),
      pacing,
      timing,
    };
  }
}

/** How the session ended: the first reason given wins. */
class SessionEnd {
  ended = false;
  status: SessionEndReason = 'completed';
  error?: string;
  errorKind?: SessionOutcome['errorKind'];
  private resolve: () => void = () => {};
  readonly promise = new Promise<void>((r) => (this.resolve = r));

  finish(why: SessionEndReason, message?: string, kind?: SessionOutcome['errorKind']): void {
    if (this.ended) return;
    this.ended = true;
    if (why !== 'completed') {
      this.status = why;
      this.error = message;
      this.errorKind = kind;
    }
    this.resolve();
  }
}

function pacingStats(lateMs: number[]): PacingStats {
  if (lateMs.length === 0) return { frames: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 };
  return { frames: lateMs.length, p50Ms: quantile(lateMs, 0.5), p99Ms: quantile(lateMs, 0.99), maxMs: lateMs.reduce((a, b) => Math.max(a, b), -Infinity) };
}
