/**
 * The render-time perturbations of one rendered clip, in the fixed order rate, reverb,
 * telephone, level (when noise is added live). Only rate moves time: every planted time (words,
 * pauses, tics, speech start and end) is divided by its factor, so the truth stays the truth of
 * the audio as sent. Reverb and the telephone path keep every time (see their files); reverb
 * makes the clip longer by its tail. Seeded by the scenario's seed: one room per scenario.
 */
import type { RenderedSpeech } from '../../harness/media.ts';
import { seedFor } from '../prng.ts';
import { levelSpeech } from './level.ts';
import { timeScale } from './rate.ts';
import { reverberate } from './reverb.ts';
import type { Perturbation } from './spec.ts';
import { telephone } from './telephone.ts';

type Span = { startMs: number; endMs: number };

function retimed(r: RenderedSpeech, pcm: Int16Array, factor: number): RenderedSpeech {
  const ms = (t: number) => t / factor;
  const span = <T extends Span>(s: T): T => ({ ...s, startMs: ms(s.startMs), endMs: ms(s.endMs) });
  return {
    ...r,
    pcm,
    words: r.words.map(span),
    pauses: r.pauses.map(span),
    speechStartMs: ms(r.speechStartMs),
    speechEndMs: ms(r.speechEndMs),
    ...(r.tics ? { tics: r.tics.map(span) } : {}),
  };
}

export function perturbClip(r: RenderedSpeech, p: Perturbation, seed: number): RenderedSpeech {
  let out = r;
  if (p.rate) out = retimed(out, timeScale(out.pcm, out.sampleRate, p.rate.factor), p.rate.factor);
  if (p.reverb) out = { ...out, pcm: reverberate(out.pcm, out.sampleRate, p.reverb.rt60Ms, seedFor(seed, 'perturb:reverb')) };
  if (p.telephone) out = { ...out, pcm: telephone(out.pcm, out.sampleRate, p.telephone) };
  if (p.noise) out = { ...out, pcm: levelSpeech(out.pcm, out.sampleRate) };
  return out;
}
