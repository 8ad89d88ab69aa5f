/**
 * Known-answer measurements of word timings, shared by the tests (engines.test.ts) and the
 * bench (`npm run bench -- align`):
 *
 * - alignerError: the forced aligner (align.ts) run on speech whose word timings are known
 *   exactly (eSpeak variants, Flite voices); absolute error of every word start and end.
 * - pauseEdgeError: a pause planted after every other word (the way scenarios plant them:
 *   datasets/pauses.ts cuts at the engine's word timings), then the silent run around each
 *   pause found in the audio (no sample at or above -45 dBFS); absolute error of its edges
 *   against the planted start and end. A late or early word boundary shows here as silence
 *   that starts before, or sound that runs into, the planted pause.
 */
import { USER_SAMPLE_RATE } from '../../harness/media.ts';
import { openPauses } from '../pauses.ts';
import { forcedAlign } from './align.ts';
import { synthesizeWith, type SpeechVoice } from './engine.ts';

export const MEASURE_TEXTS = [
  'Hello there, I moved into the new apartment last month.',
  'Could you tell me how long it takes to get to the station from here?',
  'I signed up for a pottery class, and the first lesson is on Thursday.',
  'Please set a timer for twenty minutes so I do not burn the bread.',
] as const;

const LOUD = 32768 * 10 ** (-45 / 20);

export interface ErrorStats {
  n: number;
  medianMs: number;
  p90Ms: number;
  maxMs: number;
  /** Share of errors of 10 ms (one frame) or less. */
  withinFrame: number;
}

export function stats(errors: number[]): ErrorStats {
  const e = [...errors].sort((a, b) => a - b);
  const q = (p: number) => e[Math.min(e.length - 1, Math.floor(p * e.length))] ?? NaN;
  return { n: e.length, medianMs: q(0.5), p90Ms: q(0.9), maxMs: e.at(-1) ?? NaN, withinFrame: e.filter((x) => x <= 10).length / Math.max(1, e.length) };
}

/** Aligner error on speech with exact timings, rendered by `voice` (its own engine). */
export async function alignerError(voice: SpeechVoice, texts: readonly string[] = MEASURE_TEXTS): Promise<number[]> {
  const errors: number[] = [];
  for (const text of texts) {
    const truth = await synthesizeWith(text, voice);
    const got = await forcedAlign(truth.pcm, text, synthesizeWith);
    got.forEach((w, i) => {
      const t = truth.words[i];
      if (t.endMs > t.startMs) errors.push(Math.abs(w.startMs - t.startMs), Math.abs(w.endMs - t.endMs));
    });
  }
  return errors;
}

/** Planted-pause edge error for `voice`: 400 ms after every other word. */
export async function pauseEdgeError(voice: SpeechVoice, texts: readonly string[] = MEASURE_TEXTS): Promise<number[]> {
  const errors: number[] = [];
  for (const text of texts) {
    const fluent = await synthesizeWith(text, voice);
    const requests = fluent.words.map((_, i) => ({ after_word: i + 1, ms: 400 })).filter((p, i) => i % 2 === 1 && p.after_word < fluent.words.length);
    const spoken = requests.filter(
      (p) =>
        fluent.words[p.after_word - 1].endMs > fluent.words[p.after_word - 1].startMs && fluent.words[p.after_word].endMs > fluent.words[p.after_word].startMs,
    );
    const { pcm, pauses } = openPauses(fluent, spoken);
    for (const p of pauses) {
      const mid = Math.round((((p.startMs + p.endMs) / 2) * USER_SAMPLE_RATE) / 1000);
      let a = mid;
      while (a > 0 && Math.abs(pcm[a - 1]) < LOUD) a--;
      let b = mid;
      while (b < pcm.length && Math.abs(pcm[b]) < LOUD) b++;
      errors.push(Math.abs((a * 1000) / USER_SAMPLE_RATE - p.startMs), Math.abs((b * 1000) / USER_SAMPLE_RATE - p.endMs));
    }
  }
  return errors;
}
