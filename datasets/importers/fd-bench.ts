/**
 * FD-Bench as its benchmarking script reads it: one text line per conversation,
 *   conversation_id || response_tokens || response_text || user_timestamps || ai_timestamps
 * where the two timestamp fields are Python lists of {'start': n, 'end': n} in sample indices
 * (16 kHz in FD-Bench's pipeline). Only the id and the two timestamp lists are read. The rate
 * is an option, stated on every row, never assumed by the crosstalk rules.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { InputError } from '../../harness/errors.ts';
import { peerFdBenchRounds, PEER_SAMPLE_RATE } from '../../harness/metrics/peer/fd-bench-rounds.ts';
import { peerFdBenchTable, peerMedian } from '../../harness/metrics/peer/fd-bench-summary.ts';
import { crosstalkFdBenchTurns } from '../../harness/metrics/peer/fd-bench-turns.ts';
import { row, type RuledMetricValue } from '../../harness/metrics/peer/types.ts';
import type { FdBenchConversation } from './types.ts';

const SPAN = /\{\s*['"]start['"]\s*:\s*(\d+)\s*,\s*['"]end['"]\s*:\s*(\d+)\s*\}/g;

function spans(text: string, file: string, line: number, field: string): { start: number; end: number }[] {
  const t = text.trim();
  if (!t.startsWith('[') || !t.endsWith(']')) {
    throw new InputError(`expected a list of {'start': n, 'end': n}, got ${t.slice(0, 60)}`, {
      file,
      line,
      field,
      hint: 'Each line is: id || tokens || text || user_timestamps || ai_timestamps.',
    });
  }
  const out = [...t.matchAll(SPAN)].map((m) => ({ start: Number(m[1]), end: Number(m[2]) }));
  out.forEach((s, i) => {
    if (s.end < s.start)
      throw new InputError(`segment ${i} ends (${s.end}) before it starts (${s.start})`, { file, line, field, hint: 'Fix or drop the segment.' });
  });
  return out;
}

export interface FdBenchImportOptions {
  /** The rate of the sample indices; FD-Bench's pipeline writes 16000. */
  sampleRate?: number;
}

