/**
 * The user channel as it is sent: scheduled clips mixed over a noise floor, cut into frames.
 * Clips may start at any sample at or after the next unsent frame, so reactive actions land
 * exactly where their trigger puts them. An echo path (echo-path.ts), when given, adds the
 * agent's own played audio, attenuated and delayed, as the microphone would pick it up. The
 * noise floor comes from where the session draws it (noise-floor.ts).
 */
import type { EchoPath } from './echo-path.ts';
import type { NoiseFloor } from './noise-floor.ts';

interface Placed {
  startSample: number;
  pcm: Int16Array;
}

export class UserTrack {
  private clips: Placed[] = [];
  /** First sample not yet handed out. */
  private nextSample = 0;
  // Reused per frame (the frame handed out is new: the writer and the adapter keep it).
  private mix = new Float64Array(0);
  private noiseFrame = new Float32Array(0);

  constructor(
    readonly sampleRate: number,
    private readonly noise: NoiseFloor | undefined,
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
    if (this.mix.length !== n) {
      this.mix = new Float64Array(n);
      this.noiseFrame = new Float32Array(n);
    }
    const mix = this.mix;
    if (this.noise) {
      const noise = this.noiseFrame;
      this.noise.take(noise);
      for (let i = 0; i < n; i++) mix[i] = noise[i] * 32767;
    } else mix.fill(0);
    let anyEnded = false;
    for (const c of this.clips) {
      const end = c.startSample + c.pcm.length;
      const a = Math.max(c.startSample, from);
      const b = Math.min(end, to);
      for (let s = a; s < b; s++) mix[s - from] += c.pcm[s - c.startSample];
      if (end <= to) anyEnded = true;
    }
    this.echo?.mixInto(mix, from);
    if (anyEnded) this.clips = this.clips.filter((c) => c.startSample + c.pcm.length > to);
    this.nextSample = to;
    const out = new Int16Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(mix[i])));
    return out;
  }
}
