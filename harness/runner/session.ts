/**
 * Runs one scenario against one adapter and writes its recording.
 *
 * Every 20 ms frame deadline on the session clock: the next frame of the user track is sent,
 * and the agent audio played up to now is taken from the playout buffer into the recording
 * and the online VAD (whose onsets and offsets drive reactive triggers). Agent events are
 * stamped with the clock when they arrive. In virtual time the same code runs on a
 * VirtualClock and awaits the adapter after each frame, so results are identical every run.
 */
import { RealClock, VirtualClock, staggeredOrigin, type Clock } from '../clock.ts';
import type { Adapter, AdapterEvent, AdapterSession, TruthEvent } from '../adapter.ts';
import { InputError } from '../errors.ts';
import { AdapterError } from '../adapter.ts';
import { USER_SAMPLE_RATE, type MediaSource, type RenderedSpeech } from '../media.ts';
import type { LoadedScenario } from '../scenario/load.ts';
import { actionKindOf, type ActionKind } from '../scenario/schema.ts';
import { RECORDING_VERSION, type PacingStats, type RecordingEvent } from '../recording/events.ts';
import { RecordingWriter } from '../recording/writer.ts';
import { StreamingVad } from '../vad/energy.ts';
import { StreamResampler } from '../audio/stream-resampler.ts';
import { PlayoutBuffer } from './playout.ts';
import { UserTrack } from './user-track.ts';
import { Timeline, type ActionSlot, type Fire } from './timeline.ts';
import { quantile } from '../stats.ts';
import type { AvMedia, VideoTrack } from './av-media.ts';
import { activeSpeechDbfs } from './levels.ts';
import { DEFAULT_VIDEO_FPS, VideoSchedule } from './video-stream.ts';

export const FRAME_MS = 20;
/** Hard cap on a session when the scenario sets no duration_ms. */
export const DEFAULT_MAX_SESSION_MS = 600_000;
const DEFAULT_TAIL_MS = 4_000;
/** The harness samples its own memory this often (session time) into the recording. */
export const HARNESS_SAMPLE_MS = 60_000;

export interface SessionSpec {
  loaded: LoadedScenario;
  sessionId: string;
  /** Folder the recording is written to. */
  dir: string;
  adapter: Adapter;
  adapterOptions?: Record<string, unknown>;
  media: MediaSource;
  /** Side talk, background and video; needed only by scenarios that use them. */
  av?: AvMedia;
  clock: 'real' | 'virtual';
  harnessVersion: string;
  signal?: AbortSignal;
}

export type SessionStatus = 'completed' | 'errored' | 'aborted';

export interface SessionOutcome {
  sessionId: string;
  dir: string;
  status: SessionStatus;
  /** For errored sessions: what went wrong (never contains secrets: adapters redact). */
  error?: string;
  errorKind?: AdapterError['kind'] | 'harness';
  startedAt: string;
  durationMs: number;
  pacing: PacingStats;
}

interface Prepared {
  slot: ActionSlot;
  kind: ActionKind;
  /** Audio actions (speak, backchannel, side talk, background, vocal tic). */
  speech?: RenderedSpeech;
  /** Silence and show actions: their length. */
  lengthMs?: number;
}

/** Truth sent to test agents when an audio action is placed. */
const TRUTH_OF: Partial<Record<ActionKind, TruthEvent['type']>> = {
  speak: 'user_speech',
  backchannel: 'user_backchannel',
  side_talk: 'user_side_talk',
  background: 'background',
  vocal_tic: 'user_vocal_tic',
};

function avOf(spec: SessionSpec): AvMedia {
  if (spec.av) return spec.av;
  throw new InputError('this scenario has side talk, background sound, vocal tics of their own or video, but the run was given no AV media', spec.loaded.file, undefined, undefined, 'Pass `av: createAvMedia()` (datasets/av-media.ts) to runSession/runSuite.');
}

