/**
 * Annotations of human recordings: where the user speaks in a clip, read from RTTM, CTM or a
 * plain JSON file, turned into the same planted truth a synthesized speech carries (speech
 * start and end, words, mid-turn pauses), so `no_takeover`, `take_turn` and `keep_talking`
 * judge a recording exactly as they judge synthesized audio.
 *
 * Formats (times in the file are from the start of the clip):
 * - RTTM: `SPEAKER <file> <chan> <start_s> <dur_s> <NA> <NA> <speaker> <NA> <NA>`; other line
 *   types (SPKR-INFO, NON-SPEECH, ...) and `;;` comments are skipped.
 * - CTM: `<file> <chan> <start_s> <dur_s> <word> [conf ...]`; `;;` comments are skipped, and so
 *   are non-words written `<sil>`, `[noise]`.
 * - JSON: `{"segments": [{"start_ms", "end_ms", "speaker"?}], "words": [{"text", "start_ms",
 *   "end_ms"}], "turn_end_ms"?}`, segments or words or both.
 *
 * The user's speech is the segments (RTTM, JSON segments), or else the words (CTM, JSON words)
 * joined where they are closer than MIN_PAUSE_MS. A gap between two runs of speech of at least
 * MIN_PAUSE_MS is a mid-turn pause; the turn ends at the end of the last run (JSON may set
 * `turn_end_ms`; pauses after it are dropped). A pause's `afterWord` is the number of words
 * that end before it, or, without words, the number of speech runs before it.
 * A file holding several speakers (channels in CTM) needs `speaker` to say which is the user.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { InputError } from '../harness/errors.ts';
import type { RenderedSpeech, Word } from '../harness/media.ts';

/** Shortest gap between the user's speech runs that counts as a mid-turn pause (the speech detector's merge gap). */
export const MIN_PAUSE_MS = 300;
/** Annotated times may overrun the clip by this much (one analysis frame) before it is an error. */
const OVERRUN_MS = 10;

interface Span {
  startMs: number;
  endMs: number;
}

interface Annotation {
  /** The user's speech segments (empty: take them from the words). */
  segments: Span[];
  words: Word[];
  turnEndMs?: number;
}

interface Located<T> {
  value: T;
  line: number;
  who: string;
}

const fail = (file: string, line: number | undefined, field: string, message: string, hint?: string): never => {
  throw new InputError(message, { file, line, field, hint });
};

function seconds(text: string, file: string, line: number, field: string): number {
  const v = Number(text);
  if (text === undefined || !Number.isFinite(v) || v < 0)
    fail(file, line, field, `expected a time in seconds >= 0, got ${JSON.stringify(text)}`, 'Times are seconds from the start of the clip.');
  return v * 1000;
}

function lines(text: string): { fields: string[]; line: number }[] {
  return text
    .split(/\r?\n/)
    .map((l, i) => ({ fields: l.trim().split(/\s+/).filter(Boolean), line: i + 1 }))
    .filter((l) => l.fields.length > 0 && !l.fields[0].startsWith(';;'));
}

function pick<T>(items: Located<T>[], speaker: string | undefined, file: string, what: string): T[] {
  const names = [...new Set(items.map((x) => x.who))];
  if (speaker !== undefined) {
    if (!names.includes(speaker))
      fail(
        file,
        undefined,
        'speaker',
        `no ${what} "${speaker}" in the annotation (it has: ${names.join(', ') || 'none'})`,
        `Set \`speaker\` to one of: ${names.join(', ')}.`,
      );
    return items.filter((x) => x.who === speaker).map((x) => x.value);
  }
  if (names.length > 1)
    fail(
      file,
      undefined,
      'speaker',
      `the annotation holds ${names.length} ${what}s (${names.join(', ')}): which one is the user?`,
      `Write \`annotation: {file: ..., speaker: ${names[0]}}\`.`,
    );
  return items.map((x) => x.value);
}

export function parseRttm(text: string, file: string, speaker?: string): Annotation {
  const found: Located<Span>[] = [];
  for (const { fields, line } of lines(text)) {
    if (fields[0] !== 'SPEAKER') continue;
    if (fields.length < 8)
      fail(
        file,
        line,
        'SPEAKER',
        `an RTTM SPEAKER line has at least 8 fields (SPEAKER <file> <chan> <start> <dur> <NA> <NA> <speaker> ...), got ${fields.length}`,
      );
    const startMs = seconds(fields[3], file, line, 'start');
    const durMs = seconds(fields[4], file, line, 'duration');
    found.push({ value: { startMs, endMs: startMs + durMs }, line, who: fields[7] });
  }
  const segments = pick(found, speaker, file, 'speaker');
  if (segments.length === 0)
    fail(file, undefined, 'SPEAKER', 'no SPEAKER lines in the RTTM file', "An RTTM annotation lists the user's speech as SPEAKER lines.");
  return { segments, words: [] };
}

export function parseCtm(text: string, file: string, channel?: string): Annotation {
  const found: Located<Word>[] = [];
  for (const { fields, line } of lines(text)) {
    if (fields.length < 5) fail(file, line, 'word', `a CTM line has at least 5 fields (<file> <chan> <start> <dur> <word> [conf]), got ${fields.length}`);
    const startMs = seconds(fields[2], file, line, 'start');
    const durMs = seconds(fields[3], file, line, 'duration');
    const word = fields[4];
    if (/^<.*>$|^\[.*\]$/.test(word)) continue;
    found.push({ value: { text: word, startMs, endMs: startMs + durMs }, line, who: fields[1] });
  }
  const words = pick(found, channel, file, 'channel');
  if (words.length === 0) fail(file, undefined, 'word', 'no words in the CTM file');
  return { segments: [], words };
}

