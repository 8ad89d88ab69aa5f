/**
 * Offline speech synthesis with eSpeak NG (the Emscripten build in
 * @echogarden/espeak-ng-emscripten): 16 kHz PCM plus word timings taken from the
 * synthesizer's own word and phoneme events, so the user channel's ground truth is known to
 * the sample instead of estimated.
 *
 * Determinism: the synthesizer keeps state across utterances (its pitch-flutter phase, for
 * one), so the same text rendered twice in one module instance gives different samples and
 * even different lengths. Each utterance therefore gets a fresh module instance (~35 ms),
 * and calls are serialized so instances never overlap.
 *
 * Timings are those of the dry voice: variants with an `echo` line (f2-f5, m2 and others) add
 * a 120-140 ms echo at -20 dB that sounds on past each word's end. Measured on echo-free
 * voices, the last sample at -45 dBFS or louder lies within 0.25 ms of the last word's end.
 */
import createEspeak, { type EspeakModule } from '@echogarden/espeak-ng-emscripten';
import { InputError } from '../../harness/errors.ts';
import { USER_SAMPLE_RATE, type Word } from '../../harness/media.ts';
import { resample } from '../audio/resample.ts';
import { wordTimings, type SynthEvent } from './word-timings.ts';

const ESPEAK_SAMPLE_RATE = 22_050;

export interface EspeakVoice {
  /** A language voice (`en-us`, `en-gb`, or an identifier such as `gmw/en-US`), optionally `+variant` (`en-us+f3`). */
  name: string;
  /** Words per minute, 80-450. */
  rate_wpm: number;
  /** Base pitch, 0-99. */
  pitch: number;
}

export interface Synthesized {
  pcm: Int16Array;
  sampleRate: typeof USER_SAMPLE_RATE;
  words: Word[];
}

const VARIANTS_DIR = '/usr/share/espeak-ng-data/voices/!v';

interface Catalog {
  /** Lower-cased language name or identifier -> voice identifier. */
  voices: Map<string, string>;
  languages: string[];
  variants: string[];
}

let catalog: Promise<Catalog> | undefined;
function loadCatalog(): Promise<Catalog> {
  catalog ??= createEspeak().then((m) => {
    const voices = new Map<string, string>();
    const languages: string[] = [];
    for (const v of new m.eSpeakNGWorker().list_voices()) {
      const language = v.languages[0]?.name;
      if (language) {
        languages.push(language);
        voices.set(language.toLowerCase(), v.identifier);
      }
      voices.set(v.identifier.toLowerCase(), v.identifier);
    }
    const variants = m.FS.readdir(VARIANTS_DIR).filter((f) => f !== '.' && f !== '..');
    return { voices, languages: [...new Set(languages)].sort(), variants: variants.sort() };
  });
  return catalog;
}

/** Language voices, e.g. `en-us`, `en-gb`, `en-gb-scotland`; append `+variant` (see listVariants). */
export async function listVoices(): Promise<string[]> {
  return (await loadCatalog()).languages;
}

/** Voice variants, e.g. `f1`..`f5`, `m1`..`m8`, `klatt`. */
export async function listVariants(): Promise<string[]> {
  return (await loadCatalog()).variants;
}

/** The synthesizer's name for `name` (`en-gb+f3` -> `gmw/en+f3`); InputError if unknown. */
async function resolveVoice(name: string): Promise<string> {
  const { voices, variants } = await loadCatalog();
  const [base, variant, ...rest] = name.split('+');
  const identifier = voices.get(base.toLowerCase());
  if (!identifier || rest.length > 0) {
    throw new InputError(`unknown voice "${name}"`, {
      field: 'voice.name',
      hint: 'Use a language voice such as en-us, en-gb, en-gb-scotland, en-029, optionally with a variant: en-us+f3 (`listVoices()` lists them all).',
    });
  }
  if (variant === undefined) return identifier;
  if (!variants.includes(variant)) {
    throw new InputError(`unknown voice variant "+${variant}" in "${name}"`, {
      field: 'voice.name',
      hint: `Use one of: ${variants.filter((v) => /^[fm]\d$/.test(v)).join(', ')} (and others: \`listVariants()\`).`,
    });
  }
  return `${identifier}+${variant}`;
}

