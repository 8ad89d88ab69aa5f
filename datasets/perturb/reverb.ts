/**
 * Reverberation: the clip convolved with a synthetic room impulse response. The response is
 * the direct path (a unit impulse at lag 0, so onsets do not move) followed by a seeded
 * Gaussian tail under an exponential envelope that falls 60 dB in `rt60Ms`, scaled so the
 * tail holds DIRECT_TO_REVERBERANT_DB less energy than the direct path (a talker about a metre
 * from the microphone). The output keeps the input's RMS over the input's length and is longer
 * by the tail (truncated at -60 dB), which rings on after the speech ends: energy, not words.
 */
import { Fft } from '../../harness/vad/dsp.ts';
import { createRng } from '../prng.ts';

export const DIRECT_TO_REVERBERANT_DB = 3;
const BLOCK_FFT_MIN = 1 << 14;

export function roomImpulse(rt60Ms: number, sampleRate: number, seed: number): Float64Array {
  const n = Math.max(2, Math.round((rt60Ms * sampleRate) / 1000));
  const rng = createRng(seed);
  const h = new Float64Array(n);
  const decayPerSample = Math.log(1000) / n; // amplitude 1e-3 = -60 dB at rt60
  let tail = 0;
  for (let i = 1; i < n; i++) {
    h[i] = rng.gaussian() * Math.exp(-decayPerSample * i);
    tail += h[i] * h[i];
  }
  const k = Math.sqrt(10 ** (-DIRECT_TO_REVERBERANT_DB / 10) / tail);
  for (let i = 1; i < n; i++) h[i] *= k;
  h[0] = 1;
  return h;
}

/**
 * Linear convolution by overlap-add: blocks of the input through FFTs of BLOCK_FFT_MIN or the
 * next power of two above twice the response, so memory stays bounded for recordings of any
 * length (one FFT of a ten-minute clip would take half a gigabyte).
 */
export function convolve(x: Float64Array, h: Float64Array): Float64Array {
  let size = BLOCK_FFT_MIN;
  while (size < 2 * h.length) size *= 2;
  const block = size - h.length + 1;
  const fft = new Fft(size);
  const hr = new Float64Array(size);
  const hi = new Float64Array(size);
  hr.set(h);
  fft.transform(hr, hi);
  const out = new Float64Array(x.length + h.length - 1);
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  for (let from = 0; from < x.length; from += block) {
    re.fill(0);
    im.fill(0);
    re.set(x.subarray(from, Math.min(x.length, from + block)));
    fft.transform(re, im);
    // Product, conjugated: the inverse transform is the forward one on the conjugate, conjugated.
    for (let i = 0; i < size; i++) {
      const a = re[i] * hr[i] - im[i] * hi[i];
      const b = re[i] * hi[i] + im[i] * hr[i];
      re[i] = a;
      im[i] = -b;
    }
    fft.transform(re, im);
    for (let i = 0; i < size && from + i < out.length; i++) out[from + i] += re[i] / size;
  }
  return out;
}

export function reverberate(pcm: Int16Array, sampleRate: number, rt60Ms: number, seed: number): Int16Array {
  const y = convolve(Float64Array.from(pcm), roomImpulse(rt60Ms, sampleRate, seed));
  let inPower = 0;
  let outPower = 0;
  for (let i = 0; i < pcm.length; i++) {
    inPower += pcm[i] * pcm[i];
    outPower += y[i] * y[i];
  }
  const k = outPower > 0 ? Math.sqrt(inPower / outPower) : 0;
  return Int16Array.from(y, (v) => Math.max(-32768, Math.min(32767, Math.round(v * k))));
}
