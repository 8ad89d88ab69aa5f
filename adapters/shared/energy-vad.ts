/**
 * "The vendor's own VAD" for the fake servers, and the OpenAI adapter's end-of-turn detector
 * when server turn detection is off: the harness's shared energy VAD (harness/vad/energy.ts)
 * with the vendor-style settings (threshold, minimum speech, hangover), reporting start/end
 * transitions. Positions are in ms of audio pushed (the stream position); the caller maps
 * them to wall time if it needs to.
 */
import { StreamingVad } from '../../harness/vad/energy.ts';

export interface EnergyVadOptions {
  sampleRate: number;
  /** Audio louder than this counts as speech (default -40 dBFS). */
  thresholdDbfs?: number;
  /** Speech must last this long before a start is reported (rejects clicks; default 60 ms). */
  minSpeechMs?: number;
  /** Silence must last this long before an end is reported (default 500 ms). */
  hangoverMs?: number;
}

export type VadTransition =
  /** Speech began at `atMs` (stream position of its first loud sample). */
  | { kind: 'start'; atMs: number }
  /** Speech ended at `atMs` (stream position just after its last loud sample). */
  | { kind: 'end'; atMs: number };

export class EnergyVad {
  private readonly vad: StreamingVad;
  private speaking = false;
  private pushedSamples = 0;

  constructor(private readonly opts: EnergyVadOptions) {
    this.vad = new StreamingVad(opts.sampleRate, {
      thresholdDbfs: opts.thresholdDbfs ?? -40,
      minSpeechMs: opts.minSpeechMs ?? 60,
      mergeGapMs: opts.hangoverMs ?? 500,
    });
  }

  get isSpeaking(): boolean {
    return this.speaking;
  }

  /** Stream position after everything pushed so far, in ms. */
  get streamMs(): number {
    return (this.pushedSamples * 1000) / this.opts.sampleRate;
  }

  /** Feed samples of any length; returns the transitions they made certain, in order. */
  push(pcm: Int16Array): VadTransition[] {
    this.pushedSamples += pcm.length;
    return this.vad.push(pcm).map((c) => {
      this.speaking = c.type === 'onset';
      return c.type === 'onset' ? { kind: 'start', atMs: c.atMs } : { kind: 'end', atMs: c.atMs };
    });
  }
}
