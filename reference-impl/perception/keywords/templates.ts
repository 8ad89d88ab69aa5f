/**
 * The spotter's templates: every entry of the vocabulary (vocabulary.ts: the duration grammar's
 * phrases, the unit words, the task verbs) rendered with the project's offline TTS (eSpeak NG)
 * in the template voices. Rendering all of them takes minutes, so they are stored in
 * reference-impl/models/keyword-templates.json (built by reference-impl/tools/build-keyword-templates.ts)
 * and read once per process.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { synthesize } from '../../../datasets/tts/espeak.ts';
import { onceAsync } from '../../../harness/once.ts';
import { SAMPLE_RATE } from '../../frames.ts';
import type { Word } from '../../../harness/media.ts';
import { trimToFrames, type AgentVoice } from '../../voice-bank.ts';
import { subsequenceDtw } from './dtw.ts';
import type { DurationPhrase, DurationUnit } from './durations.ts';
import { MFCC_DIMS, mfcc, pooled, sliceFrames, type Features } from './mfcc.ts';
import { quantized, TEMPLATE_SCALE } from './onset-model.ts';
import { DEFAULT_SPOTTER, KeywordSpotter, type KeywordTemplate } from './spotter.ts';
import { BACKGROUND_TEXTS, DURATION_PHRASES, TASK_CUES, TEMPLATE_VOICES } from './vocabulary.ts';

export type RenderSpeech = (text: string, voice: AgentVoice) => Promise<{ pcm: Int16Array; sampleRate: number; words: Word[] }>;

interface KeywordVocabulary {
  durations: readonly DurationPhrase[];
  tasks: readonly string[];
  /** Keyword-free sentences: each template's yardstick. */
  backgroundTexts: readonly string[];
}

const KEYWORD_VOCABULARY: KeywordVocabulary = { durations: DURATION_PHRASES, tasks: TASK_CUES, backgroundTexts: BACKGROUND_TEXTS };

/**
 * Each entry is said inside a sentence and cut out by the synthesizer's word timings: its
 * features are then standardized over a sentence, as a user's turn is, not over the keyword
 * alone (whose statistics differ), and it keeps running-speech coarticulation.
 */
const CARRIER_BEFORE = 'I said';
const CARRIER_AFTER = 'just now.';
/** Floor on a template's background spread, so that no z-score divides by almost nothing. */
const MIN_SD = 0.05;

/** The unit words' templates are cut out of these phrases' renderings (singular and plural). */
const UNIT_SOURCES: readonly { phrase: string; unit: DurationUnit; word: string }[] = [
  { phrase: 'a second', unit: 'second', word: 'second' },
  { phrase: 'ten seconds', unit: 'second', word: 'seconds' },
  { phrase: 'a minute', unit: 'minute', word: 'minute' },
  { phrase: 'ten minutes', unit: 'minute', word: 'minutes' },
  { phrase: 'an hour', unit: 'hour', word: 'hour' },
  { phrase: 'ten hours', unit: 'hour', word: 'hours' },
];

const words = (text: string) => text.split(' ').length;
/** Features as stored (one signed byte per value): templates built live match stored ones. */
const asStored = (f: Features): Features => ({ frames: f.frames, data: Float32Array.from(f.data, (v) => quantized(v) / TEMPLATE_SCALE) });

interface BuildOptions {
  voices?: readonly AgentVoice[];
  /** The voices of the yardstick sentences (default: `voices`). */
  backgroundVoices?: readonly AgentVoice[];
  render?: RenderSpeech;
  vocabulary?: KeywordVocabulary;
  /** Build only the entries whose text passes (the yardstick is always whole). */
  only?: (text: string) => boolean;
  onVoice?: (voice: AgentVoice, built: number) => void;
}

export async function buildKeywordTemplates(opts: BuildOptions = {}): Promise<KeywordTemplate[]> {
  const voices = opts.voices ?? TEMPLATE_VOICES;
  const render = opts.render ?? synthesize;
  const vocabulary = opts.vocabulary ?? KEYWORD_VOCABULARY;
  const only = opts.only ?? (() => true);
  const background: Features[] = [];
  for (const voice of opts.backgroundVoices ?? voices) {
    for (const text of vocabulary.backgroundTexts) background.push(pooled(mfcc(trimToFrames((await render(text, voice)).pcm))));
  }
  const yardstick = (features: Features) => {
    const scores = background.map((b) => subsequenceDtw(features, b));
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    const sd = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / scores.length);
    return { features, backgroundMean: mean, backgroundSd: Math.max(sd, MIN_SD) };
  };
  /** The sentence's MFCCs and its words, the carrier's taken off. */
  const said = async (text: string, voice: AgentVoice) => {
    const sentence = `${CARRIER_BEFORE} ${text} ${CARRIER_AFTER}`;
    const r = await render(sentence, voice);
    if (r.sampleRate !== SAMPLE_RATE) throw new Error(`keyword templates: TTS returned ${r.sampleRate} Hz for "${text}"; they need ${SAMPLE_RATE}`);
    if (r.words.length !== words(sentence))
      throw new Error(`keyword templates: "${sentence}" in ${voice.name} came back as ${r.words.length} words, not ${words(sentence)}`);
    return { features: mfcc(r.pcm), own: r.words.slice(words(CARRIER_BEFORE), words(CARRIER_BEFORE) + words(text)) };
  };
  const cut = (f: Features, from: Word, to: Word) => asStored(pooled(sliceFrames(f, from.startMs, to.endMs)));

  const out: KeywordTemplate[] = [];
  for (const voice of voices) {
    for (const d of vocabulary.durations) {
      const sources = UNIT_SOURCES.filter((u) => u.phrase === d.text && only(u.word));
      if (!only(d.text) && sources.length === 0) continue;
      const { features, own } = await said(d.text, voice);
      if (only(d.text))
        out.push({
          kind: 'duration',
          text: d.text,
          voice: voice.name,
          unit: d.unit,
          durationMs: d.durationMs,
          ...yardstick(cut(features, own[0], own[own.length - 1])),
        });
      for (const u of sources)
        out.push({ kind: 'unit', text: u.word, voice: voice.name, unit: u.unit, ...yardstick(cut(features, own[own.length - 1], own[own.length - 1])) });
    }
    for (const u of UNIT_SOURCES) {
      if (vocabulary.durations.some((d) => d.text === u.phrase) || !only(u.word)) continue;
      const { features, own } = await said(u.phrase, voice);
      out.push({ kind: 'unit', text: u.word, voice: voice.name, unit: u.unit, ...yardstick(cut(features, own[own.length - 1], own[own.length - 1])) });
    }
    for (const cue of vocabulary.tasks) {
      if (!only(cue)) continue;
      const { features, own } = await said(cue, voice);
      out.push({ kind: 'task', text: cue, voice: voice.name, ...yardstick(cut(features, own[0], own[own.length - 1])) });
    }
    opts.onVoice?.(voice, out.length);
  }
  return out;
}

