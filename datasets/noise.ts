/**
 * Seeded noise floors for the user channel. Real microphones are never digitally silent, so
 * suites lay one of these under everything the user "says" (DESIGN.md).
 *
 * Each kind is Gaussian white noise through a fixed linear filter:
 * - white: no filter;
 * - pink: Paul Kellett's refined 1/f filter (-3 dB per octave over the speech band);
 * - brown: a leaky integrator (-6 dB per octave above BROWN_CORNER_HZ);
 * - room_tone: pink noise low-passed at ROOM_LOWPASS_HZ, plus a faint 50 Hz mains hum with
 *   two harmonics carrying HUM_SHARE of the power.
 * The level is exact in expectation: the filter's power gain is measured once from its
 * impulse response, and the gain set so the RMS is `level_dbfs` (0 dBFS = RMS 1.0, the RMS of
 * a full-scale square wave, the convention of harness/vad/energy.ts). The filter runs for
 * WARMUP_S before the first sample is handed out, so the stream starts stationary.
 */
import { USER_SAMPLE_RATE, type NoiseSpec, type NoiseStream } from '../harness/media.ts';
import { createRng } from './prng.ts';
import { pinkFilter } from '../harness/audio/pink-filter.ts';

const BROWN_CORNER_HZ = 20;
const ROOM_LOWPASS_HZ = 400;
export const HUM_HZ = 50;
export const HUM_SHARE = 0.1;
const HUM_HARMONICS = [1, 0.5, 0.3]; // relative amplitudes of 50, 100, 150 Hz
const WARMUP_S = 1;
const IMPULSE_SAMPLES = 1 << 16;

type Filter = (x: number) => number;

function onePole(cornerHz: number, sampleRate: number): { a: number; step: (x: number, y: number) => number } {
  const a = Math.exp((-2 * Math.PI * cornerHz) / sampleRate);
  return { a, step: (x, y) => a * y + x };
}

export function brownPole(sampleRate: number): number {
  return onePole(BROWN_CORNER_HZ, sampleRate).a;
}

function filterFor(kind: NoiseSpec['kind'], sampleRate: number): () => Filter {
  switch (kind) {
    case 'white':
      return () => (x) => x;
    case 'pink':
      return pinkFilter;
    case 'brown':
      return () => {
        const { step } = onePole(BROWN_CORNER_HZ, sampleRate);
        let y = 0;
        return (x) => (y = step(x, y));
      };
    case 'room_tone':
      return () => {
        const pink = pinkFilter();
        const { a } = onePole(ROOM_LOWPASS_HZ, sampleRate);
        let y = 0;
        return (x) => (y = a * y + (1 - a) * pink(x));
      };
  }
}

/**
 * Output power of a kind's filter (fresh state) for unit-variance white input: sum of h[n]^2.
 * Measured once per kind and rate: a real-time session builds its floor on the live loop.
 */
const powerGains = new Map<string, number>();
function powerGain(kind: NoiseSpec['kind'], sampleRate: number): number {
  const key = `${kind} ${sampleRate}`;
  let sum = powerGains.get(key);
  if (sum === undefined) {
    const f = filterFor(kind, sampleRate)();
    sum = 0;
    for (let n = 0; n < IMPULSE_SAMPLES; n++) sum += f(n === 0 ? 1 : 0) ** 2;
    powerGains.set(key, sum);
  }
  return sum;
}

export function createNoise(spec: NoiseSpec, seed: number, sampleRate: number = USER_SAMPLE_RATE): NoiseStream {
  const rng = createRng(seed);
  const filter = filterFor(spec.kind, sampleRate)();
  const targetPower = 10 ** (spec.level_dbfs / 10);
  const humPower = spec.kind === 'room_tone' ? HUM_SHARE * targetPower : 0;
  const gain = Math.sqrt((targetPower - humPower) / powerGain(spec.kind, sampleRate));
  const humPowerPerUnit = HUM_HARMONICS.reduce((s, h) => s + (h * h) / 2, 0);
  const humAmplitude = Math.sqrt(humPower / humPowerPerUnit);
  const phases = HUM_HARMONICS.map(() => 2 * Math.PI * rng.next());
  // Per harmonic, the factors of amplitude * sin(omega * t + phase) that do not change, grouped
  // as the product is evaluated (left to right), so every sample keeps its bits.
  const amplitudes = HUM_HARMONICS.map((h) => humAmplitude * h);
  const omegas = HUM_HARMONICS.map((_, j) => 2 * Math.PI * HUM_HZ * (j + 1));
  let n = 0;
  // Warmed up on the first draw, not here: a real-time session's live loop builds the stream only
  // for its recipe (the noise thread draws it), and the warm-up is most of the build.
  let warm = false;

  return {
    recipe: { module: import.meta.url, factory: 'createNoise', args: [spec, seed, sampleRate] },
    next(count: number): Float32Array {
      if (!warm) {
        for (let i = 0; i < WARMUP_S * sampleRate; i++) filter(rng.gaussian());
        warm = true;
      }
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++, n = (n + 1) % sampleRate) {
        let y = gain * filter(rng.gaussian());
        if (humAmplitude > 0) {
          const t = n / sampleRate; // whole seconds hold whole hum cycles: n wraps without a jump
          for (let j = 0; j < amplitudes.length; j++) y += amplitudes[j] * Math.sin(omegas[j] * t + phases[j]);
        }
        out[i] = y > 1 ? 1 : y < -1 ? -1 : y;
      }
      return out;
    },
  };
}
