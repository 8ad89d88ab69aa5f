/**
 * What the runner needs for the families beyond plain speech: side talk and background sound
 * rendered with their acoustic treatment, vocal tics on their own, and a video stream. Implemented in datasets/
 * (datasets/av-media.ts: DSP effects, ffmpeg-drawn or decoded frames) and injected like the
 * MediaSource, so the harness depends on no synthesizer and no ffmpeg.
 */
import type { RenderedSpeech } from '../media.ts';
import type { Background, CueKind, Show, SideTalk, Video, VocalTic, Voice } from '../scenario/schema.ts';

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

export interface AvMedia {
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
}
