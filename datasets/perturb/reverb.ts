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

/** Linear convolution by one FFT of the next power of two (clips are seconds long). */
export function convolve(x: Float64Array, h: Float64Array): Float64Array {
  const length = x.length + h.length - 1;
  let size = 2;
  while (size < length) size *= 2;
  const fft = new Fft(size);
  const [xr, xi, hr, hi] = [0, 0, 0, 0].map(() => new Float64Array(size));
  xr.set(x);
  hr.set(h);
  fft.transform(xr, xi);
  fft.transform(hr, hi);
  // Product, conjugated: the inverse transform is the forward one on the conjugate, conjugated.
  for (let i = 0; i < size; i++) {
    const re = xr[i] * hr[i] - xi[i] * hi[i];
    const im = xr[i] * hi[i] + xi[i] * hr[i];
    xr[i] = re;
    xi[i] = -im;
  }
  fft.transform(xr, xi);
  return Float64Array.from(xr.subarray(0, length), (v) => v / size);
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
