/**
 * The MediaSource the CLI injects into the runner (harness/media.ts): cached offline speech
 * synthesis (any engine, datasets/tts/engine.ts; optionally a voice set, `run --voices`), WAV
 * clips and seeded noise floors, side talk, background, vocal tics and video (av-media.ts);
 * optionally perturbed (`run --perturb`, datasets/perturb/).
 */
import { fileURLToPath } from 'node:url';
import type { MediaSource } from '../harness/media.ts';
import type { Scenario } from '../harness/scenario/schema.ts';
import { avRenders } from './av-media.ts';
import { createNoise } from './noise.ts';
import { renderSpeech, voiceOf } from './speech.ts';
import { cachedSynthesizer } from './tts/cache.ts';
import { sourceLabel } from './tts/engine.ts';
import { applyVoiceSet, slotsOf, type VoiceRef } from './tts/voice-set.ts';
import { perturbMediaSource } from './perturb/media.ts';
import type { Perturbation } from './perturb/spec.ts';

/** datasets/cache/tts/ (git-ignored). */
export const DEFAULT_TTS_CACHE_DIR = fileURLToPath(new URL('./cache/tts/', import.meta.url));

interface MediaSourceOptions {
  /** Synthesized speech (default DEFAULT_TTS_CACHE_DIR). */
  cacheDir?: string;
  /** Video frames (default datasets/cache/video/). */
  videoCacheDir?: string;
  /** Render every user voice with these engines and voices (voice-set.ts). */
  voices?: readonly VoiceRef[];
  /** The scenario files of the whole suite, which give each scenario its slot in `voices`. */
  suiteFiles?: readonly string[];
  /** Perturb the user's side (`run --perturb`, datasets/perturb/spec.ts). */
  perturbation?: Perturbation;
}

/** `ready()` resolves once what the source renders once per run (a babble loop) is there. */
export function createMediaSource(opts: MediaSourceOptions = {}): MediaSource & { ready(): Promise<void> } {
  const synthesize = cachedSynthesizer(opts.cacheDir ?? DEFAULT_TTS_CACHE_DIR);
  const set = opts.voices?.length ? opts.voices : undefined;
  const slots = slotsOf(opts.suiteFiles ?? []);
  const slotOf = (file: string) => slots.get(file) ?? stableHash(file);
  const clean: MediaSource = {
    renderSpeech: (speech, defaults, scenarioFile) => {
      if (!set || speech.clip !== undefined) return renderSpeech(speech, defaults, scenarioFile, synthesize);
      const v = applyVoiceSet(set, slotOf(scenarioFile), speech, defaults);
      return renderSpeech(v.speech, v.defaults, scenarioFile, synthesize);
    },
    noise: (spec, seed) => createNoise(spec, seed),
    ...avRenders(synthesize, opts.videoCacheDir),
    speechSource: (scenario, scenarioFile) => {
      if (!hasText(scenario)) return 'recording';
      if (set) return sourceLabel(set[slotOf(scenarioFile) % set.length]);
      return sourceLabel(voiceOf(undefined, { voice: scenario.voice }));
    },
  };
  if (opts.perturbation) return perturbMediaSource(clean, opts.perturbation, synthesize);
  return { ...clean, ready: () => Promise.resolve() };
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