/** 1-based line of character offset `pos`. */
const lineAt = (text: string, pos: number) => text.slice(0, pos).split('\n').length;

export function parseAnnotationJson(text: string, file: string, speaker?: string): Annotation {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    fail(file, m ? lineAt(text, Number(m[1])) : undefined, 'json', `not valid JSON: ${(e as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) fail(file, 1, 'json', 'expected an object {segments, words, turn_end_ms}');
  const o = data as Record<string, unknown>;
  const list = (key: string): Record<string, unknown>[] => {
    const v = o[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) fail(file, undefined, key, `expected a list, got ${JSON.stringify(v)}`);
    return (v as unknown[]).map((x, i) => {
      if (typeof x !== 'object' || x === null) fail(file, undefined, `${key}[${i}]`, `expected an object, got ${JSON.stringify(x)}`);
      return x as Record<string, unknown>;
    });
  };
  const ms = (x: Record<string, unknown>, key: string, path: string): number => {
    const v = x[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(file, undefined, `${path}.${key}`, `expected a time in ms >= 0, got ${JSON.stringify(v)}`);
    return v as number;
  };
  const span = (x: Record<string, unknown>, path: string): Span => {
    const s = { startMs: ms(x, 'start_ms', path), endMs: ms(x, 'end_ms', path) };
    if (s.endMs < s.startMs) fail(file, undefined, path, `ends (${s.endMs} ms) before it starts (${s.startMs} ms)`);
    return s;
  };
  const segs = list('segments').map((x, i) => ({ value: span(x, `segments[${i}]`), line: 0, who: typeof x.speaker === 'string' ? x.speaker : '' }));
  const segments = segs.length ? pick(segs, speaker, file, 'speaker') : [];
  const words = list('words').map((x, i) => {
    if (typeof x.text !== 'string') fail(file, undefined, `words[${i}].text`, `expected a string, got ${JSON.stringify(x.text)}`);
    return { text: x.text as string, ...span(x, `words[${i}]`) };
  });
  if (segments.length === 0 && words.length === 0)
    fail(file, undefined, 'segments', 'the annotation has no segments and no words', "List the user's speech in `segments` ([{start_ms, end_ms}]) or `words`.");
  const turnEndMs = o.turn_end_ms === undefined ? undefined : ms(o, 'turn_end_ms', 'turn_end_ms');
  return { segments, words, ...(turnEndMs !== undefined ? { turnEndMs } : {}) };
}

/** Read an annotation file; its format is its extension (.rttm, .ctm, .json). */
export function readAnnotation(file: string, speaker?: string): Annotation {
  const ext = extname(file).toLowerCase();
  const text = readFileSync(file, 'utf8');
  if (ext === '.rttm') return parseRttm(text, file, speaker);
  if (ext === '.ctm') return parseCtm(text, file, speaker);
  if (ext === '.json') return parseAnnotationJson(text, file, speaker);
  return fail(file, undefined, 'annotation', `unknown annotation format "${ext}"`, 'Name the file .rttm, .ctm or .json.');
}

/** Join spans closer than MIN_PAUSE_MS (overlaps included) into runs of speech. */
function speechRuns(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.startMs - b.startMs);
  const runs: Span[] = [];
  for (const s of sorted) {
    const last = runs[runs.length - 1];
    if (last && s.startMs - last.endMs < MIN_PAUSE_MS) last.endMs = Math.max(last.endMs, s.endMs);
    else runs.push({ ...s });
  }
  return runs;
}

/** The planted truth of an annotated clip `durationMs` long: speech extent, words, mid-turn pauses. */
export function truthOfAnnotation(a: Annotation, durationMs: number, file: string): Pick<RenderedSpeech, 'words' | 'speechStartMs' | 'speechEndMs' | 'pauses'> {
  const clamp = (s: Span, what: string): Span => {
    if (s.startMs > durationMs + OVERRUN_MS)
      fail(
        file,
        undefined,
        what,
        `starts at ${s.startMs.toFixed(0)} ms, past the end of the clip (${durationMs.toFixed(0)} ms)`,
        'Check that the annotation belongs to this clip and that its times are from the start of the clip.',
      );
    if (s.endMs > durationMs + OVERRUN_MS)
      fail(
        file,
        undefined,
        what,
        `ends at ${s.endMs.toFixed(0)} ms, past the end of the clip (${durationMs.toFixed(0)} ms)`,
        'Check that the annotation belongs to this clip and that its times are from the start of the clip.',
      );
    return { startMs: s.startMs, endMs: Math.min(s.endMs, durationMs) };
  };
  const words = [...a.words].sort((x, y) => x.startMs - y.startMs).map((w) => ({ text: w.text, ...clamp(w, `word "${w.text}"`) }));
  const runs = speechRuns((a.segments.length ? a.segments : words).map((s) => clamp(s, 'segment')));
  const speechStartMs = runs[0].startMs;
  const speechEndMs = a.turnEndMs !== undefined ? Math.min(a.turnEndMs, durationMs) : runs[runs.length - 1].endMs;
  if (speechEndMs < speechStartMs) fail(file, undefined, 'turn_end_ms', `the turn ends (${speechEndMs} ms) before the speech starts (${speechStartMs} ms)`);
  const pauses: RenderedSpeech['pauses'] = [];
  for (let k = 1; k < runs.length; k++) {
    const startMs = runs[k - 1].endMs;
    const endMs = runs[k].startMs;
    if (endMs > speechEndMs) break;
    const afterWord = words.length ? words.filter((w) => w.endMs <= startMs + 1).length : k;
    pauses.push({ startMs, endMs, afterWord });
  }
  return { words, speechStartMs, speechEndMs, pauses };
}
