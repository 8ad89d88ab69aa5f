/**
 * Additive noise at a stated SNR. The SNR is against the user's active speech level (the RMS
 * over what the speech detector calls speech, harness/runner/levels.ts): with a noise
 * perturbation every speech clip is levelled to SPEECH_DBFS active, and the noise runs through
 * the whole session, under the scenario's own noise floor, at SPEECH_DBFS - snrDb. Kinds: the
 * seeded floors of datasets/noise.ts (white, pink, brown, room_tone) and a looped babble bed
 * (datasets/effects/beds.ts) of BABBLE_LOOP_MS.
 */
import type { NoiseRecipe, NoiseStream } from '../../harness/media.ts';
import { buildNoise } from '../../harness/noise-recipe.ts';
import { renderBed } from '../effects/beds.ts';
import { createNoise } from '../noise.ts';
import type { Synthesizer } from '../tts/cache.ts';
import { SPEECH_DBFS } from './level.ts';
import type { PerturbNoiseKind } from './spec.ts';
const BABBLE_LOOP_MS = 30_000;

/** A babble bed of BABBLE_LOOP_MS, to be looped (rendered once per run: it needs the synthesizer). */
export function renderBabbleLoop(seed: number, synthesize: Synthesizer): Promise<Int16Array> {
  return renderBed('babble', BABBLE_LOOP_MS, seed, synthesize);
}

/** An endless loop of `pcm` from a seeded offset, scaled to RMS `levelDbfs`. */
function loopStream(pcm: Int16Array, levelDbfs: number, offset: number, recipe: NoiseRecipe): NoiseStream {
  let power = 0;
  for (const v of pcm) power += (v / 32768) ** 2;
  const k = Math.sqrt(10 ** (levelDbfs / 10) / Math.max(1e-12, power / pcm.length)) / 32768;
  let i = offset % pcm.length;
  return {
    recipe,
    next(n) {
      const out = new Float32Array(n);
      for (let j = 0; j < n; j++, i = (i + 1) % pcm.length) out[j] = Math.max(-1, Math.min(1, pcm[i] * k));
      return out;
    },
  };
}

export function perturbationNoise(kind: PerturbNoiseKind, snrDb: number, seed: number, babble?: Int16Array): NoiseStream {
  const levelDbfs = SPEECH_DBFS - snrDb;
  if (kind !== 'babble') return createNoise({ kind, level_dbfs: levelDbfs }, seed);
  if (!babble) throw new Error("the babble loop is not rendered yet: await the media source's ready() first");
  return loopStream(babble, levelDbfs, seed, { module: import.meta.url, factory: 'perturbationNoise', args: [kind, snrDb, seed, babble] });
}

/** Two streams summed (the scenario's floor and the perturbation's noise). */
export function sumStreams(a: NoiseStream | undefined, b: NoiseStream): NoiseStream {
  if (!a) return b;
  const recipe: NoiseRecipe | undefined = a.recipe && b.recipe && { module: import.meta.url, factory: 'sumOfRecipes', args: [a.recipe, b.recipe] };
  return {
    ...(recipe ? { recipe } : {}),
    next(n) {
      const x = a.next(n);
      const y = b.next(n);
      for (let i = 0; i < n; i++) x[i] = Math.max(-1, Math.min(1, x[i] + y[i]));
      return x;
    },
  };
}

/** sumStreams of two recipes' streams: the recipe of a sum. */
export async function sumOfRecipes(a: NoiseRecipe, b: NoiseRecipe): Promise<NoiseStream> {
  return sumStreams(await buildNoise(a), await buildNoise(b));
}
