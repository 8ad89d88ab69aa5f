/**
 * Scoring: a pure function of a recording (event log + stereo audio) and its scenario.
 */
import type { RecordingEvent, RecordingHeader } from '../recording/events.ts';
import type { Family } from '../scenario/schema.ts';
import type { ChatMessage } from '../content/judge-prompt.ts';

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

type Channel = 'user' | 'agent';

/**
 * user: speech | backchannel | pause | vocal_tic (planted truth, from action.start events)
 * agent: speech (>= 1 s) | backchannel (< 1 s), from the VAD on the played channel
 */
type SegmentKind = 'speech' | 'backchannel' | 'pause' | 'side_talk' | 'background' | 'visual_cue' | 'vocal_tic';

export interface Segment {
  channel: Channel;
  startMs: number;
  endMs: number;
  kind: SegmentKind;
  /** Agent only: the user's own audio played back (scoring/echo.ts), never a response. */
  echo?: boolean;
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

/**
 * Why a row has no value (N/A), or what outcome a failed verdict had (the agent silent where it
 * had to be talking still counts in a rate, with its reason). Typed so that the
 * store, reports, leaderboards and the gate can count and show them; `note` adds the detail.
 * - no_response: the agent produced no substantive response (speech of at least the documented
 *   minimum) in the window the metric looks at.
 * - agent_silent_at_onset: the agent was not speaking when the user barged in, backchanneled or a
 *   distractor started, so stopping or talking on cannot be judged. A failed verdict wherever the
 *   scenario expected the agent to be talking.
 * - talked_over: the agent talked over the user's turn (turn_taking.talked_over_ms), so it did
 *   not take the turn, whatever its latency.
 * - trigger_missed: the action's trigger never fired (the agent event it waited on did not happen),
 *   so the action was skipped and its expectations could not be met.
 * - not_played: the session ended (cap, error) before the action was placed.
 * - no_video: the adapter was sent no video frames.
 * - no_pauses / no_user_speech / no_gap: the scenario gives the metric nothing to measure (a
 *   scenario defect, not the agent's).
 * - baseline_missing: a paired comparison's other half was not measured.
 * - too_few_values: an aggregate over the session (early vs late thirds) had nothing to compare.
 * - not_applicable: the row describes a follow-up that did not arise (a resume latency without a
 *   stop); never a verdict.
 * - no_transcript: a content check (`says`) found no words for the timed response: neither the
 *   adapter nor the transcription endpoint gave an agent transcript of it. A failed verdict, never
 *   a pass: content that cannot be read is not right.
 * - wrong_content: the timed response's transcript fails the content check (a keyword, number or
 *   pattern not said, or the judge said no); the note names what was missing.
 * - judge_unavailable: a free-form content check (`says.judge`) has no recorded judge verdict for
 *   the text heard (no judge endpoint configured, or it gave no YES/NO). A failed verdict.
 */
export const NA_REASONS = [
  'no_response',
  'agent_silent_at_onset',
  'talked_over',
  'trigger_missed',
  'not_played',
  'no_video',
  'no_pauses',
  'no_user_speech',
  'no_gap',
  'baseline_missing',
  'too_few_values',
  'not_applicable',
  'no_transcript',
  'wrong_content',
  'judge_unavailable',
] as const;
export type NaReason = (typeof NA_REASONS)[number];

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
  /** Typed: why value is null (set on every null value), or the outcome behind a failed verdict. */
  reason?: NaReason;
  /** Human detail for the reason or the value (a lower bound, the window that closed). */
  note?: string;
}

/** A free-form content check the scorer could not decide: the question to put to the judge endpoint. */
export interface JudgeRequest {
  /** The content row's subject: `<action>/<expectation kind>`. */
  subject: string;
  /** Onset of the response judged (the judge event's t). */
  atMs: number;
  /** The chat messages to send (harness/content/judge-prompt.ts), and their hash. */
  prompt: ChatMessage[];
  promptSha256: string;
}

export interface ScoreResult {
  segments: Segment[];
  metrics: MetricValue[];
  /** Free-form content checks without a recorded judge verdict (asked by `run --judge-url`, then scored again). */
  judgeRequests?: JudgeRequest[];
}
