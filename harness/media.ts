/**
 * What the runner needs from media: user speech rendered to PCM with exact word timings, and a
 * noise floor. Implemented in datasets/ (offline TTS, cache) and injected by the CLI, so the
 * harness depends on no synthesizer.
 */
import type { Scenario, Speech, TicSound, Voice } from './scenario/schema.ts';

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
}

/** A run's perturbations as a session needs them (`run --perturb`, datasets/perturb/). */
interface SessionPerturbation {
  /** Canonical spec (`reverb:400ms,noise:pink@10dB`): sessions.perturbation and the recording header. */
  label: string;
  /** The echo path (harness/runner/echo-path.ts): the agent's played audio back into the user's microphone. */
  echo?: { gainDb: number; delayMs: number };
}

export interface MediaSource {
  /**
   * Render one speak/backchannel action. `scenarioFile` resolves clip paths; `defaults` are the
   * scenario's voice and seed. Deterministic: same inputs, same samples.
   */
  renderSpeech(speech: Speech, defaults: { voice?: Voice; seed: number }, scenarioFile: string): Promise<RenderedSpeech>;
  noise(spec: NoiseSpec, seed: number): NoiseStream;
  /**
   * The session's speech source as stored (sessions.speech_source): `engine:voice` of the
   * scenario's user voice as this source renders it (`espeak:en-us`, `flite:slt`), or
   * `recording` when every speech is a clip. Absent: not recorded.
   */
  speechSource?(scenario: Scenario, scenarioFile: string): string;
  /**
   * The perturbations applied to the user's side (absent or undefined: none). Render-time ones
   * are already in renderSpeech's clips (planted times moved with them) and in noise's stream;
   * the echo path is live and is the session's to run.
   */
  perturbation?(): SessionPerturbation | undefined;
}
