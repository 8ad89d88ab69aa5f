/**
 * The user channel as it is sent: scheduled clips mixed over a noise floor, cut into frames.
 * Clips may start at any sample at or after the next unsent frame, so reactive actions land
 * exactly where their trigger puts them. An echo path (echo-path.ts), when given, adds the
 * agent's own played audio, attenuated and delayed, as the microphone would pick it up.
 */
import type { NoiseStream } from '../media.ts';
import type { EchoPath } from './echo-path.ts';

interface Placed {
  startSample: number;
  pcm: Int16Array;
}

export class UserTrack {
  private clips: Placed[] = [];
  /** First sample not yet handed out. */
  private nextSample = 0;

  constructor(
    readonly sampleRate: number,
    private readonly noise: NoiseStream | undefined,
    private readonly echo?: EchoPath,
  ) {}

  /** Earliest sample a new clip may start at. */
  get earliestSample(): number {
    return this.nextSample;
  }

  place(startSample: number, pcm: Int16Array): number {
    const start = Math.max(startSample, this.nextSample);
    this.clips.push({ startSample: start, pcm });
    return start;
  }

  /** The next `n` samples: clips mixed (clipped to int16) over the noise floor and the echo. */
  nextFrame(n: number): Int16Array {
    const from = this.nextSample;
    const to = from + n;
    const mix = new Float64Array(n);
    if (this.noise) {
      const noise = this.noise.next(n);
      for (let i = 0; i < n; i++) mix[i] = noise[i] * 32767;
    }
    for (const c of this.clips) {
      const end = c.startSample + c.pcm.length;
      const a = Math.max(c.startSample, from);
      const b = Math.min(end, to);
      for (let s = a; s < b; s++) mix[s - from] += c.pcm[s - c.startSample];
    }
    this.echo?.mixInto(mix, from);
    this.clips = this.clips.filter((c) => c.startSample + c.pcm.length > to);
    this.nextSample = to;
    const out = new Int16Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(mix[i])));
    return out;
  }
}