/** Every conversation in an FD-Bench timestamp file. */
export async function importFdBench(file: string, opts: FdBenchImportOptions = {}): Promise<FdBenchConversation[]> {
  const sampleRate = opts.sampleRate ?? PEER_SAMPLE_RATE;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read: ${(e as Error).message}`, { file });
  }
  const out: FdBenchConversation[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    const fields = raw.split('||');
    if (fields.length < 5) {
      throw new InputError(`expected 5 fields separated by "||", got ${fields.length}`, {
        file,
        line: i + 1,
        hint: 'Each line is: id || tokens || text || user_timestamps || ai_timestamps.',
      });
    }
    out.push({
      source: 'fd-bench',
      id: fields[0].trim(),
      file,
      sampleRate,
      user: spans(fields[fields.length - 2], file, i + 1, 'user_timestamps'),
      agent: spans(fields[fields.length - 1], file, i + 1, 'ai_timestamps'),
    });
  });
  return out;
}

export interface FdBenchPeerOptions {
  /** The peer drops the first agent segment for Moshi (its greeting). */
  dropFirstAgentSegment?: boolean;
}

const RATE_NAMES = {
  srr: 'fd_bench.reply_rate',
  sir: 'fd_bench.interrupt_success_rate',
  eir: 'fd_bench.early_interrupt_rate',
  nir: 'fd_bench.noise_interrupt_rate',
  srir: 'fd_bench.reply_to_interrupt_rate',
} as const;

/** The peer's table (SRR, SIR, EIR, NIR, SRIR; FSED, ERT, EIT, IRD) over `convs`, one row each. */
export function scorePeerFdBench(convs: FdBenchConversation[], subject: string, opts: FdBenchPeerOptions = {}): RuledMetricValue[] {
  const odd = convs.find((c) => c.sampleRate !== PEER_SAMPLE_RATE);
  const rateNote = odd ? `; the peer reads indices as 16 kHz, these are ${odd.sampleRate} Hz` : '';
  const t = peerFdBenchTable(convs.map((c) => peerFdBenchRounds(c.user, c.agent, opts.dropFirstAgentSegment)));
  const denom = `rounds ${t.rounds}, interruptions ${t.interruptions}, gaps ${t.gaps}, successful interrupts ${t.successInterrupts}`;
  const ms = (name: string, v: number) =>
    row('peer', name, 'fd_bench', 'ms', subject, v, `median of int(samples / 16) over positive values; 0 when none${rateNote}`);
  return [
    ...(Object.keys(RATE_NAMES) as (keyof typeof RATE_NAMES)[]).map((k) => row('peer', RATE_NAMES[k], 'fd_bench', 'ratio', subject, t[k], denom + rateNote)),
    ms('fd_bench.reply_latency_ms', t.fsedMs),
    ms('fd_bench.early_reply_lead_ms', t.ertMs),
    ms('fd_bench.early_interrupt_lead_ms', t.eitMs),
    ms('fd_bench.interrupt_stop_ms', t.irdMs),
  ];
}

/** crosstalk's per-turn rows and dataset rates (with their denominators) over `convs`. */
export function scoreCrosstalkFdBench(convs: FdBenchConversation[], subject: string): RuledMetricValue[] {
  const rows: RuledMetricValue[] = [];
  let turns = 0;
  let bargeIns = 0;
  let stopped = 0;
  let early = 0;
  let replied = 0;
  const latencies: number[] = [];
  const stops: number[] = [];
  for (const c of convs) {
    for (const t of crosstalkFdBenchTurns(c.user, c.agent, c.sampleRate)) {
      const s = `${c.id}#turn${t.turn + 1}`;
      turns++;
      if (t.earlyInterrupt) early++;
      rows.push(row('crosstalk', 'fd_bench.early_interrupt', 'fd_bench', 'bool', s, t.earlyInterrupt ? 1 : 0));
      rows.push(row('crosstalk', 'fd_bench.reply_latency_ms', 'fd_bench', 'ms', s, t.replyLatencyMs, t.replied ? undefined : 'no reply in this turn'));
      if (t.replied) {
        replied++;
        latencies.push(t.replyLatencyMs!);
      }
      if (t.bargeIn) {
        bargeIns++;
        if (t.stopped) stopped++;
        stops.push(t.stopMs!);
        rows.push(
          row(
            'crosstalk',
            'fd_bench.interrupt_stop_ms',
            'fd_bench',
            'ms',
            s,
            t.stopMs,
            t.stopped ? undefined : 'the agent talked past the end of the user turn',
          ),
        );
      }
    }
  }
  const rate = (name: string, n: number, d: number, what: string) =>
    row('crosstalk', name, 'fd_bench', 'ratio', subject, d === 0 ? null : n / d, `${n} of ${d} ${what}`);
  const median = (name: string, v: number[], what: string) =>
    row(
      'crosstalk',
      name,
      'fd_bench',
      'ms',
      subject,
      v.length === 0 ? null : peerMedian(v),
      `median of ${v.length} ${what}, signed, at ${convs[0]?.sampleRate ?? PEER_SAMPLE_RATE} Hz`,
    );
  rows.push(
    rate('fd_bench.reply_rate', replied, turns, 'user turns'),
    rate('fd_bench.early_interrupt_rate', early, turns, 'user turns'),
    rate('fd_bench.interrupt_success_rate', stopped, bargeIns, 'barge-ins'),
    median('fd_bench.reply_latency_ms', latencies, 'replies'),
    median('fd_bench.interrupt_stop_ms', stops, 'barge-ins'),
  );
  return rows;
}

/** A subject for dataset-level rows: the timestamp file's name. */
export const fdBenchSubject = (file: string): string => basename(file);
