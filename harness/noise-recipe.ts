/** A noise stream built from its recipe (harness/media.ts, NoiseRecipe), in whichever thread asks. */
import type { NoiseRecipe, NoiseStream } from './media.ts';

export async function buildNoise(recipe: NoiseRecipe): Promise<NoiseStream> {
  const module = (await import(recipe.module)) as Record<string, unknown>;
  const factory = module[recipe.factory];
  if (typeof factory !== 'function') throw new Error(`noise recipe: ${recipe.module} has no function ${recipe.factory}`);
  return (await factory(...recipe.args)) as NoiseStream;
}
