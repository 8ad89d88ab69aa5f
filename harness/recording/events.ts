/**
 * The recording's event log: one JSON object per line (events.jsonl), the first line a header.
 * Every event carries `t`, milliseconds on the session clock. Together with the stereo WAV
 * (left: user as sent, right: agent as played, same clock, sample 0 = t 0) this is the
 * source of truth that scoring reads; nothing else is needed to re-score a session.
 *
 * Versioned: readers refuse a newer major version with a clear message.
 */
import type { Scenario, Expectation, ActionKind, TicSound } from '../scenario/schema.ts';
import type { Word } from '../media.ts';

export const RECORDING_VERSION = 1;

export interface RecordingHeader {
  type: 'recording.header';
  t: 0;
  version: number;
  sessionId: string;
  scenarioKey: string;
  /** The scenario as it was run (parsed YAML), so the recording is self-contained. */
  scenario: Scenario;
  adapter: string;
  clock: 'real' | 'virtual';
  /** Sample rate of audio.wav. */
  sampleRate: number;
  startedAt: string;
  harnessVersion: string;
  /**
   * The perturbations the user's side went through (`run --perturb`, canonical spec such as
   * `reverb:400ms,noise:pink@10dB,echo:-20dB@120ms`); absent: none. The user channel and the
   * planted times are already the perturbed ones.
   */
  perturbation?: string;
}

/** A user action as it was actually placed on the session clock (absolute times, ms). */
export interface ActionStart {
  type: 'action.start';
  t: number;
  id: string;
  kind: ActionKind;
  /** Planned start of the action's audio (the sample where it begins in the user channel). */
  startMs: number;
  /** Planted speech extent: first word onset and last word end (silence: start and end). */
  speechStartMs: number;
  speechEndMs: number;
  endMs: number;
  words: Word[];
  pauses: { startMs: number; endMs: number; afterWord: number }[];
  /** Vocal tics inside the speech (absent: none), each sounding inside one of `pauses` (its hesitation). */
  tics?: { startMs: number; endMs: number; sound: TicSound }[];
  expect: Expectation[];
  text?: string;
}

export type RecordingEvent =
  | RecordingHeader
  | ActionStart
  | { type: 'action.end'; t: number; id: string }
  | { type: 'action.skipped'; t: number; id: string; reason: string }
  | { type: 'trigger.fired'; t: number; id: string; event: string; refMs: number; atMs: number }
  /** One user frame handed to the adapter; deadlineMs is when it was due. */
  | { type: 'frame.sent'; t: number; seq: number; deadlineMs: number }
  /** One video frame handed to the adapter (only adapters that accept video); cue: the id of the show action visible in it, or null. */
  | { type: 'video.frame'; t: number; index: number; cue: string | null }
  /** The harness's own memory, sampled once a minute of session time (long sessions must stay bounded). */
  | { type: 'harness.sample'; t: number; rssBytes: number; heapUsedBytes: number }
  /** Agent audio as received (arrival time t), before playout. */
  | { type: 'agent.audio'; t: number; samples: number; sampleRate: number; durationMs: number }
  | { type: 'playout.start'; t: number }
  | { type: 'playout.stop'; t: number }
  | { type: 'playout.flush'; t: number; playedMs: number; receivedMs: number; droppedMs: number; reason: string }
  /** Online VAD on the played agent channel (the reactive triggers use these). */
  | { type: 'agent.speech_start'; t: number; onsetMs: number }
  | { type: 'agent.speech_end'; t: number; offsetMs: number }
  /**
   * What was said, as text. From the adapter (no source): t is when it arrived. From the
   * transcription endpoint over the played agent channel (source 'endpoint', `run
   * --transcribe-url`, written after the session): one event per word, t and endMs its times on
   * the played channel.
   */
  | { type: 'transcript'; t: number; role: 'agent' | 'user'; text: string; final: boolean; source?: 'endpoint'; endMs?: number }
  /**
   * A judge endpoint's verdict on a free-form content check (`says.judge`), asked after the
   * session and before scoring (`run --judge-url`); t is the onset of the response judged. It
   * counts for the check whose prompt hashes to promptSha256 (harness/content/judge-prompt.ts);
   * pass null: the reply was neither YES nor NO (no verdict).
   */
  | { type: 'judge'; t: number; subject: string; model: string; promptSha256: string; pass: boolean | null; reply: string }
  | { type: 'vendor'; t: number; name: string; payload?: unknown }
  | { type: 'network'; t: number; name: string; valueMs: number }
  | { type: 'adapter.error'; t: number; message: string; recoverable: boolean; code?: string }
  | { type: 'session.end'; t: number; reason: 'completed' | 'errored' | 'aborted'; error?: string; pacing: PacingStats; timing?: SessionTiming };

export interface PacingStats {
  frames: number;
  /** Lateness of frame sends behind their deadlines, ms. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * How far the session's timeline can be trusted (harness/runner/harness-error.ts). Recordings
 * before this field was added carry none.
 */
export interface SessionTiming {
  /**
   * The harness's own lateness where latencies are measured: the latest frame deadline missed
   * within HARNESS_ERROR_WINDOW_MS of any user speech end or played agent onset, ms. A latency
   * measured there can be off by this much through the harness, not the agent.
   */
  harnessErrorMs: number;
  /** harnessErrorMs passed HARNESS_ERROR_BOUND_MS: the session's latencies are flagged. */
  flagged: boolean;
  /** What the agent's stream did to playout (underruns and their catch-up), harness/runner/playout.ts. */
  playout: { underruns: number; underrunMs: number; catchUpMs: number; owedAtEndMs: number };
  /** Underrun shift still owed when a played onset was found (it delays that onset), max over onsets, ms. */
  owedAtOnsetMaxMs: number;
  /**
   * Real time only: the session clock's zero on the machine's clock (epoch ms, microsecond
   * precise: performance.timeOrigin-based), so a recording lines up with another process's
   * log of the same session (the onset bench's agent stamps its sends this way).
   */
  clockOriginEpochMs?: number;
  /**
   * Real time, a noise floor drawn by the noise thread (harness/runner/noise-thread.ts): how many
   * frame steps found the floor not drawn yet and waited for it, and the total wait, ms: the
   * harness itself held those frames back, by more than the lateness recorded for them.
   */
  noiseWaits?: { count: number; totalMs: number };
  /**
   * Real time: the scheduling priority (Linux nice value) the live loop ran at. The harness asks
   * for LIVE_NICE (harness/priority.ts); a value of 0 or more means the system refused (no root
   * or CAP_SYS_NICE), so a busy machine could delay the harness's frames and reads.
   */
  liveNice?: number;
  /**
   * Real time: whether the thread that wakes the live loop at each frame deadline ran in the
   * real-time class (SCHED_FIFO, harness/priority.ts) when the session ended. False: the system
   * refused (no root or CAP_SYS_NICE, real-time threads not allowed, no chrt), so its wake-ups
   * could queue behind other threads. Absent: not asked (CROSSTALK_LIVE_NICE=0) or not yet known.
   */
  wakeRealtime?: boolean;
}
