/**
 * What the adversaries send: sounds that carry no content (noise, hum, DC, buzz) and one canned
 * utterance of real speech. 16 kHz PCM16 mono, deterministic.
 */
import { seededRandom } from '../../harness/stats.ts';
import { synthesize } from '../../datasets/tts/espeak.ts';
import { onceAsync } from '../../harness/once.ts';

export const ADVERSARY_RATE = 16_000;

const samples = (ms: number) => Math.round((ms * ADVERSARY_RATE) / 1000);
const amplitudeOf = (dbfs: number) => 32768 * 10 ** (dbfs / 20);

/** White noise at `dbfs` RMS. */
export function whiteNoise(ms: number, dbfs: number, seed: number): Int16Array {
  const random = seededRandom(seed);
  const peak = amplitudeOf(dbfs) * Math.sqrt(3);
  return Int16Array.from({ length: samples(ms) }, () => Math.round(peak * (2 * random() - 1)));
}

/** A constant sample value: 0 Hz, inaudible, but energy to an energy detector. */
export function dcBlip(ms: number, value: number): Int16Array {
  return new Int16Array(samples(ms)).fill(value);
}

/** Mains hum: 50 Hz and its harmonics up to 400 Hz, at `dbfs` RMS (about). */
export function hum(ms: number, dbfs: number): Int16Array {
  const a = amplitudeOf(dbfs) * Math.SQRT2 * 0.7;
  return Int16Array.from({ length: samples(ms) }, (_, i) => {
    const t = i / ADVERSARY_RATE;
    let x = 0;
    for (let k = 1; k <= 8; k++) x += Math.sin(2 * Math.PI * 50 * k * t) / k;
    return Math.round(a * x);
  });
}

/** A square-wave buzz at `hz`, `amplitude` peak. */
export function buzz(ms: number, hz: number, amplitude: number): Int16Array {
  const period = ADVERSARY_RATE / hz;
  return Int16Array.from({ length: samples(ms) }, (_, i) => (i % period < period / 2 ? amplitude : -amplitude));
}

/** One canned utterance of real speech, rendered once (eSpeak NG, offline). */
export const cannedSpeech = onceAsync(async () => {
  const s = await synthesize('That is a very good question, and I am happy to tell you all about it right now.', { name: 'en-us', rate_wpm: 170, pitch: 50 });
  return s.pcm;
});
