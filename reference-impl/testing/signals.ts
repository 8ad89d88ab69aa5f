/** Known-answer signals for perception tests, all 16 kHz PCM16. */
import { createNoise } from '../../datasets/noise.ts';
import type { NoiseSpec } from '../../harness/media.ts';
import { SAMPLE_RATE } from '../frames.ts';

const samples = (ms: number) => Math.round((ms * SAMPLE_RATE) / 1000);
const amplitudeFor = (dbfs: number) => 32768 * 10 ** (dbfs / 20);

function toPcm(x: Float64Array, rmsDbfs: number): Int16Array {
  let sum = 0;
  for (const v of x) sum += v * v;
  const gain = amplitudeFor(rmsDbfs) / Math.sqrt(sum / x.length || 1);
  return Int16Array.from(x, (v) => Math.max(-32768, Math.min(32767, Math.round(v * gain))));
}

/** The suites' own noise floor (datasets/noise.ts), as PCM16. */
export function noise(ms: number, rmsDbfs: number, seed: number, kind: NoiseSpec['kind'] = 'white'): Int16Array {
  const x = createNoise({ kind, level_dbfs: rmsDbfs }, seed).next(samples(ms));
  return Int16Array.from(x, (v) => Math.round(v * 32767));
}

/** A sawtooth (every harmonic, like a glottal pulse train) at `hz`, RMS level `rmsDbfs`. */
export function sawtooth(hz: number, ms: number, rmsDbfs: number): Int16Array {
  return toPcm(
    Float64Array.from({ length: samples(ms) }, (_, i) => (((i * hz) / SAMPLE_RATE) % 1) - 0.5),
    rmsDbfs,
  );
}

/** `b` added onto `a` starting at `atMs` (a is copied; the result has a's length). */
export function mixAt(a: Int16Array, b: Int16Array, atMs: number): Int16Array {
  const out = a.slice();
  const at = samples(atMs);
  for (let i = 0; i < b.length && at + i < out.length; i++) out[at + i] = Math.max(-32768, Math.min(32767, out[at + i] + b[i]));
  return out;
}

export function concat(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export interface Clip {
  pcm: Int16Array;
  atMs: number;
}

/** The user's channel: a -55 dBFS floor of `kind` noise under the clips. */
export function userTrack(totalMs: number, clips: Clip[], kind: 'white' | 'room_tone' | 'brown' = 'room_tone', seed = 11): Int16Array {
  let track = noise(totalMs, -55, seed, kind);
  for (const c of clips) track = mixAt(track, c.pcm, c.atMs);
  return track;
}
