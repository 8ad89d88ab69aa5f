/**
 * Shards: `crosstalk run --shard i/n` runs one n-th of the selected sessions. Every machine
 * must compute the same split from the same selection, so the split uses only what is in the
 * scenario files themselves (timeline times, word counts, speaking rates, clip lengths from WAV
 * headers), never anything machine-local such as the speech cache, and breaks every tie by
 * scenario key and repeat. Sessions are balanced by expected duration with the
 * longest-processing-time greedy rule: longest first, each to the shard with the least work so
 * far (the lowest index on a tie).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import type { LoadedScenario } from '../scenario/load.ts';
import type { Action, Speech } from '../scenario/schema.ts';
import { DEFAULT_MAX_SESSION_MS, DEFAULT_TAIL_MS } from './session.ts';

/** 1-based shard index out of count, as written on the command line: `2/4`. */
export interface ShardSpec {
  index: number;
  count: number;
}

export interface ShardJob {
  scenario: LoadedScenario;
  repeat: number;
}

/** Speaking rate assumed when neither the action nor the scenario sets one (the synthesizer's default). */
const DEFAULT_RATE_WPM = 175;
/** A guess at how long after the user's turn the agent starts, and how long it then talks. */
const AGENT_REPLY_START_MS = 1_000;
const AGENT_REPLY_LENGTH_MS = 5_000;
/** Used for a clip whose WAV header cannot be read (the run itself will report the clip). */
const UNREADABLE_CLIP_MS = 3_000;

export function parseShard(text: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new InputError(`--shard must be i/n with 1 <= i <= n, got "${text}"`, {
      field: '--shard',
      hint: 'Write e.g. `--shard 2/4` for the second of four shards (shards count from 1).',
    });
  }
  return { index, count };
}

export function formatShard(s: ShardSpec): string {
  return `${s.index}/${s.count}`;
}

/** Expected wall time of one session of this scenario, in ms (an estimate, see the file comment). */
export function expectedDurationMs(loaded: LoadedScenario): number {
  const s = loaded.scenario;
  const extent = new Map<string, { startMs: number; endMs: number }>();
  let previousEndMs = 0;
  let lastEndMs = 0;
  for (const a of s.timeline) {
    const startMs = actionStartMs(a, extent, previousEndMs);
    const endMs = startMs + actionLengthMs(a, loaded);
    extent.set(a.id, { startMs, endMs });
    previousEndMs = endMs;
    lastEndMs = Math.max(lastEndMs, endMs);
  }
  return Math.min(s.duration_ms ?? DEFAULT_MAX_SESSION_MS, lastEndMs + (s.tail_ms ?? DEFAULT_TAIL_MS));
}

function actionStartMs(a: Action, extent: Map<string, { startMs: number; endMs: number }>, previousEndMs: number): number {
  if (a.at_ms !== undefined || !a.after) return a.at_ms ?? previousEndMs;
  const ref = (a.after.action && extent.get(a.after.action)) || { startMs: previousEndMs, endMs: previousEndMs };
  const delayMs = a.after.delay_ms ?? 0;
  switch (a.after.event) {
    case 'action_start':
      return ref.startMs + delayMs;
    case 'action_end':
      return ref.endMs + delayMs;
    case 'agent_speech_start':
      return ref.endMs + AGENT_REPLY_START_MS + delayMs;
    case 'agent_speech_end':
      return ref.endMs + AGENT_REPLY_START_MS + AGENT_REPLY_LENGTH_MS + delayMs;
  }
}

function actionLengthMs(a: Action, loaded: LoadedScenario): number {
  const voiceRate = loaded.scenario.voice?.rate_wpm;
  const speech: Speech | undefined = a.speak ?? a.backchannel ?? a.side_talk ?? (a.background?.noise ? undefined : a.background);
  if (speech) return speechLengthMs(speech, voiceRate, loaded.file);
  return a.silence?.ms ?? a.show?.ms ?? a.background?.ms ?? 0;
}

function speechLengthMs(speech: Speech, scenarioRateWpm: number | undefined, file: string): number {
  if (speech.clip !== undefined) return wavDurationMs(resolve(dirname(file), speech.clip)) ?? UNREADABLE_CLIP_MS;
  const words = (speech.text ?? '').trim().split(/\s+/).filter(Boolean).length;
  const rateWpm = speech.voice?.rate_wpm ?? scenarioRateWpm ?? DEFAULT_RATE_WPM;
  const pausesMs = (speech.pauses ?? []).reduce((sum, p) => sum + p.ms, 0);
  return (words * 60_000) / rateWpm + pausesMs;
}

/** Length of a WAV file from its header (fmt byte rate and data size), or undefined if unreadable. */
export function wavDurationMs(file: string): number | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(4096);
    const n = readSync(fd, head, 0, head.length, 0);
    if (n < 12 || head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 8, 12) !== 'WAVE') return undefined;
    let byteRate: number | undefined;
    for (let at = 12; at + 8 <= n;) {
      const id = head.toString('ascii', at, at + 4);
      const size = head.readUInt32LE(at + 4);
      if (id === 'fmt ' && at + 16 <= n) byteRate = head.readUInt32LE(at + 16);
      if (id === 'data') return byteRate ? (size * 1000) / byteRate : undefined;
      at += 8 + size + (size % 2);
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Split jobs into `count` shards by longest-processing-time greedy. Returns, for each shard, its
 * jobs in their original order; every job is in exactly one shard.
 */
export function assignShards<J extends ShardJob>(
  jobs: readonly J[],
  count: number,
  durationOf: (j: J) => number = (j) => expectedDurationMs(j.scenario),
): J[][] {
  const order = jobs
    .map((job, i) => ({ job, i, ms: durationOf(job) }))
    .sort((a, b) => b.ms - a.ms || compareText(a.job.scenario.key, b.job.scenario.key) || a.job.repeat - b.job.repeat);
  const loadMs = new Array<number>(count).fill(0);
  const picked: { job: J; i: number }[][] = Array.from({ length: count }, () => []);
  for (const o of order) {
    let best = 0;
    for (let k = 1; k < count; k++) if (loadMs[k] < loadMs[best]) best = k;
    loadMs[best] += o.ms;
    picked[best].push(o);
  }
  return picked.map((p) => p.sort((a, b) => a.i - b.i).map((x) => x.job));
}

/** The jobs of one shard. */
export function selectShard<J extends ShardJob>(jobs: readonly J[], shard: ShardSpec, durationOf?: (j: J) => number): J[] {
  return assignShards(jobs, shard.count, durationOf)[shard.index - 1];
}

/** Code-unit order, the same on every machine (localeCompare depends on the locale). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
