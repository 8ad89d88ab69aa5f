/**
 * The MediaSource the CLI injects into the runner: cached offline speech synthesis (any engine,
 * datasets/tts/engine.ts; optionally a voice set, `run --voices`), WAV clips and seeded noise
 * floors.
 */
import { fileURLToPath } from 'node:url';
import type { MediaSource } from '../harness/media.ts';
import type { Scenario } from '../harness/scenario/schema.ts';
import { createNoise } from './noise.ts';
import { renderSpeech, voiceOf } from './speech.ts';
import { cachedSynthesizer } from './tts/cache.ts';
import { sourceLabel } from './tts/engine.ts';
import { applyVoiceSet, slotsOf, type VoiceRef } from './tts/voice-set.ts';

/** datasets/cache/tts/ (git-ignored). */
export const DEFAULT_TTS_CACHE_DIR = fileURLToPath(new URL('./cache/tts/', import.meta.url));

export interface MediaSourceOptions {
  cacheDir?: string;
  /** Render every user voice with these engines and voices (voice-set.ts). */
  voices?: readonly VoiceRef[];
  /** The scenario files of the whole suite, which give each scenario its slot in `voices`. */
  suiteFiles?: readonly string[];
}

export function createMediaSource(opts: MediaSourceOptions = {}): MediaSource {
  const synthesize = cachedSynthesizer(opts.cacheDir ?? DEFAULT_TTS_CACHE_DIR);
  const set = opts.voices?.length ? opts.voices : undefined;
  const slots = slotsOf(opts.suiteFiles ?? []);
  const slotOf = (file: string) => slots.get(file) ?? stableHash(file);
  return {
    renderSpeech: (speech, defaults, scenarioFile) => {
      if (!set || speech.clip !== undefined) return renderSpeech(speech, defaults, scenarioFile, synthesize);
      const v = applyVoiceSet(set, slotOf(scenarioFile), speech, defaults);
      return renderSpeech(v.speech, v.defaults, scenarioFile, synthesize);
    },
    noise: (spec, seed) => createNoise(spec, seed),
    speechSource: (scenario, scenarioFile) => {
      if (!hasText(scenario)) return 'recording';
      if (set) return sourceLabel(set[slotOf(scenarioFile) % set.length]);
      return sourceLabel(voiceOf(undefined, { voice: scenario.voice }));
    },
  };
}

/** Whether any of the user's own speech (speak, backchannel) is synthesized. */
function hasText(scenario: Scenario): boolean {
  return scenario.timeline.some((a) => a.speak?.text !== undefined || a.backchannel?.text !== undefined);
}

function stableHash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}
