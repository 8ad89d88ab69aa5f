/**
 * An on-disk cache of synthesized speech: `<key>.wav` (mono PCM16, 16 kHz) and `<key>.json`
 * (word timings, the inputs, a SHA-256 of the samples), keyed by a hash of the synthesizer
 * package and version, this pipeline's version, the text and the voice.
 *
 * Safe for concurrent processes: each file is written to a unique temporary name and renamed
 * into place, the JSON last. An entry is used only if both files parse, the inputs match and
 * the samples hash to the recorded digest; anything else is re-rendered and overwritten.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { USER_SAMPLE_RATE, type Word } from '../../harness/media.ts';
import { decodeWav, encodeWav } from '../audio/wav.ts';
import { ESPEAK_PACKAGE, ESPEAK_VERSION, synthesize, type EspeakVoice, type Synthesized } from './espeak.ts';

/** Bump when espeak.ts, word-timings.ts or resample.ts change what a rendering contains. */
export const TTS_PIPELINE_VERSION = 1;

export type Synthesizer = (text: string, voice: EspeakVoice) => Promise<Synthesized>;

interface Entry {
  engine: string;
  pipeline: number;
  text: string;
  voice: EspeakVoice;
  sampleRate: number;
  samples: number;
  pcmSha256: string;
  words: Word[];
}

export function cacheKey(text: string, voice: EspeakVoice): string {
  const { name, rate_wpm, pitch } = voice;
  const identity = JSON.stringify([`${ESPEAK_PACKAGE}@${ESPEAK_VERSION}`, TTS_PIPELINE_VERSION, text, name, rate_wpm, pitch]);
  return createHash('sha256').update(identity).digest('hex').slice(0, 32);
}

export function cachedSynthesizer(dir: string, synth: Synthesizer = synthesize): Synthesizer {
  return async (text, voice) => {
    const key = cacheKey(text, voice);
    const base = join(dir, key);
    const hit = readEntry(base, text, voice);
    if (hit) return hit;
    const fresh = await synth(text, voice);
    writeEntry(dir, base, text, voice, fresh);
    return fresh;
  };
}

function readEntry(base: string, text: string, voice: EspeakVoice): Synthesized | undefined {
  try {
    const entry = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as Entry;
    const sameInputs =
      entry.engine === `${ESPEAK_PACKAGE}@${ESPEAK_VERSION}` &&
      entry.pipeline === TTS_PIPELINE_VERSION &&
      entry.text === text &&
      entry.voice?.name === voice.name &&
      entry.voice.rate_wpm === voice.rate_wpm &&
      entry.voice.pitch === voice.pitch;
    if (!sameInputs || !Array.isArray(entry.words) || !entry.words.every(isWord)) return undefined;
    const { pcm, sampleRate } = decodeWav(readFileSync(`${base}.wav`));
    if (sampleRate !== USER_SAMPLE_RATE || pcm.length !== entry.samples || sha256(pcm) !== entry.pcmSha256) return undefined;
    return { pcm, sampleRate: USER_SAMPLE_RATE, words: entry.words };
  } catch {
    return undefined; // missing, half-deleted or corrupt: render again
  }
}

function writeEntry(dir: string, base: string, text: string, voice: EspeakVoice, s: Synthesized): void {
  mkdirSync(dir, { recursive: true });
  const entry: Entry = {
    engine: `${ESPEAK_PACKAGE}@${ESPEAK_VERSION}`,
    pipeline: TTS_PIPELINE_VERSION,
    text,
    voice: { name: voice.name, rate_wpm: voice.rate_wpm, pitch: voice.pitch },
    sampleRate: s.sampleRate,
    samples: s.pcm.length,
    pcmSha256: sha256(s.pcm),
    words: s.words,
  };
  atomicWrite(`${base}.wav`, encodeWav(s.pcm, s.sampleRate));
  atomicWrite(`${base}.json`, JSON.stringify(entry, null, 1));
}

function atomicWrite(file: string, data: Uint8Array | string): void {
  const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

function sha256(pcm: Int16Array): string {
  return createHash('sha256').update(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength)).digest('hex');
}

function isWord(w: unknown): w is Word {
  const x = w as Word;
  return typeof x?.text === 'string' && Number.isFinite(x.startMs) && Number.isFinite(x.endMs) && x.endMs >= x.startMs;
}
