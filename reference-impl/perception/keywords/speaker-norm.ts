/**
 * One speaker's cepstral statistics (mean and spread of each MFCC over their speech), for
 * normalizing a clip too short to be standardized over itself: the first 300 ms of "mm-hmm" is
 * one steady hum, and standardizing it over itself would blow its small wobble up into
 * features. Normalized by the speaker's own statistics instead, what is left is mostly the
 * sound, not the voice or the channel (cepstral mean and variance normalization).
 */
import { levelDbfs } from '../../frames.ts';
import { HOP_SAMPLES, MFCC_DIMS, rawMfcc, WINDOW_SAMPLES, type Features } from './mfcc.ts';

/** Below this many frames the statistics are not trusted (1 s of speech at 10 ms hops). */
export const MIN_STATS_FRAMES = 100;
const MIN_VAR = 1e-6;

export class CepstralStats {
  private readonly sum = new Float64Array(MFCC_DIMS);
  private readonly sq = new Float64Array(MFCC_DIMS);
  frames = 0;

  /** Adds frames [first, last) of raw (unnormalized) MFCCs. */
  add(f: Features, first = 0, last = f.frames): void {
    for (let i = first; i < last; i++) {
      for (let c = 0; c < MFCC_DIMS; c++) {
        const v = f.data[i * MFCC_DIMS + c];
        this.sum[c] += v;
        this.sq[c] += v * v;
      }
    }
    this.frames += Math.max(0, last - first);
  }

  get ready(): boolean {
    return this.frames >= MIN_STATS_FRAMES;
  }

  /** Raw MFCCs normalized by these statistics (a new Features). */
  normalize(f: Features): Features {
    const mean = Float64Array.from(this.sum, (s) => s / this.frames);
    const sd = Float64Array.from(this.sq, (s, c) => Math.sqrt(Math.max(s / this.frames - mean[c] ** 2, MIN_VAR)));
    const data = Float32Array.from(f.data, (v, k) => (v - mean[k % MFCC_DIMS]) / sd[k % MFCC_DIMS]);
    return { data, frames: f.frames };
  }
}

/** A frame more than this far under the clip's loudest, or under the floor, is not speech. */
const SPEECH_WITHIN_DB = 35;
const SPEECH_FLOOR_DBFS = -50;

/** Adds the speech of a clip (16 kHz PCM): its MFCC frames loud enough to be speech. */
export function addSpeech(stats: CepstralStats, pcm: Int16Array): void {
  const f = rawMfcc(pcm);
  const level = Float64Array.from({ length: f.frames }, (_, i) => levelDbfs(pcm.subarray(i * HOP_SAMPLES, i * HOP_SAMPLES + WINDOW_SAMPLES)));
  const loudest = Math.max(...level);
  for (let i = 0; i < f.frames; i++) if (level[i] >= Math.max(SPEECH_FLOOR_DBFS, loudest - SPEECH_WITHIN_DB)) stats.add(f, i, i + 1);
}
