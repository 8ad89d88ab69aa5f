/**
 * The one media port: everything the runner needs rendered for a scenario. User speech as PCM
 * with exact word timings, a noise floor, side talk and background sound with their acoustic
 * treatment, vocal tics on their own, and video frames. Implemented in datasets/
 * (datasets/media-source.ts: offline TTS, DSP effects, ffmpeg-drawn or decoded frames, caches)
 * and injected by the CLI, so the harness depends on no synthesizer and no ffmpeg.
 */
import type { Background, CueKind, Scenario, Show, SideTalk, Speech, TicSound, Video, VocalTic, Voice } from './scenario/schema.ts';

/** All user-side media is mono PCM16 at this rate; adapters get it resampled if they ask. */
export const USER_SAMPLE_RATE = 16_000;

export interface Word {
  text: string;
  /** Offsets from the start of the rendered clip, in ms. */
  startMs: number;
  endMs: number;
}

export interface RenderedSpeech {
  pcm: Int16Array;
  sampleRate: number;
  /** Word timings in the rendered clip (pauses included), the user channel's ground truth. */
  words: Word[];
  /** First and last speech sample of the clip, in ms (the turn's planted start and end). */
  speechStartMs: number;
  speechEndMs: number;
  /** Mid-turn pauses as placed in the clip: from the end of a word to the start of the next. */
  pauses: { startMs: number; endMs: number; afterWord: number }[];
  /** Vocal tics in the clip (absent: none); an in-turn tic lies inside one of `pauses`. */
  tics?: { startMs: number; endMs: number; sound: TicSound }[];
}

export interface NoiseSpec {
  kind: 'room_tone' | 'white' | 'pink' | 'brown';
  level_dbfs: number;
}

/** A deterministic, endless noise stream: the same seed gives the same samples. */
export interface NoiseStream {
  /** Next `n` samples as floats in [-1, 1]. */
  next(n: number): Float32Array;
  /**
   * How to build this stream again in another thread (harness/noise-recipe.ts), so a real-time
   * session's floor is drawn off its event loop (harness/runner/noise-thread.ts). Absent: the
   * floor is drawn in the frame step.
   */
  readonly recipe?: NoiseRecipe;
}

/**
 * A noise stream as data: the export `factory` of the module at URL `module`, called with
 * `args` (structured-clonable), returns or resolves to a stream whose samples are, from its
 * start, those of the stream the recipe came with.
 */
export interface NoiseRecipe {
  module: string;
  factory: string;
  args: unknown[];
}

/** A run's perturbations as a session needs them (`run --perturb`, datasets/perturb/). */
interface SessionPerturbation {
  /** Canonical spec (`reverb:400ms,noise:pink@10dB`): sessions.perturbation and the recording header. */
  label: string;
  /** The echo path (harness/runner/echo-path.ts): the agent's played audio back into the user's microphone. */
  echo?: { gainDb: number; delayMs: number };
}

/** A cue visible in a frame: which show action, what it draws, and how long it has been up. */
export interface VisibleCue {
  id: string;
  kind: CueKind;
  elapsedMs: number;
}

export interface VideoTrack {
  /**
   * JPEG bytes of frame `index` (time index / fps), with `cue` drawn in when given. Synchronous
   * on purpose: it runs inside the real-time tick, so frames are rendered ahead or read from disk.
   */
  frame(index: number, cue: VisibleCue | null): Uint8Array;
  /** A recorded file's own audio (16 kHz mono PCM16), played into the user channel from t = 0. */
  audio?: Int16Array;
}

export interface MediaSource {
  /**
   * Render one speak/backchannel action. `scenarioFile` resolves clip paths; `defaults` are the
   * scenario's voice and seed. Deterministic: same inputs, same samples.
   */
  renderSpeech(speech: Speech, defaults: { voice?: Voice; seed: number }, scenarioFile: string): Promise<RenderedSpeech>;
  noise(spec: NoiseSpec, seed: number): NoiseStream;
  /** Speech to someone else: rendered, then quieter and duller (default -8 dB, shelf cut, early reflections). */
  renderSideTalk(spec: SideTalk, defaults: { voice?: Voice; seed: number }, scenarioFile: string): Promise<RenderedSpeech>;
  /**
   * Another voice or a sound bed under the user: low-passed and echoed. A voice gets `gain_db`
   * (default -15 dB); a bed is set `snr_db` below `userSpeechDbfs`, the RMS level of the
   * scenario's own user speech. speechStartMs/speechEndMs span the audible part.
   */
  renderBackground(spec: Background, defaults: { voice?: Voice; seed: number; userSpeechDbfs: number }, scenarioFile: string): Promise<RenderedSpeech>;
  /**
   * A vocal tic on its own (a cough, a laugh, "um"...), in the scenario's voice where it is voiced;
   * seeded by the scenario's seed and `actionId`, so two tics of a session differ. speechStartMs
   * and speechEndMs span the whole clip (it holds the sound and nothing else).
   */
  renderVocalTic(spec: VocalTic, defaults: { voice?: Voice; seed: number }, actionId: string): Promise<RenderedSpeech>;
  /** Frames for the scenario's video: generated (cues drawn on the scene) or decoded from its file at `fps`. */
  openVideo(spec: Video & { fps: number }, cues: readonly Show[], scenarioFile: string): Promise<VideoTrack>;
  /**
   * The session's speech source as stored (sessions.speech_source): `engine:voice` of the
   * scenario's user voice as this source renders it (`espeak:en-us`, `flite:slt`), or
   * `recording` when every speech is a clip. Absent: not recorded.
   */
  speechSource?(scenario: Scenario, scenarioFile: string): string;
  /**
   * The perturbations applied to the user's side (absent or undefined: none). Render-time ones
   * are already in the rendered clips (planted times moved with them) and in noise's stream;
   * the echo path is live and is the session's to run.
   */
  perturbation?(): SessionPerturbation | undefined;
}
