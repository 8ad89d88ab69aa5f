/**
 * The peers' JSON side files, read with messages that name the file and the field:
 * `output.json` (ASR words: {text, chunks: [{text, timestamp: [start, end]}]}, seconds) and the
 * task and metadata files whose `timestamp(s)` hold [start, end] in seconds.
 */
import { existsSync, readFileSync } from 'node:fs';
import { InputError } from '../../harness/errors.ts';
import type { SpanS, TimedWord } from '../../harness/metrics/peer/types.ts';

export function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`cannot read JSON: ${(e as Error).message}`, { file, hint: 'Restore the file as the benchmark published it.' });
  }
}

export function fail(file: string, field: string, message: string): never {
  throw new InputError(message, { file, field, hint: 'The file does not match the layout the benchmark publishes; restore it from the release.' });
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A [start, end] pair in seconds at `field`. */
export function spanAt(file: string, field: string, v: unknown): SpanS {
  if (!Array.isArray(v) || v.length < 2 || !isNum(v[0]) || !isNum(v[1])) fail(file, field, `expected [start, end] in seconds, got ${JSON.stringify(v)}`);
  if (v[1] < v[0]) fail(file, field, `end ${v[1]} is before start ${v[0]}`);
  return { startS: v[0], endS: v[1] };
}

/** First entry of a task file such as pause.json: [{ ..., timestamp: [s, e] }]. */
export function firstEntry(file: string): Record<string, unknown> {
  const data = readJson(file);
  if (!Array.isArray(data) || data.length === 0 || typeof data[0] !== 'object' || data[0] === null) fail(file, '[0]', 'expected a non-empty array of objects');
  return data[0] as Record<string, unknown>;
}

/** output.json words, or null when the file is absent. Chunks with a null start are dropped and counted. */
export function readWords(file: string): { words: TimedWord[]; dropped: number } | null {
  if (!existsSync(file)) return null;
  const data = readJson(file) as { chunks?: unknown };
  if (!data || !Array.isArray(data.chunks)) fail(file, 'chunks', 'expected an object with a "chunks" array (ASR word timestamps)');
  const words: TimedWord[] = [];
  let dropped = 0;
  data.chunks.forEach((c: unknown, i: number) => {
    const ts = (c as { timestamp?: unknown })?.timestamp;
    if (!Array.isArray(ts) || ts.length < 2) fail(file, `chunks.${i}.timestamp`, 'expected [start, end]');
    if (ts[0] === null) {
      dropped++;
      return;
    }
    if (!isNum(ts[0]) || !(ts[1] === null || isNum(ts[1]))) fail(file, `chunks.${i}.timestamp`, `expected numbers, got ${JSON.stringify(ts)}`);
    words.push({ text: String((c as { text?: unknown }).text ?? ''), startS: ts[0], endS: ts[1] as number | null });
  });
  return { words, dropped };
}
