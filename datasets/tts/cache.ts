/**
 * An on-disk cache of synthesized speech: `<key>.wav` (mono PCM16, 16 kHz) and `<key>.json`
 * (word timings, the inputs, a SHA-256 of the samples), keyed by a hash of the engine's
 * package and version (npm; Debian: its packages' versions) (eSpeak's for a voice that names no
 * engine, so eSpeak keys are what they were before engines), this pipeline's version, the text and the voice.
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
import type { Synthesized } from './espeak.ts';
import { DEFAULT_ENGINE, ENGINE_INFO, installedRelease, isEngine, shippedIn, synthesizeWith, type SpeechVoice } from './engine.ts';

/** Bump when espeak.ts, word-timings.ts or resample.ts change what a rendering contains (the other engines' files: see engine.ts). */
const TTS_PIPELINE_VERSION = 1;

export type Synthesizer = (text: string, voice: SpeechVoice) => Promise<Synthesized>;

interface Entry {
  engine: string;
  pipeline: number;
  text: string;
  voice: SpeechVoice;
  sampleRate: number;
  samples: number;
  pcmSha256: string;
  words: Word[];
}

/** The release of the engine that renders `voice` (`package@version` for an npm engine) and its revision. */
function engineId(voice: SpeechVoice): string {
  const engine = voice.engine ?? DEFAULT_ENGINE;
  if (!isEngine(engine)) return `${engine}@missing`;
  const revision = ENGINE_INFO[engine].revision;
  return `${installedRelease(engine) ?? `${shippedIn(engine)}@missing`}${revision ? `/r${revision}` : ''}`;
}

export function cacheKey(text: string, voice: SpeechVoice): string {
  const { name, rate_wpm, pitch } = voice;
  const identity = JSON.stringify([engineId(voice), TTS_PIPELINE_VERSION, text, name, rate_wpm, pitch]);
  return createHash('sha256').update(identity).digest('hex').slice(0, 32);
}

export function cachedSynthesizer(dir: string, synth: Synthesizer = synthesizeWith): Synthesizer {
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

function readEntry(base: string, text: string, voice: SpeechVoice): Synthesized | undefined {
  try {
    const entry = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as Entry;
    const sameInputs =
      entry.engine === engineId(voice) &&
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

function writeEntry(dir: string, base: string, text: string, voice: SpeechVoice, s: Synthesized): void {
  mkdirSync(dir, { recursive: true });
  const entry: Entry = {
    engine: engineId(voice),
    pipeline: TTS_PIPELINE_VERSION,
    text,
    voice: { ...(voice.engine ? { engine: voice.engine } : {}), name: voice.name, rate_wpm: voice.rate_wpm, pitch: voice.pitch },
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
  return createHash('sha256')
    .update(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength))
    .digest('hex');
}

function isWord(w: unknown): w is Word {
  const x = w as Word;
  return typeof x?.text === 'string' && Number.isFinite(x.startMs) && Number.isFinite(x.endMs) && x.endMs >= x.startMs;
}
