/**
 * Shared shapes for the peer rule sets (Full-Duplex-Bench v1/v1.5, FD-Bench) and the crosstalk
 * corrections written beside them. Peer rules work in the peer's own units (seconds, or 16 kHz
 * sample indices for FD-Bench) so that their arithmetic matches the peer's code bit for bit;
 * rows leave this folder in ms.
 */
import type { MetricValue } from '../../scoring/types.ts';

/** One ASR word with its times in seconds, as in the peer's `output.json` chunks. */
export interface TimedWord {
  text: string;
  startS: number;
  /** The peer's ASR may leave the end null. */
  endS: number | null;
}

/** A speech interval in seconds. */
export interface SpanS {
  startS: number;
  endS: number;
}

export type RuleSet = 'peer' | 'crosstalk';
export type PeerSource = 'fdb-v1' | 'fdb-v1.5' | 'fd-bench';

/** A metric row tagged with the rule set that produced it (the store's `rule_set` column). */
export interface RuledMetricValue extends MetricValue {
  ruleSet: RuleSet;
}

/** Seconds to ms, the one conversion every row goes through. */
export const sToMs = (s: number): number => s * 1000;

/** Build a row; `value` in the row's unit, `note` says what was not applied or why null. */
export function row(
  ruleSet: RuleSet,
  name: string,
  family: string,
  unit: MetricValue['unit'],
  subject: string,
  value: number | null,
  note?: string,
): RuledMetricValue {
  return { ruleSet, name, family, unit, subject, value, passed: null, ...(note ? { note } : {}) };
}
