/**
 * Render every speech action of a suite into the TTS cache (warming it for runs and CI) and
 * report what was rendered: count, audio length, wall time.
 *
 *   npx tsx datasets/recipes/render-suite.ts [suite-or-path] [--cache DIR]
 */
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { InputError } from '../../harness/errors.ts';
import type { MediaSource, RenderedSpeech } from '../../harness/media.ts';
import { loadSuite, type LoadedScenario } from '../../harness/scenario/load.ts';
import { createMediaSource } from '../media-source.ts';

interface RenderedAction {
  key: string;
  actionId: string;
  rendered: RenderedSpeech;
}

export async function renderSuite(scenarios: LoadedScenario[], media: MediaSource): Promise<RenderedAction[]> {
  const out: RenderedAction[] = [];
  for (const { scenario, file, key } of scenarios) {
    for (const action of scenario.timeline) {
      const speech = action.speak ?? action.backchannel;
      if (!speech) continue;
      const rendered = await media.renderSpeech(speech, { voice: scenario.voice, seed: scenario.seed ?? 0 }, file);
      out.push({ key, actionId: action.id, rendered });
    }
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const cacheAt = args.indexOf('--cache');
  const cacheDir = cacheAt >= 0 ? args[cacheAt + 1] : undefined;
  const suite = args.find((a, i) => !a.startsWith('--') && i !== cacheAt + 1) ?? 'core';
  try {
    const started = performance.now();
    const scenarios = loadSuite(suite, fileURLToPath(new URL('../../scenarios/', import.meta.url)));
    const rendered = await renderSuite(scenarios, createMediaSource({ cacheDir }));
    const audioS = rendered.reduce((s, r) => s + r.rendered.pcm.length / r.rendered.sampleRate, 0);
    const wallS = (performance.now() - started) / 1000;
    console.log(`${rendered.length} utterances from ${scenarios.length} scenarios: ${audioS.toFixed(1)} s of audio in ${wallS.toFixed(2)} s`);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    console.error(e.describe());
    process.exit(2);
  }
}
