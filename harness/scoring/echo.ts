/**
 * Is an agent utterance the user's own audio played back? An echo is speech, and timed after
 * the user's, so by timing alone it "answers"; it says nothing of its own. An agent segment is
 * an echo when its opening (ECHO_PROBE_MS) matches the user channel at some delay from 0 to
 * ECHO_MAX_DELAY_MS: the correlation of their spectro-temporal patterns (log energies in
 * BANDS bands per 10 ms frame, each band's mean over the stretch removed, so only how the
 * sound changes counts, not the shared spectral tilt of any two voices) is at least
 * ECHO_MIN_CORRELATION. A played-back copy scores near 1 at its delay; two different
 * utterances, even in the same voice, stay far below.
 */
import { Fft } from '../vad/dsp.ts';
import type { Segment } from './types.ts';

const ECHO_MIN_CORRELATION = 0.8;
const ECHO_MAX_DELAY_MS = 10_000;
const ECHO_PROBE_MS = 600;
const FRAME_MS = 10;
const FFT_SIZE = 512;
const BANDS = 16;
const LOW_HZ = 100;
const HIGH_HZ = 4000;

/** Log band energies per 10 ms frame of one channel, computed on demand and kept. */
class BandFrames {
  /** Band energies, BANDS per frame: read through at(). */
  readonly cache: Float32Array;
  private readonly done: Uint8Array;
  private readonly fft = new Fft(FFT_SIZE);
  private readonly re = new Float64Array(FFT_SIZE);
  private readonly im = new Float64Array(FFT_SIZE);
  private readonly edges: number[];

  constructor(
    private readonly pcm: Int16Array,
    private readonly sampleRate: number,
  ) {
    const frames = Math.ceil((pcm.length * 1000) / sampleRate / FRAME_MS) + 1;
    this.cache = new Float32Array(frames * BANDS);
    this.done = new Uint8Array(frames);
    const binHz = sampleRate / FFT_SIZE;
    this.edges = Array.from({ length: BANDS + 1 }, (_, b) => Math.max(1, Math.round((LOW_HZ * (HIGH_HZ / LOW_HZ) ** (b / BANDS)) / binHz)));
  }

  /** Where frame `index` starts in `cache`, computing it first if needed. */
  at(index: number): number {
    const base = index * BANDS;
    if (this.done[index]) return base;
    const bands = this.cache.subarray(base, base + BANDS);
    const start = Math.round((index * FRAME_MS * this.sampleRate) / 1000);
    for (let i = 0; i < FFT_SIZE; i++) {
      const x = this.pcm[start + i] ?? 0;
      this.re[i] = x * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / FFT_SIZE));
      this.im[i] = 0;
    }
    this.fft.transform(this.re, this.im);
    for (let b = 0; b < BANDS; b++) {
      let power = 0;
      for (let k = this.edges[b]; k < Math.max(this.edges[b] + 1, this.edges[b + 1]); k++) power += this.re[k] ** 2 + this.im[k] ** 2;
      bands[b] = Math.log10(power + 1);
    }
    this.done[index] = 1;
    return base;
  }
}

/** Frames [from, from + n) of a channel as one vector, each band's mean removed. */
function pattern(frames: BandFrames, from: number, n: number): Float64Array {
  const out = new Float64Array(n * BANDS);
  for (let b = 0; b < BANDS; b++) {
    let mean = 0;
    for (let f = 0; f < n; f++) mean += frames.cache[frames.at(from + f) + b];
    mean /= n;
    for (let f = 0; f < n; f++) out[f * BANDS + b] = frames.cache[frames.at(from + f) + b] - mean;
  }
  return out;
}

/**
 * Highest correlation of `probe` (n frames, band means removed) with the user's frames at a
 * delay of 0..maxLag frames before `from`. The probe's band means are zero, so the user side's
 * means drop out of the cross term and enter only its norm (from running sums).
 */
function bestCorrelation(probe: Float64Array, user: BandFrames, from: number, n: number, maxLag: number): number {
  let probeNorm = 0;
  for (const x of probe) probeNorm += x * x;
  if (probeNorm === 0) return 0;
  let best = 0;
  const sum = new Float64Array(BANDS);
  const squares = new Float64Array(BANDS);
  for (let lag = 0; lag <= maxLag; lag++) {
    const start = from - lag;
    let cross = 0;
    sum.fill(0);
    squares.fill(0);
    for (let f = 0; f < n; f++) {
      const base = user.at(start + f);
      for (let b = 0; b < BANDS; b++) {
        const y = user.cache[base + b];
        cross += probe[f * BANDS + b] * y;
        sum[b] += y;
        squares[b] += y * y;
      }
    }
    let userNorm = 0;
    for (let b = 0; b < BANDS; b++) userNorm += squares[b] - (sum[b] * sum[b]) / n;
    if (userNorm > 0) best = Math.max(best, cross / Math.sqrt(probeNorm * userNorm));
    if (best >= ECHO_MIN_CORRELATION) return best;
  }
  return best;
}

/** For each agent segment: is it the user's audio played back (see the file comment)? */
export function echoesOfUser(user: Int16Array, agent: Int16Array, sampleRate: number, segments: readonly Segment[]): boolean[] {
  const userFrames = new BandFrames(user, sampleRate);
  const agentFrames = new BandFrames(agent, sampleRate);
  return segments.map((s) => {
    const from = Math.floor(s.startMs / FRAME_MS);
    const n = Math.floor(Math.min(ECHO_PROBE_MS, s.endMs - s.startMs) / FRAME_MS);
    if (n < 10) return false;
    return bestCorrelation(pattern(agentFrames, from, n), userFrames, from, n, Math.min(from, ECHO_MAX_DELAY_MS / FRAME_MS)) >= ECHO_MIN_CORRELATION;
  });
}