/** Render every audio action before the clock starts; user speech first, as beds are levelled against it. */
async function prepare(spec: SessionSpec, timeline: Timeline): Promise<Map<string, Prepared>> {
  const { scenario, file } = spec.loaded;
  const seed = scenario.seed ?? 0;
  const defaults = { voice: scenario.voice, seed };
  const out = new Map<string, Prepared>();
  for (const slot of timeline.slots) {
    const a = slot.action;
    const kind = actionKindOf(a);
    const speech = a.speak ?? a.backchannel;
    out.set(a.id, { slot, kind, speech: speech && (await spec.media.renderSpeech(speech, defaults, file)), lengthMs: a.silence?.ms ?? a.show?.ms });
  }
  const userSpeech = [...out.values()].filter((p) => p.kind === 'speak').map((p) => p.speech!.pcm);
  const userSpeechDbfs = activeSpeechDbfs(userSpeech, USER_SAMPLE_RATE);
  for (const p of out.values()) {
    const a = p.slot.action;
    if (a.side_talk) p.speech = await avOf(spec).renderSideTalk(a.side_talk, defaults, file);
    if (a.background) p.speech = await avOf(spec).renderBackground(a.background, { ...defaults, userSpeechDbfs }, file);
    if (a.vocal_tic) p.speech = await avOf(spec).renderVocalTic(a.vocal_tic, defaults, a.id);
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
  const track = await avOf(spec).openVideo({ ...scenario.video, fps }, shows, file);
  return { schedule: new VideoSchedule(fps, FRAME_MS), track };
}

export async function runSession(spec: SessionSpec): Promise<SessionOutcome> {
  const { scenario, key } = spec.loaded;
  const timeline = new Timeline(scenario.timeline);
  const prepared = await prepare(spec, timeline);
  const video = await openVideo(spec);
  const startedAt = new Date().toISOString();
  const rate = USER_SAMPLE_RATE;
  const frameSamples = (rate * FRAME_MS) / 1000;
  const maxMs = scenario.duration_ms ?? DEFAULT_MAX_SESSION_MS;
  const tailMs = scenario.tail_ms ?? DEFAULT_TAIL_MS;

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
  });

  // The clock starts once the session is open: connection time is not conversation time.
  let clock: Clock = new VirtualClock();
  const record = (e: RecordingEvent) => writer.event(e);
  const noise = scenario.noise ? spec.media.noise(scenario.noise, scenario.seed ?? 0) : undefined;
  const track = new UserTrack(rate, noise);
  if (video?.track.audio) track.place(0, video.track.audio);
  const playout = new PlayoutBuffer(rate);
  const vad = new StreamingVad(rate);
  const lateness: number[] = [];
  let session: AdapterSession | undefined;
  let ended = false;
  let status: SessionStatus = 'completed';
  let error: string | undefined;
  let errorKind: SessionOutcome['errorKind'];
  let endAtMs = maxMs;
  let resolveEnd: () => void = () => {};
  const endPromise = new Promise<void>((r) => (resolveEnd = r));
  const agentResampler = new Map<number, StreamResampler>();
  let userResampler: StreamResampler | undefined;

  const finish = (why: SessionStatus, message?: string, kind?: SessionOutcome['errorKind']) => {
    if (ended) return;
    ended = true;
    if (why !== 'completed') {
      status = why;
      error = message;
      errorKind = kind;
    }
    resolveEnd();
  };

  const truth = (e: TruthEvent) => session?.observeTruth?.(e);

  /** Put an action on the user track at (or as near as possible to) `fire.atMs`. */
  const place = (fire: Fire) => {
    const { slot } = fire;
    if (slot.state === 'placed' || slot.state === 'skipped' || ended) return;
    const p = prepared.get(slot.action.id)!;
    const { kind } = p;
    const show = slot.action.show;
    let startMs: number;
    if (show) {
      startMs = video!.schedule.placeCue(slot.action.id, show.cue, fire.atMs, show.ms).startMs;
    } else {
      const startSample = track.place(Math.round((fire.atMs * rate) / 1000), p.speech?.pcm ?? new Int16Array(0));
      startMs = (startSample * 1000) / rate;
    }
    const lengthMs = p.speech ? (p.speech.pcm.length * 1000) / rate : p.lengthMs!;
    const endMs = startMs + lengthMs;
    const now = clock.nowMs();
    if (fire.event !== 'at_ms') record({ type: 'trigger.fired', t: now, id: slot.action.id, event: fire.event, refMs: fire.refMs, atMs: startMs });
    const s = p.speech;
    const abs = (ms: number) => startMs + ms;
    record({
      type: 'action.start',
      t: now,
      id: slot.action.id,
      kind,
      startMs,
      speechStartMs: s ? abs(s.speechStartMs) : startMs,
      speechEndMs: s ? abs(s.speechEndMs) : endMs,
      endMs,
      words: s ? s.words.map((w) => ({ text: w.text, startMs: abs(w.startMs), endMs: abs(w.endMs) })) : [],
      pauses: s ? s.pauses.map((q) => ({ startMs: abs(q.startMs), endMs: abs(q.endMs), afterWord: q.afterWord })) : [],
      ...(s?.tics ? { tics: s.tics.map((q) => ({ startMs: abs(q.startMs), endMs: abs(q.endMs), sound: q.sound })) } : {}),
      expect: slot.action.expect ?? [],
      text: (slot.action.speak ?? slot.action.backchannel ?? slot.action.side_talk ?? slot.action.background)?.text,
    });
    sendTruth(slot.action.id, kind, startMs, endMs, s);
    clock.at(endMs, () => record({ type: 'action.end', t: clock.nowMs(), id: slot.action.id }));
    for (const f of timeline.placed(slot, startMs, endMs)) place(f);
    for (const armed of timeline.slots.filter((x) => x.state === 'armed' && x.armedMs === endMs)) {
      clock.at(timeline.timeoutOf(armed), () => {
        if (armed.state !== 'armed') return;
        for (const skipped of timeline.skip(armed)) record({ type: 'action.skipped', t: clock.nowMs(), id: skipped.action.id, reason: `trigger ${armed.action.after?.event} did not happen within ${armed.action.after?.timeout_ms ?? 'the default'} ms` });
        updateEnd();
      });
    }
    updateEnd();
  };

  /** Planted truth for test agents: the action's extent, its pauses and tics, and any time it makes due. */
  const sendTruth = (actionId: string, kind: ActionKind, startMs: number, endMs: number, s: RenderedSpeech | undefined) => {
    const type = TRUTH_OF[kind];
    const abs = (ms: number) => startMs + ms;
    if (kind === 'show') truth({ type: 'visual_cue', actionId, startMs, endMs });
    if (!s || !type) return;
    truth({ type, actionId, startMs: abs(s.speechStartMs), endMs: abs(s.speechEndMs) });
    if (kind !== 'speak' && kind !== 'backchannel') return;
    for (const q of s.pauses) truth({ type: 'user_pause', actionId, startMs: abs(q.startMs), endMs: abs(q.endMs) });
    for (const q of s.tics ?? []) truth({ type: 'user_vocal_tic', actionId, startMs: abs(q.startMs), endMs: abs(q.endMs) });
    if (kind !== 'speak') return;
    const turnEndMs = abs(s.speechEndMs);
    const expect = prepared.get(actionId)!.slot.action.expect ?? [];
    truth({ type: 'user_turn_end', actionId, startMs: turnEndMs, endMs: turnEndMs, says: expect.find((e) => e.interpret)?.interpret?.says });
    for (const e of expect) {
      const due = e.speak_at ? { type: 'time_due' as const, atMs: turnEndMs + e.speak_at.after_ms, withinMs: e.speak_at.within_ms, says: e.speak_at.says } : e.deliver ? { type: 'task_due' as const, atMs: turnEndMs + e.deliver.due_after_ms, withinMs: e.deliver.within_ms, says: e.deliver.says } : undefined;
      if (!due) continue;
      truth({ type: due.type, actionId, startMs: due.atMs, endMs: due.atMs, says: due.says });
      // The session lasts until the agent's budget for a due time has run out.
      dueUntilMs = Math.max(dueUntilMs, due.atMs + due.withinMs);
    }
  };

  let dueUntilMs = 0;
  const updateEnd = () => {
    if (timeline.settled()) endAtMs = Math.min(maxMs, Math.max(timeline.lastEndMs(), dueUntilMs) + tailMs);
  };

  const onVad = (changes: ReturnType<StreamingVad['push']>) => {
    for (const c of changes) {
      if (c.type === 'onset') {
        record({ type: 'agent.speech_start', t: clock.nowMs(), onsetMs: c.atMs });
        for (const f of timeline.agentOnset(c.atMs)) place(f);
      } else {
        record({ type: 'agent.speech_end', t: clock.nowMs(), offsetMs: c.atMs });
        for (const check of timeline.agentOffset(c.atMs)) {
          clock.at(check.checkAtMs, () => {
            const f = timeline.confirmSilence(check.slot, c.atMs);
            if (f) place(f);
          });
        }
      }
    }
  };

  const onEvent = (e: AdapterEvent) => {
    if (ended) return;
    const t = clock.nowMs();
    switch (e.type) {
      case 'audio': {
        // A vendor-supplied rate outside what audio uses would make resampling meaningless.
        if (!(Number.isInteger(e.sampleRate) && e.sampleRate >= 1000 && e.sampleRate <= 384_000)) {
          record({ type: 'adapter.error', t, message: `agent audio at an impossible sample rate (${e.sampleRate} Hz) dropped`, recoverable: true, code: 'bad_sample_rate' });
          break;
        }
        let r = agentResampler.get(e.sampleRate);
        if (!r) agentResampler.set(e.sampleRate, (r = new StreamResampler(e.sampleRate, rate)));
        const pcm = r.push(e.pcm);
        const durationMs = (e.pcm.length * 1000) / e.sampleRate;
        record({ type: 'agent.audio', t, samples: e.pcm.length, sampleRate: e.sampleRate, durationMs });
        const { started, startMs } = playout.enqueue(pcm, t, durationMs);
        if (started) record({ type: 'playout.start', t: startMs });
        const endMs = playout.queuedEndMs();
        clock.at(endMs, () => {
          if (!playout.isPlaying(clock.nowMs()) && playout.queuedEndMs() === endMs) record({ type: 'playout.stop', t: endMs });
        });
        break;
      }
      case 'interrupted': {
        const wasPlaying = playout.isPlaying(t);
        const f = playout.flush(t);
        record({ type: 'playout.flush', t, ...f, reason: e.reason });
        if (wasPlaying) record({ type: 'playout.stop', t });
        if (spec.adapter.capabilities.truncation) session?.playoutFlushed?.({ playedMs: f.playedMs, receivedMs: f.receivedMs });
        break;
      }
      case 'transcript':
        record({ type: 'transcript', t, role: e.role, text: e.text, final: e.final });
        break;
      case 'vendor':
        record({ type: 'vendor', t, name: e.name, payload: e.payload });
        break;
      case 'network':
        record({ type: 'network', t, name: e.name, valueMs: e.valueMs });
        break;
      case 'error':
        record({ type: 'adapter.error', t, message: e.message, recoverable: e.recoverable, code: e.code });
        if (!e.recoverable) finish('errored', e.message, 'infrastructure');
        break;
      case 'closed':
        record({ type: 'vendor', t, name: 'closed', payload: { reason: e.reason } });
        finish('errored', `the system closed the session: ${e.reason}`, 'infrastructure');
        break;
    }
  };

  const abort = new AbortController();
  const onAbort = () => finish('aborted', 'interrupted');
  spec.signal?.addEventListener('abort', onAbort, { once: true });

  try {
    if (spec.clock === 'virtual' && !spec.adapter.capabilities.virtualTime) {
      throw new AdapterError(`adapter ${spec.adapter.name} cannot run in virtual time; use --clock real`, 'config');
    }
    try {
      session = await spec.adapter.open({
        clock: {
          // Adapters see the session clock once it starts; before that, time 0.
          get mode() {
            return clock.mode;
          },
          nowMs: () => clock.nowMs(),
          at: (tMs, fn) => clock.at(tMs, fn),
        },
        emit: onEvent,
        scenarioId: key,
        options: spec.adapterOptions ?? {},
        signal: abort.signal,
      });
    } catch (e) {
      const kind = e instanceof AdapterError ? e.kind : 'harness';
      finish('errored', e instanceof Error ? e.message : String(e), kind);
    }
    if (session && !ended) {
      if (spec.clock === 'real') clock = new RealClock(staggeredOrigin(FRAME_MS));
      const inputRate = spec.adapter.capabilities.inputSampleRate;
      if (inputRate !== rate) userResampler = new StreamResampler(rate, inputRate);

      for (const f of timeline.initial()) clock.at(f.atMs - FRAME_MS, () => place(f));
      let seq = 0;
      const acceptsVideo = spec.adapter.capabilities.video && session.sendVideoFrame !== undefined;
      /** The video frame due at this tick, sent to adapters that accept video. */
      const sendVideo = (deadlineMs: number, now: number): void | Promise<void> => {
        const due = video?.schedule.due(deadlineMs);
        if (!due || !acceptsVideo) return;
        const jpeg = video!.track.frame(due.index, due.cue);
        record({ type: 'video.frame', t: now, index: due.index, cue: due.cue?.id ?? null });
        return session!.sendVideoFrame!(jpeg, now);
      };
      const step = async (): Promise<void> => {
        if (ended) return;
        const deadlineMs = (seq + 1) * FRAME_MS;
        const now = clock.nowMs();
        lateness.push(now - deadlineMs);
        const frame = track.nextFrame(frameSamples);
        writer.user(frame);
        record({ type: 'frame.sent', t: now, seq, deadlineMs });
        seq++;
        const sent = session!.sendAudio(userResampler ? userResampler.push(frame) : frame, now);
        const played = playout.take(playout.sampleAt(now));
        writer.agent(played);
        onVad(vad.push(played));
        if (deadlineMs % HARNESS_SAMPLE_MS === 0) {
          const m = process.memoryUsage();
          record({ type: 'harness.sample', t: now, rssBytes: m.rss, heapUsedBytes: m.heapUsed });
        }
        if (deadlineMs >= endAtMs) {
          finish('completed');
          return;
        }
        clock.at((seq + 1) * FRAME_MS, tick);
        const sentVideo = sendVideo(deadlineMs, now);
        for (const p of [sent, sentVideo]) {
          if (!(p instanceof Promise)) continue;
          if (clock.mode === 'virtual') await p;
          else p.catch((e) => onEvent({ type: 'error', message: e instanceof Error ? e.message : String(e), recoverable: false }));
        }
        writer.flushEvents();
      };
      // A frame step that throws (an adapter bug, a codec crash) ends the session as errored;
      // left alone it would stop the tick chain and the session would never end.
      const tick = async (): Promise<void> => {
        try {
          await step();
        } catch (e) {
          finish('errored', `session step failed: ${e instanceof Error ? e.message : String(e)}`, 'harness');
        }
      };
      clock.at(FRAME_MS, tick);
      if (clock instanceof VirtualClock) await clock.runUntil(maxMs + FRAME_MS, () => ended);
      await endPromise;
    }
  } catch (e) {
    finish('errored', e instanceof Error ? e.message : String(e), e instanceof AdapterError ? e.kind : 'harness');
  } finally {
    spec.signal?.removeEventListener('abort', onAbort);
    abort.abort();
    try {
      await session?.close();
    } catch {
      // Closing a broken session is best effort; the recording is what matters.
    }
    // Agent audio still queued is not heard: the recording ends with the session.
    writer.agent(playout.take(playout.sampleAt(clock.nowMs())));
    onVad(vad.flush());
    const pacing = pacingStats(lateness);
    record({ type: 'session.end', t: clock.nowMs(), reason: status, error, pacing });
    writer.close();
    return { sessionId: spec.sessionId, dir: spec.dir, status, error, errorKind, startedAt, durationMs: clock.nowMs(), pacing };
  }
}

function pacingStats(lateMs: number[]): PacingStats {
  if (lateMs.length === 0) return { frames: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 };
  return { frames: lateMs.length, p50Ms: quantile(lateMs, 0.5), p99Ms: quantile(lateMs, 0.99), maxMs: lateMs.reduce((a, b) => Math.max(a, b), -Infinity) };
}
