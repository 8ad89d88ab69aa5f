/**
 * The acoustic treatments of speech not meant for the agent, deterministic DSP on 16 kHz PCM:
 * - side talk (the user turned to someone else; Full-Duplex-Bench v1.5's "talking to others"):
 *   a high-shelf cut above 4 kHz (duller: the mouth points away), a few early reflections
 *   (the room, not the microphone, carries it), then -8 dB;
 * - background (another voice or a sound bed further away): low-passed at 3 kHz, an echo
 *   (a later, weaker copy), then its gain (a voice: -15 dB).
 * The gain is exact on the signal's RMS: after filtering and reflections the output is scaled
 * so that its RMS is the input's RMS times 10^(gain/20). The tail of the reflections is kept
 * (the output is longer than the input by the last delay).
 */
import { applyBiquad, highShelf, lowPass } from './biquad.ts';

const SIDE_TALK_GAIN_DB = -8;
export const SIDE_TALK_SHELF_HZ = 4000;
export const SIDE_TALK_SHELF_DB = -12;
/** Early reflections: [delay ms, relative amplitude]. */
export const SIDE_TALK_REFLECTIONS: readonly [number, number][] = [
  [7, 0.5],
  [13, 0.35],
  [23, 0.25],
  [37, 0.15],
];

const BACKGROUND_GAIN_DB = -15;
export const BACKGROUND_LOWPASS_HZ = 3000;
export const BACKGROUND_ECHOES: readonly [number, number][] = [
  [120, 0.4],
  [250, 0.2],
];

function toFloat(pcm: Int16Array, tailSamples: number): Float64Array {
  const x = new Float64Array(pcm.length + tailSamples);
  for (let i = 0; i < pcm.length; i++) x[i] = pcm[i] / 32768;
  return x;
}

function withTaps(x: Float64Array, taps: readonly [number, number][], sampleRate: number): Float64Array {
  const y = Float64Array.from(x);
  for (const [ms, amp] of taps) {
    const d = Math.round((ms * sampleRate) / 1000);
    for (let i = d; i < x.length; i++) y[i] += amp * x[i - d];
  }
  return y;
}

const rms = (x: ArrayLike<number>, scale = 1) => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] / scale) ** 2;
  return Math.sqrt(s / Math.max(1, x.length));
};

/** Scale y so its RMS over the input's length is rms(reference) * 10^(gainDb/20); back to int16. */
function levelled(y: Float64Array, reference: Int16Array, gainDb: number): Int16Array {
  const inRms = rms(reference, 32768);
  const outRms = rms(y.subarray(0, reference.length));
  const k = outRms > 0 ? (inRms / outRms) * 10 ** (gainDb / 20) : 0;
  return Int16Array.from(y, (v) => Math.max(-32768, Math.min(32767, Math.round(v * k * 32768))));
}

const tailOf = (taps: readonly [number, number][], sampleRate: number) => Math.round((Math.max(...taps.map(([ms]) => ms)) * sampleRate) / 1000);

export function sideTalk(pcm: Int16Array, sampleRate: number, gainDb = SIDE_TALK_GAIN_DB): Int16Array {
  const x = toFloat(pcm, tailOf(SIDE_TALK_REFLECTIONS, sampleRate));
  const dull = applyBiquad(x, highShelf(SIDE_TALK_SHELF_HZ, SIDE_TALK_SHELF_DB, sampleRate));
  return levelled(withTaps(dull, SIDE_TALK_REFLECTIONS, sampleRate), pcm, gainDb);
}

export function background(pcm: Int16Array, sampleRate: number, gainDb = BACKGROUND_GAIN_DB): Int16Array {
  const x = toFloat(pcm, tailOf(BACKGROUND_ECHOES, sampleRate));
  const far = applyBiquad(x, lowPass(BACKGROUND_LOWPASS_HZ, sampleRate));
  return levelled(withTaps(far, BACKGROUND_ECHOES, sampleRate), pcm, gainDb);
}
