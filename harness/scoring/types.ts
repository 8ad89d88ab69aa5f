/**
 * Scoring: a pure function of a recording (event log + stereo audio) and its scenario.
 */
import type { RecordingEvent, RecordingHeader } from '../recording/events.ts';
import type { Family } from '../scenario/schema.ts';

/** A recording loaded in memory for scoring. */
export interface Recording {
  header: RecordingHeader;
  events: RecordingEvent[];
  sampleRate: number;
  /** Left channel: the user's audio as sent. */
  user: Int16Array;
  /** Right channel: the agent's audio as played. */
  agent: Int16Array;
}

export type Channel = 'user' | 'agent';

/**
 * user: speech | backchannel | pause (planted truth, from action.start events)
 * agent: speech (>= 1 s) | backchannel (< 1 s), from the VAD on the played channel
 */
export type SegmentKind = 'speech' | 'backchannel' | 'pause' | 'side_talk' | 'background' | 'visual_cue';

export interface Segment {
  channel: Channel;
  startMs: number;
  endMs: number;
  kind: SegmentKind;
}

export type Direction = 'lower' | 'higher' | 'target';

/** The public, stable definition of a metric (listed by `crosstalk list --metrics`). */
export interface MetricDefinition {
  /** Dotted, carries its unit: `turn_taking.latency_ms`. */
  name: string;
  family: Family | string;
  unit: 'ms' | 'ratio' | 'count' | 'per_min' | 'bool' | 's';
  direction: Direction;
  /** One or two sentences: what is measured, from which event to which. */
  definition: string;
  /** What one value is computed over (per turn, per pause, per session...). */
  denominator: string;
  /** The peer definition this follows or departs from, and how. */
  peer: string;
}

/** One measured value. A session usually yields several rows per metric (one per subject). */
export interface MetricValue {
  name: string;
  family: string;
  /** null when the metric could not be computed (e.g. the agent never spoke): stated, not hidden. */
  value: number | null;
  unit: MetricDefinition['unit'];
  /** Against the scenario's expectation; null when the metric has no expectation attached. */
  passed: boolean | null;
  /** What the value is about: an action id, a pause index (`q1#pause2`), etc. */
  subject: string;
  /** The expectation checked, e.g. `take_turn within 1500 ms`. */
  expectation?: string;
  /** Why value is null or what was not applicable. */
  note?: string;
}

export interface ScoreResult {
  segments: Segment[];
  metrics: MetricValue[];
}
