/**
 * MFCC features of 16 kHz speech for keyword matching: 25 ms Hamming windows every 10 ms,
 * 512-point FFT, 26 mel bands (60-7600 Hz), log energies, DCT-II, coefficients 1-8 (c0, the
 * level, is dropped; the higher ones carry more of the speaker than of the word: 8 heard the
 * suites' voices better than 12 or 6, see README). Each coefficient is then standardized over the clip (mean 0, variance 1),
 * which removes most of what differs between one voice or channel and another. For matching,
 * pairs of frames are averaged (`pooled`: 20 ms steps), which quarters the cost of DTW.
 */
import { fft } from './fft.ts';

const MFCC_SAMPLE_RATE = 16_000;
export const WINDOW_SAMPLES = 400;
export const HOP_SAMPLES = 160;
const HOP_MS = (HOP_SAMPLES / MFCC_SAMPLE_RATE) * 1000;
export const MFCC_DIMS = 8;
const FFT_SIZE = 512;
const MEL_BANDS = 26;
const LOW_HZ = 60;
const HIGH_HZ = 7600;

/** Frames x MFCC_DIMS, row-major. */
export interface Features {
  data: Float32Array;
  frames: number;
}

const mel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
const hzOfMel = (m: number) => 700 * (10 ** (m / 2595) - 1);

const HAMMING = Float64Array.from({ length: WINDOW_SAMPLES }, (_, i) => 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (WINDOW_SAMPLES - 1)));

/** Triangular filters as [firstBin, weights] per band. */
const FILTERS: { first: number; weights: Float64Array }[] = (() => {
  const edges = Array.from({ length: MEL_BANDS + 2 }, (_, k) => hzOfMel(mel(LOW_HZ) + ((mel(HIGH_HZ) - mel(LOW_HZ)) * k) / (MEL_BANDS + 1)));
  const binHz = MFCC_SAMPLE_RATE / FFT_SIZE;
  return Array.from({ length: MEL_BANDS }, (_, b) => {
    const [lo, mid, hi] = [edges[b], edges[b + 1], edges[b + 2]];
    const first = Math.ceil(lo / binHz);
    const last = Math.floor(hi / binHz);
    const weights = Float64Array.from({ length: last - first + 1 }, (_, k) => {
      const hz = (first + k) * binHz;
      return Math.max(0, hz <= mid ? (hz - lo) / (mid - lo) : (hi - hz) / (hi - mid));
    });
    return { first, weights };
  });
})();

const DCT = Float64Array.from({ length: MFCC_DIMS * MEL_BANDS }, (_, x) => {
  const c = Math.floor(x / MEL_BANDS) + 1;
  const b = x % MEL_BANDS;
  return Math.cos((Math.PI * c * (b + 0.5)) / MEL_BANDS);
});

/** MFCCs standardized over the clip (the keyword spotter's features). */
export function mfcc(pcm: Int16Array): Features {
  const f = rawMfcc(pcm);
  standardize(f.data, f.frames);
  return f;
}

/** MFCCs as computed, before any normalization (for normalizing by a speaker's statistics instead). */
export function rawMfcc(pcm: Int16Array): Features {
  const frames = pcm.length < WINDOW_SAMPLES ? 0 : 1 + Math.floor((pcm.length - WINDOW_SAMPLES) / HOP_SAMPLES);
  const data = new Float32Array(frames * MFCC_DIMS);
  const re = new Float64Array(FFT_SIZE);
  const im = new Float64Array(FFT_SIZE);
  const logMel = new Float64Array(MEL_BANDS);
  for (let f = 0; f < frames; f++) {
    re.fill(0);
    im.fill(0);
    const start = f * HOP_SAMPLES;
    for (let i = 0; i < WINDOW_SAMPLES; i++) re[i] = (pcm[start + i] / 32768) * HAMMING[i];
    fft(re, im);
    for (let b = 0; b < MEL_BANDS; b++) {
      const { first, weights } = FILTERS[b];
      let e = 0;
      for (let k = 0; k < weights.length; k++) e += weights[k] * (re[first + k] ** 2 + im[first + k] ** 2);
      logMel[b] = Math.log(e + 1e-10);
    }
    for (let c = 0; c < MFCC_DIMS; c++) {
      let s = 0;
      for (let b = 0; b < MEL_BANDS; b++) s += DCT[c * MEL_BANDS + b] * logMel[b];
      data[f * MFCC_DIMS + c] = s;
    }
  }
  return { data, frames };
}

function standardize(data: Float32Array, frames: number): void {
  if (frames === 0) return;
  for (let c = 0; c < MFCC_DIMS; c++) {
    let sum = 0;
    let sq = 0;
    for (let f = 0; f < frames; f++) {
      const v = data[f * MFCC_DIMS + c];
      sum += v;
      sq += v * v;
    }
    const mean = sum / frames;
    const sd = Math.sqrt(Math.max(sq / frames - mean * mean, 1e-8));
    for (let f = 0; f < frames; f++) data[f * MFCC_DIMS + c] = (data[f * MFCC_DIMS + c] - mean) / sd;
  }
}

/** The frames whose windows start within [startMs, endMs). */
export function sliceFrames(f: Features, startMs: number, endMs: number): Features {
  const first = Math.max(0, Math.floor(startMs / HOP_MS));
  const last = Math.min(f.frames, Math.ceil(endMs / HOP_MS));
  return { data: f.data.slice(first * MFCC_DIMS, last * MFCC_DIMS), frames: Math.max(0, last - first) };
}

/** Adjacent pairs of frames averaged: half the frames, each covering 20 ms of hops. */
export function pooled(f: Features): Features {
  const frames = Math.floor(f.frames / 2);
  const data = new Float32Array(frames * MFCC_DIMS);
  for (let k = 0; k < data.length; k++) {
    const frame = Math.floor(k / MFCC_DIMS);
    const c = k % MFCC_DIMS;
    data[k] = (f.data[2 * frame * MFCC_DIMS + c] + f.data[(2 * frame + 1) * MFCC_DIMS + c]) / 2;
  }
  return { data, frames };
}
