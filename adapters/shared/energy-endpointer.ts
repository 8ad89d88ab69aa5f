/**
 * "The vendor's own VAD" for the fake servers, and the OpenAI adapter's end-of-turn detector
 * when server turn detection is off: the harness's shared energy VAD (harness/vad/energy.ts)
 * with vendor-style settings (threshold, minimum speech, hangover), reporting its onsets and
 * offsets in the harness's own words (VadChange). Positions are in ms of audio pushed (the
 * stream position); the caller maps them to wall time if it needs to.
 *
 * Named an endpointer, not a VAD class of its own: the reference agent's adaptive-floor
 * EnergyVad (reference-impl/perception/vad.ts) is a different detector.
 */
import { StreamingVad, type VadChange } from '../../harness/vad/energy.ts';

export interface EnergyEndpointerOptions {
  sampleRate: number;
  /** Audio louder than this counts as speech (default -40 dBFS). */
  thresholdDbfs?: number;
  /** Speech must last this long before an onset is reported (rejects clicks; default 60 ms). */
  minSpeechMs?: number;
  /** Silence must last this long before an offset is reported (default 500 ms). */
  hangoverMs?: number;
}

export class EnergyEndpointer {
  private readonly vad: StreamingVad;
  private speaking = false;
  private pushedSamples = 0;

  constructor(private readonly opts: EnergyEndpointerOptions) {
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

  /**
   * Feed samples of any length; returns the changes they made certain, in order: an onset at
   * the stream position of speech's first loud sample, an offset just after its last.
   */
  push(pcm: Int16Array): VadChange[] {
    this.pushedSamples += pcm.length;
    const changes = this.vad.push(pcm);
    if (changes.length > 0) this.speaking = changes[changes.length - 1].type === 'onset';
    return changes;
  }
}
