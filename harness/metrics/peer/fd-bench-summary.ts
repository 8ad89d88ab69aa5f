/**
 * FD-Bench's published table from the per-conversation marks (fd-bench-rounds.ts).
 *
 * Peer rule (pengyizhou/FD-Bench, benchmark/benchmarking.py, `analyze_VAD_marks` with
 * type "interruption", commit 8a4b7df), summing over conversations with at least one round:
 * - SRR  = replies (not to interruptions) / rounds
 * - SIR  = successful interrupts / interruptions
 * - EIR  = early interrupts / rounds
 * - NIR  = noise interrupts / gaps between rounds
 * - SRIR = replies to interruptions / successful interrupts
 * (a zero denominator gives 0). Times: each positive value in samples is turned into ms by
 * int(samples / 16), which assumes 16 kHz and truncates; zeros and negatives are dropped; the
 * median of the rest is reported (0 when none):
 * - FSED: reply delays after the user's end, including replies to interruptions
 * - ERT:  lead times of replies that began in the user's last 0.5 s (both kinds)
 * - EIT:  lead times of early interrupts
 * - IRD:  successful-interrupt delays
 *
 * What it gets wrong is listed in fd-bench-turns.ts, which holds the crosstalk rule.
 */
import type { RoundMarks } from './fd-bench-rounds.ts';

export interface PeerFdBenchTable {
  /** Ratios (the peer prints them x100 with 2 decimals). */
  srr: number;
  sir: number;
  eir: number;
  nir: number;
  srir: number;
  /** Medians in ms (the peer prints them with 2 decimals). */
  fsedMs: number;
  ertMs: number;
  eitMs: number;
  irdMs: number;
  /** The denominators, which the peer does not print. */
  rounds: number;
  interruptions: number;
  gaps: number;
  successInterrupts: number;
}

/** The peer's `time_average`, which is a median: middle value, or mean of the two middle ones. */
export function peerMedian(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const toPeerMs = (samples: number[]) => samples.filter((v) => v > 0).map((v) => Math.trunc(v / 16));
const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

export function peerFdBenchTable(convs: RoundMarks[]): PeerFdBenchTable {
  const used = convs.filter((c) => c.rounds > 0);
  const sum = (f: (c: RoundMarks) => number) => used.reduce((acc, c) => acc + f(c), 0);
  const all = (f: (c: RoundMarks) => number[]) => used.flatMap(f);
  const rounds = sum((c) => c.rounds);
  const interruptions = sum((c) => c.interruptions);
  const gaps = sum((c) => c.gaps);
  const successInterrupts = sum((c) => c.successInterrupt);
  return {
    srr: ratio(
      sum((c) => c.successResponse),
      rounds,
    ),
    sir: ratio(successInterrupts, interruptions),
    eir: ratio(
      sum((c) => c.earlyInterrupt),
      rounds,
    ),
    nir: ratio(
      sum((c) => c.noiseInterrupt),
      gaps,
    ),
    srir: ratio(
      sum((c) => c.successResponseToInterruption),
      successInterrupts,
    ),
    fsedMs: peerMedian(toPeerMs([...all((c) => c.responseDelay), ...all((c) => c.responseDelayToInterruption)])),
    ertMs: peerMedian([...toPeerMs(all((c) => c.leadTimes)), ...toPeerMs(all((c) => c.leadTimeToInterruption))]),
    eitMs: peerMedian(toPeerMs(all((c) => c.earlyInterruptLead.flat()))),
    irdMs: peerMedian(toPeerMs(all((c) => c.interruptDelay))),
    rounds,
    interruptions,
    gaps,
    successInterrupts,
  };
}
