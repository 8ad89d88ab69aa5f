/**
 * The MediaSource the CLI injects into the runner: cached offline speech synthesis, WAV clips
 * and seeded noise floors.
 */
import { fileURLToPath } from 'node:url';
import type { MediaSource } from '../harness/media.ts';
import { createNoise } from './noise.ts';
import { renderSpeech } from './speech.ts';
import { cachedSynthesizer } from './tts/cache.ts';

/** datasets/cache/tts/ (git-ignored). */
export const DEFAULT_TTS_CACHE_DIR = fileURLToPath(new URL('./cache/tts/', import.meta.url));

export function createMediaSource(opts: { cacheDir?: string } = {}): MediaSource {
  const synthesize = cachedSynthesizer(opts.cacheDir ?? DEFAULT_TTS_CACHE_DIR);
  return {
    renderSpeech: (speech, defaults, scenarioFile) => renderSpeech(speech, defaults, scenarioFile, synthesize),
    noise: (spec, seed) => createNoise(spec, seed),
  };
}
