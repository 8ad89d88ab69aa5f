/**
 * GnuSpeech (articulatory tube-model synthesis; the Emscripten build in
 * @echogarden/gnuspeech-wasm): 44.1 kHz PCM resampled to 16 kHz. It reports no word timings,
 * so they come from forced alignment against eSpeak (align.ts), whose error is measured and
 * stated (README, "Speech sources").
 *
 * Determinism: the control model's random intonation is switched off, and each utterance runs
 * on a fresh module instance; the same text and voice give the same samples.
 *
 * Voices: male, female, large_child, small_child, baby. `rate_wpm` sets the tempo (tempo 1 is
 * GNUSPEECH_NOMINAL_WPM, measured), `pitch` the pitch offset: -4 semitones (the model's own
 * default) at pitch 50, ±4 semitones more at 0 and 99.
 */
import { createRequire } from 'node:module';
import { InputError } from '../../harness/errors.ts';
import { USER_SAMPLE_RATE } from '../../harness/media.ts';
import { resample } from '../audio/resample.ts';
import { decodeWav } from '../audio/wav.ts';
import { forcedAlign } from './align.ts';
import { checkRequest, ENGINE_INFO, pitchSemitones, serializer, type Engine, type SpeechVoice } from './engine.ts';
import { synthesize as espeak, type Synthesized } from './espeak.ts';

export const GNUSPEECH_VOICES = ['male', 'female', 'large_child', 'small_child', 'baby'] as const;
/** Words per minute at tempo 1 (measured: the same texts last as long as eSpeak's at this rate). */
const GNUSPEECH_NOMINAL_WPM = 155;

interface GnuModule {
  FS: { writeFile(path: string, data: string): void; readFile(path: string): Uint8Array };
  HEAPU8: Uint8Array;
  _malloc(n: number): number;
  _GnuSpeech_synthesizeToFile(text: number, out: number, configDir: number, params: number, debug: number): void;
}

const require = createRequire(import.meta.url);
let config: Promise<string> | undefined;
let init: Promise<(opts: object) => Promise<GnuModule>> | undefined;

function load() {
  const pkg = require.resolve('@echogarden/gnuspeech-wasm/package.json').replace(/package\.json$/, '');
  init ??= import(`${pkg}wasm/gnuspeech.js`).then((m: { default: (opts: object) => Promise<GnuModule> }) => m.default);
  config ??= import(`${pkg}dist/utilities/DefaultTrmControlModel.js`).then(
    (m: { defaultTrmControlModelFileContent: string }) => m.defaultTrmControlModelFileContent,
  );
  return Promise.all([init, config]);
}

/** The control model's configuration for a voice, tempo and pitch (every other line as shipped). */
function controlModel(base: string, voice: SpeechVoice): string {
  const set = (text: string, key: string, value: string) => {
    const re = new RegExp(`^${key} = .*$`, 'm');
    if (!re.test(text)) throw new Error(`gnuspeech: no "${key}" in the control model`);
    return text.replace(re, `${key} = ${value}`);
  };
  let text = set(base, 'voice_name', voice.name);
  text = set(text, 'tempo', (voice.rate_wpm / GNUSPEECH_NOMINAL_WPM).toFixed(4));
  text = set(text, 'pitch_offset', (-4 + pitchSemitones(voice.pitch)).toFixed(3));
  return set(text, 'random_intonation', '0');
}

const serialized = serializer();

/** Audio only, no timings. */
async function render(text: string, voice: SpeechVoice): Promise<Int16Array> {
  checkRequest(text, voice);
  if (!(GNUSPEECH_VOICES as readonly string[]).includes(voice.name)) {
    throw new InputError(`unknown gnuspeech voice "${voice.name}"`, { field: 'voice.name', hint: `Use one of: ${GNUSPEECH_VOICES.join(', ')}.` });
  }
  return serialized(async () => {
    const [create, base] = await load();
    const m = await create({ print: () => undefined, printErr: () => undefined });
    m.FS.writeFile('/data/en/trm_control_model.txt', controlModel(base, voice));
    const str = (s: string) => {
      const bytes = new TextEncoder().encode(`${s}\0`);
      const p = m._malloc(bytes.length);
      m.HEAPU8.set(bytes, p);
      return p;
    };
    m._GnuSpeech_synthesizeToFile(str(text.replace(/\s+/g, ' ').trim()), str('/out.wav'), str('/data/en'), str('/params.txt'), 0);
    const { pcm, sampleRate } = decodeWav(m.FS.readFile('/out.wav'));
    return resample(pcm, sampleRate, USER_SAMPLE_RATE);
  });
}

async function synthesize(text: string, voice: SpeechVoice): Promise<Synthesized> {
  const pcm = await render(text, voice);
  const words = await forcedAlign(pcm, text, (t, v) => espeak(t, v));
  return { pcm, sampleRate: USER_SAMPLE_RATE, words };
}

export const GNUSPEECH: Engine = {
  ...ENGINE_INFO.gnuspeech,
  voices: async () => [...GNUSPEECH_VOICES],
  synthesize,
};
