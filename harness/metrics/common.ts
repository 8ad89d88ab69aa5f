/**
 * What every metric family gets to compute from, and the few questions they all ask of the
 * agent's segments. Times are ms on the session clock.
 */
import type { ActionStart } from '../recording/events.ts';
import type { MetricDefinition, MetricValue, NaReason, Segment } from '../scoring/types.ts';
import type { ContentInputs } from './content.ts';

export interface ActionContext {
  /** The user action the expectation is attached to (planted truth, absolute times). */
  action: ActionStart;
  /** Agent speech segments from the speech detector, merged with its 300 ms gap, in onset order. */
  agent: readonly Segment[];
  /** The same speech merged only across gaps under STRICT_MERGE_GAP_MS (a strict ear for dips). */
  agentStrict: readonly Segment[];
  /** The detector's raw speech runs, unmerged: every silence of the agent, however short. */
  agentRuns: readonly Segment[];
  /** Where this action's window closes: the next user action's start, or the recording's end. */
  windowEndMs: number;
  /** Names windowEndMs in notes: `the next user action "q2" (at 5200 ms)` or `the end of the recording`. */
  windowEndLabel: string;
  recordingEndMs: number;
  /** Every user action of the session (planted truth), by start time: for metrics that look beyond their own action. */
  actions: readonly ActionStart[];
  /** Video frames the adapter was sent (0: it accepts no video or the scenario has none). */
  videoFrames: number;
  /** The agent's words by speech segment, and the judge's verdicts, for content checks (content.ts). */
  content: ContentInputs;
}

/**
 * A response must be speech, and enough of it: at least MIN_RESPONSE_SPEECH_MS of agent speech
 * within RESPONSE_SPAN_MS of its onset ("Sure, ..." is about 400-600 ms; a syllable or a click is
 * not an answer), and not the user's own audio played back (scoring/echo.ts). Full-Duplex-Bench
 * v1 asks a takeover for >= 1 s or more than 3 ASR words.
 */
export const MIN_RESPONSE_SPEECH_MS = 500;
export const RESPONSE_SPAN_MS = 2000;

/** Agent speech between fromMs and toMs, ms (segments clipped to the span). */
function speechMsIn(agent: readonly Segment[], fromMs: number, toMs: number): number {
  return agent.reduce((sum, s) => sum + Math.max(0, Math.min(s.endMs, toMs) - Math.max(s.startMs, fromMs)), 0);
}

/** Does speech starting with this segment make a substantive response (see MIN_RESPONSE_SPEECH_MS)? An echo of the user never does. */
function isSubstantive(agent: readonly Segment[], segment: Segment): boolean {
  return !segment.echo && speechMsIn(agent, segment.startMs, segment.startMs + RESPONSE_SPAN_MS) >= MIN_RESPONSE_SPEECH_MS;
}

/** Onsets of substantive responses in [fromMs, toMs). */
export function responsesIn(agent: readonly Segment[], fromMs: number, toMs: number): Segment[] {
  return onsetsIn(agent, fromMs, toMs).filter((s) => isSubstantive(agent, s));
}

/** Onsets of agent segments in [fromMs, toMs). */
export function onsetsIn(agent: readonly Segment[], fromMs: number, toMs: number): Segment[] {
  return agent.filter((s) => s.startMs >= fromMs && s.startMs < toMs);
}

/** Is the user's planted speech (speak or backchannel, pauses excluded) sounding at tMs? */
export function userSpeakingAt(actions: readonly ActionStart[], tMs: number): boolean {
  return actions.some(
    (a) =>
      (a.kind === 'speak' || a.kind === 'backchannel') &&
      a.speechStartMs <= tMs &&
      tMs < a.speechEndMs &&
      !a.pauses.some((p) => p.startMs <= tMs && tMs < p.endMs),
  );
}

/** The agent segment playing at tMs (start <= t < end), if any. */
export function segmentAt(agent: readonly Segment[], tMs: number): Segment | undefined {
  return agent.find((s) => s.startMs <= tMs && tMs < s.endMs);
}

/**
 * The agent's response to a user utterance: the first substantive response (isSubstantive) that
 * starts after `afterMs` and before `beforeMs`, and is still playing after the user stopped
 * (ends after `userEndMs`), so a backchannel that ends while the user is still talking is not a
 * response.
 */
export function firstResponse(agent: readonly Segment[], afterMs: number, userEndMs: number, beforeMs: number): Segment | undefined {
  return agent.find((s) => s.startMs > afterMs && s.startMs < beforeMs && s.endMs > userEndMs && isSubstantive(agent, s));
}

/** Longest agent silence (between raw speech runs) that starts in [fromMs, toMs]; it may last past toMs. */
export function longestSilenceFrom(runs: readonly Segment[], fromMs: number, toMs: number, recordingEndMs: number): { ms: number; toEnd: boolean } {
  let best = { ms: 0, toEnd: false };
  for (let i = 0; i < runs.length; i++) {
    const silenceStartMs = runs[i].endMs;
    if (silenceStartMs < fromMs || silenceStartMs > toMs) continue;
    const next = runs[i + 1];
    const ms = (next ? next.startMs : recordingEndMs) - silenceStartMs;
    if (ms > best.ms) best = { ms, toEnd: !next };
  }
  return best;
}

/** True when a segment runs to the end of the recording, so its end is only a lower bound. */
export function runsToEnd(segment: Segment, ctx: ActionContext): boolean {
  return segment.endMs >= ctx.recordingEndMs;
}

export const RUNS_TO_END_NOTE = 'agent still speaking when the recording ended: a lower bound';

/** One row of a metric, its name, family and unit taken from the definition. */
export function metricValue(
  def: MetricDefinition,
  subject: string,
  value: number | null,
  rest: { passed?: boolean | null; expectation?: string; reason?: NaReason; note?: string } = {},
): MetricValue {
  if (value === null && rest.reason === undefined) throw new Error(`${def.name}@${subject}: a null value needs a typed reason`);
  const row: MetricValue = { name: def.name, family: def.family, value, unit: def.unit, passed: rest.passed ?? null, subject };
  if (rest.expectation !== undefined) row.expectation = rest.expectation;
  if (rest.reason !== undefined) row.reason = rest.reason;
  if (rest.note !== undefined) row.note = rest.note;
  return row;
}

export const bool = (b: boolean): number => (b ? 1 : 0);