export const KEYWORD_TEMPLATES_URL = new URL('../../models/keyword-templates.json', import.meta.url);
const FORMAT = 'crosstalk-keyword-templates/1';

interface Stored {
  format: string;
  mfccDims: number;
  scale: number;
  templates: (Omit<KeywordTemplate, 'features'> & { frames: number })[];
  /** All templates' features in order, one signed byte per value, base64. */
  data: string;
}

export function encodeKeywordTemplates(templates: readonly KeywordTemplate[]): string {
  const bytes = Int8Array.from(templates.flatMap((t) => Array.from(t.features.data, quantized)));
  const stored: Stored = {
    format: FORMAT,
    mfccDims: MFCC_DIMS,
    scale: TEMPLATE_SCALE,
    templates: templates.map(({ features, ...t }) => ({ ...t, frames: features.frames })),
    data: Buffer.from(bytes.buffer).toString('base64'),
  };
  return `${JSON.stringify(stored)}\n`;
}

const REBUILD = 'npx tsx reference-impl/tools/build-keyword-templates.ts';

export function decodeKeywordTemplates(json: string, source: string): KeywordTemplate[] {
  const s = JSON.parse(json) as Stored;
  if (s.format !== FORMAT || s.mfccDims !== MFCC_DIMS) {
    throw new Error(
      `${source}: keyword templates of format ${s.format} (${s.mfccDims} MFCCs) do not fit this code (${FORMAT}, ${MFCC_DIMS}); rebuild them with: ${REBUILD}`,
    );
  }
  const bytes = new Int8Array(Buffer.from(s.data, 'base64'));
  let at = 0;
  const out = s.templates.map(({ frames, ...t }) => {
    const n = frames * MFCC_DIMS;
    const data = Float32Array.from(bytes.subarray(at, at + n), (b) => b / s.scale);
    at += n;
    return { ...t, features: { data, frames } } as KeywordTemplate;
  });
  if (at !== bytes.length) throw new Error(`${source}: ${bytes.length} feature bytes for templates that need ${at}; rebuild it with: ${REBUILD}`);
  return out;
}

/** Entries of the vocabulary (or voices) that the stored templates lack: the file is stale. */
export function missingTemplates(
  stored: readonly KeywordTemplate[],
  voices: readonly AgentVoice[] = TEMPLATE_VOICES,
  vocabulary: KeywordVocabulary = KEYWORD_VOCABULARY,
): string[] {
  const have = new Set(stored.map((t) => `${t.kind}|${t.text}|${t.voice}`));
  const want = voices.flatMap((v) => [
    ...vocabulary.durations.map((d) => `duration|${d.text}|${v.name}`),
    ...vocabulary.tasks.map((t) => `task|${t}|${v.name}`),
    ...UNIT_SOURCES.map((u) => `unit|${u.word}|${v.name}`),
  ]);
  return want.filter((w) => !have.has(w));
}

/** The bundled spotter (stored templates of the default vocabulary and voices), read and warmed up once per process. */
export const defaultKeywordSpotter: () => Promise<KeywordSpotter> = onceAsync(async () => {
  const path = fileURLToPath(KEYWORD_TEMPLATES_URL);
  const stored = decodeKeywordTemplates(await readFile(path, 'utf8'), path);
  const missing = missingTemplates(stored);
  if (missing.length > 0)
    throw new Error(
      `${path} lacks ${missing.length} templates of the vocabulary (${missing.slice(0, 3).join(', ')}…): the vocabulary changed; rebuild it with: ${REBUILD}`,
    );
  const spotter = new KeywordSpotter(stored, DEFAULT_SPOTTER);
  // Stored templates need no matching at startup (rendered ones did, which warmed the matcher up).
  await spotter.warmUp();
  return spotter;
});
