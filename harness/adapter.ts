/**
 * The adapter contract: a streaming session with a system under test.
 *
 * The runner pushes the user's audio (and video frames, text) in as the scenario plays, and
 * the adapter reports what the system sends back as it arrives. Adapters never compute
 * metrics and never pace anything themselves: the runner owns the clock and the playout
 * buffer. Everything here is small on purpose; a vendor adapter is a translation layer.
 */
import type { Clock } from './clock.ts';
import type { Says } from './scenario/schema.ts';

export interface AdapterCapabilities {
  /** Sample rate the adapter wants user audio in (PCM16 mono); the runner resamples. */
  inputSampleRate: number;
  /** Accepts JPEG video frames through `sendVideoFrame`. */
  video: boolean;
  /** Reports transcripts of the agent (and possibly the user). */
  transcripts: boolean;
  /** The system decides turns itself (server-side VAD / turn detection). */
  serverTurnDetection: boolean;
  /** Can run on a VirtualClock: in-process, deterministic, no wall-clock waits. */
  virtualTime: boolean;
  /** Wants to be told what was actually played when playout is flushed (OpenAI truncate). */
  truncation: boolean;
}

/** What an adapter reports. Times are taken by the runner from the session clock on receipt. */
export type AdapterEvent =
  /** Agent audio as it arrived (any rate; the runner resamples for playout and recording). */
  | { type: 'audio'; pcm: Int16Array; sampleRate: number }
  | { type: 'transcript'; role: 'agent' | 'user'; text: string; final: boolean }
  /**
   * The system says its current output is cut (vendor "interrupted", "speech_started"):
   * the runner flushes the playout buffer the way the vendor's own client does.
   */
  | { type: 'interrupted'; reason: string }
  /** Any other vendor event worth keeping in the recording (turn events, usage, ids). */
  | { type: 'vendor'; name: string; payload?: unknown }
  /**
   * Network facts measured by the adapter, in ms, each with one meaning for every adapter:
   * - connect_ms: from the start of the connection attempt that succeeded to the connection being open;
   * - first_byte_ms: from that same start to the first message from the system (time to first byte);
   * - rtt_ms: one round trip to the system (a WebSocket ping, the browser page's clock ping).
   */
  | { type: 'network'; name: 'connect_ms' | 'rtt_ms' | 'first_byte_ms'; valueMs: number }
  | { type: 'error'; message: string; recoverable: boolean; code?: string }
  /** The system ended the session (remote close). */
  | { type: 'closed'; reason: string };

/**
 * Sent to an adapter that declared `truncation` whenever the runner flushes playout.
 *
 * Both numbers are positions on the stream of agent audio received in this session, in ms of
 * audio (all `audio` events concatenated, at their own rates). Playout is first in, first out,
 * so an adapter that noted the stream position where a vendor item began can compute what of
 * that item was heard: clamp(playedMs - itemStartMs, 0, itemReceivedMs). After a flush the
 * dropped audio is skipped: the next audio event starts at stream position receivedMs.
 */
export interface PlayoutFlush {
  /** How far playout had got when it was flushed. */
  playedMs: number;
  /** How much had been received (playedMs <= receivedMs). */
  receivedMs: number;
}

/**
 * Ground truth of the user's side, as scheduled. Only test agents with planted behaviour
 * (the `scripted` adapter) look at it; a real system never sees it.
 */
export interface TruthEvent {
  /** time_due: a time the user asked to be told about; task_due: a slow task's result is ready (startMs = endMs = that time); user_vocal_tic: a tic on its own or inside a turn (then within a user_pause). */
  type:
    | 'user_speech'
    | 'user_backchannel'
    | 'user_pause'
    | 'user_turn_end'
    | 'visual_cue'
    | 'user_side_talk'
    | 'background'
    | 'user_vocal_tic'
    | 'time_due'
    | 'task_due';
  actionId: string;
  startMs: number;
  endMs: number;
  /** The content the scenario checks in the response this truth calls for (time_due, task_due; user_turn_end of an interpreted speech). */
  says?: Says;
}

export interface SessionContext {
  clock: Clock;
  /** Report something the system sent. Safe to call from any callback. */
  emit(event: AdapterEvent): void;
  /** Scenario id, for adapters that log or label. */
  scenarioId: string;
  /** Adapter-specific settings from the run config (never logged as-is: may hold secrets). */
  options: Record<string, unknown>;
  signal: AbortSignal;
}

/** User audio at session time atMs (ms) reached the system latenessMs late or out of place, by the harness's doing. */
export interface InstrumentLateness {
  atMs: number;
  latenessMs: number;
}

export interface AdapterSession {
  /**
   * One frame of user audio (PCM16 mono at `capabilities.inputSampleRate`), sent at `tMs`.
   * In virtual time the returned promise resolves once the adapter has reacted to the frame
   * (emitted what it emits in response); in real time the runner does not wait for it.
   */
  sendAudio(pcm: Int16Array, tMs: number): void | Promise<void>;
  /**
   * A JPEG video frame, for adapters with `video`. A session may lack it where the system
   * turned video down when it connected (a crosstalk-ws server that offers none): the runner
   * then sends no frames and records none.
   */
  sendVideoFrame?(jpeg: Uint8Array, tMs: number): void | Promise<void>;
  /** Told after the runner flushed playout (only if `truncation`). */
  playoutFlushed?(flush: PlayoutFlush): void;
  /** Planted truth, for test agents only (see TruthEvent). */
  observeTruth?(event: TruthEvent): void;
  /**
   * Where a part of the harness that the adapter runs (a browser page's injected microphone)
   * delivered the user's audio late or out of place. Read once the session has closed; counted
   * into the session's harness-made timing error like the runner's own frame lateness.
   */
  instrumentLateness?(): readonly InstrumentLateness[];
  /** End the session; resolves when the connection is closed. */
  close(): Promise<void>;
}

export interface Adapter {
  readonly name: string;
  readonly capabilities: AdapterCapabilities;
  /** Open a session. Rejects with AdapterError when the system cannot be reached or refuses. */
  open(ctx: SessionContext): Promise<AdapterSession>;
  /** Release shared resources (servers, pools) after the run. */
  dispose?(): Promise<void>;
}

/** What went wrong, classified the way CI needs it (see DESIGN.md exit codes). */
type AdapterErrorKind =
  /** Bad configuration: missing key, 401/403, bad URL. Exit 2. */
  | 'config'
  /** Infrastructure: unreachable, 429, 5xx, dropped connection. Session "errored". */
  | 'infrastructure'
  /** The system broke its own protocol. Session "errored" with the protocol named. */
  | 'protocol';

export class AdapterError extends Error {
  constructor(
    message: string,
    readonly kind: AdapterErrorKind,
    readonly recoverable = false,
  ) {
    super(message);
    this.name = 'AdapterError';
  }
}