let queue: Promise<unknown> = Promise.resolve();
function serialized<T>(job: () => Promise<T>): Promise<T> {
  const run = queue.then(job, job);
  queue = run.catch(() => undefined);
  return run;
}

export function synthesize(text: string, voice: EspeakVoice): Promise<Synthesized> {
  if (text.trim() === '')
    return Promise.reject(new InputError('nothing to synthesize: the text is empty', { field: 'text', hint: 'Write the words to speak.' }));
  if (!(voice.rate_wpm >= 80 && voice.rate_wpm <= 450)) return Promise.reject(new RangeError(`rate_wpm must be 80-450, got ${voice.rate_wpm}`));
  if (!(voice.pitch >= 0 && voice.pitch <= 99)) return Promise.reject(new RangeError(`pitch must be 0-99, got ${voice.pitch}`));
  return serialized(async () => {
    const identifier = await resolveVoice(voice.name);
    const { pcm, events } = render(await createEspeak(), text, identifier, voice);
    const toGrid = (sample: number) => Math.round((sample * USER_SAMPLE_RATE) / ESPEAK_SAMPLE_RATE);
    const words = wordTimings(text, events, pcm.length).map((w) => ({
      text: w.text,
      startMs: (toGrid(w.startSample) * 1000) / USER_SAMPLE_RATE,
      endMs: (toGrid(w.endSample) * 1000) / USER_SAMPLE_RATE,
    }));
    return { pcm: resample(pcm, ESPEAK_SAMPLE_RATE, USER_SAMPLE_RATE), sampleRate: USER_SAMPLE_RATE, words };
  });
}

/** One utterance on a fresh module: raw 22.05 kHz PCM and the event stream. */
function render(m: EspeakModule, text: string, identifier: string, voice: EspeakVoice): { pcm: Int16Array; events: SynthEvent[] } {
  const worker = new m.eSpeakNGWorker();
  worker.set_voice(identifier, '');
  worker.rate = voice.rate_wpm;
  worker.pitch = voice.pitch;
  if (worker.get_samplerate() !== ESPEAK_SAMPLE_RATE) throw new Error(`espeak renders at ${worker.get_samplerate()} Hz, expected ${ESPEAK_SAMPLE_RATE}`);
  const eventSize = worker.getSizeOfEventStruct_();
  const chunks: Int16Array[] = [];
  const events: SynthEvent[] = [];
  const onChunk = (audioPtr: number, sampleCount: number, eventsPtr: number): number => {
    chunks.push(m.HEAP16.slice(audioPtr / 2, audioPtr / 2 + sampleCount));
    for (let p = eventsPtr; ; p += eventSize) {
      const ev = m.wrapPointer(p, m.espeak_EVENT);
      const type = ev.get_type();
      if (type === m.espeakEVENT_LIST_TERMINATED) break;
      const kind = type === m.espeakEVENT_WORD ? 'word' : type === m.espeakEVENT_PHONEME ? 'phoneme' : 'other';
      events.push({
        kind,
        textPosition: ev.get_text_position(),
        sample: ev.get_sample(),
        phoneme: kind === 'phoneme' ? worker.getStringIDFromEventStruct_(p) : undefined,
      });
    }
    return 0;
  };
  const callbackPtr = m.addFunction(onChunk, 'iiii');
  try {
    worker.synth_(text, callbackPtr);
  } finally {
    m.removeFunction(callbackPtr);
  }
  const pcm = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    pcm.set(c, offset);
    offset += c.length;
  }
  return { pcm, events };
}
