/**
 * A plain energy voice-activity detector on fixed 20 ms windows. The fake servers use it as
 * "the vendor's own VAD", and the OpenAI adapter uses it to commit turns itself when server
 * turn detection is off. Positions are in ms of audio pushed (the stream position), so the
 * caller maps them to wall time if it needs to.
 */
import { rmsDbfs } from './pcm.ts';

export interface EnergyVadOptions {
  sampleRate: number;
  /** Windows louder than this count as speech. */
  thresholdDbfs?: number;
  /** Speech must last this long before a start is reported (rejects clicks). */
  minSpeechMs?: number;
  /** Silence must last this long before an end is reported. */
  hangoverMs?: number;
}

export type VadTransition =
  /** Speech began at `atMs` (stream position of its first loud window). */
  | { kind: 'start'; atMs: number }
  /** Speech ended at `atMs` (stream position just after its last loud window). */
  | { kind: 'end'; atMs: number };

export const VAD_WINDOW_MS = 20;

export class EnergyVad {
  private readonly windowSamples: number;
  private readonly thresholdDbfs: number;
  private readonly minSpeechMs: number;
  private readonly hangoverMs: number;
  private pending = new Int16Array(0);
  private positionMs = 0;
  private speaking = false;
  private loudSinceMs: number | undefined;
  private lastLoudEndMs = 0;

  constructor(opts: EnergyVadOptions) {
    this.windowSamples = Math.round((opts.sampleRate * VAD_WINDOW_MS) / 1000);
    this.thresholdDbfs = opts.thresholdDbfs ?? -40;
    this.minSpeechMs = opts.minSpeechMs ?? 60;
    this.hangoverMs = opts.hangoverMs ?? 500;
  }

  get isSpeaking(): boolean {
    return this.speaking;
  }

  /** Stream position after everything pushed so far that filled a whole window, in ms. */
  get streamMs(): number {
    return this.positionMs;
  }

  /** Feed samples of any length; returns the transitions completed by them, in order. */
  push(pcm: Int16Array): VadTransition[] {
    const joined = new Int16Array(this.pending.length + pcm.length);
    joined.set(this.pending);
    joined.set(pcm, this.pending.length);
    const out: VadTransition[] = [];
    let i = 0;
    for (; i + this.windowSamples <= joined.length; i += this.windowSamples) {
      const t = this.window(joined.subarray(i, i + this.windowSamples));
      if (t) out.push(t);
    }
    this.pending = joined.slice(i);
    return out;
  }

  private window(w: Int16Array): VadTransition | undefined {
    const startMs = this.positionMs;
    this.positionMs += VAD_WINDOW_MS;
    const loud = rmsDbfs(w) > this.thresholdDbfs;
    if (loud) {
      this.lastLoudEndMs = this.positionMs;
      this.loudSinceMs ??= startMs;
      if (!this.speaking && this.positionMs - this.loudSinceMs >= this.minSpeechMs) {
        this.speaking = true;
        return { kind: 'start', atMs: this.loudSinceMs };
      }
      return undefined;
    }
    if (!this.speaking) this.loudSinceMs = undefined;
    if (this.speaking && this.positionMs - this.lastLoudEndMs >= this.hangoverMs) {
      this.speaking = false;
      this.loudSinceMs = undefined;
      return { kind: 'end', atMs: this.lastLoudEndMs };
    }
    return undefined;
  }
}
