/**
 * What every metric family gets to compute from, and the few questions they all ask of the
 * agent's segments. Times are ms on the session clock.
 */
import type { ActionStart } from '../recording/events.ts';
import type { MetricDefinition, MetricValue, Segment } from '../scoring/types.ts';

export interface ActionContext {
  /** The user action the expectation is attached to (planted truth, absolute times). */
  action: ActionStart;
  /** Agent segments from the shared VAD, merged, in onset order. */
  agent: readonly Segment[];
  /** Where this action's window closes: the next user action's start, or the recording's end. */
  windowEndMs: number;
  /** Names windowEndMs in notes: `the next user action "q2" (at 5200 ms)` or `the end of the recording`. */
  windowEndLabel: string;
  recordingEndMs: number;
  /** Every user action of the session (planted truth), by start time: for metrics that look beyond their own action. */
  actions: readonly ActionStart[];
  /** Video frames the adapter was sent (0: it accepts no video or the scenario has none). */
  videoFrames: number;
}

/** Onsets of agent segments in [fromMs, toMs). */
export function onsetsIn(agent: readonly Segment[], fromMs: number, toMs: number): Segment[] {
  return agent.filter((s) => s.startMs >= fromMs && s.startMs < toMs);
}

/** Is the user's planted speech (speak or backchannel, pauses excluded) sounding at tMs? */
export function userSpeakingAt(actions: readonly ActionStart[], tMs: number): boolean {
  return actions.some(
    (a) => (a.kind === 'speak' || a.kind === 'backchannel') && a.speechStartMs <= tMs && tMs < a.speechEndMs && !a.pauses.some((p) => p.startMs <= tMs && tMs < p.endMs),
  );
}

/** The agent segment playing at tMs (start <= t < end), if any. */
export function segmentAt(agent: readonly Segment[], tMs: number): Segment | undefined {
  return agent.find((s) => s.startMs <= tMs && tMs < s.endMs);
}

/**
 * The agent's response to a user utterance: the first segment that starts after `afterMs`
 * and before `beforeMs`, and is still playing after the user stopped (ends after `userEndMs`),
 * so a backchannel that ends while the user is still talking is not a response.
 */
export function firstResponse(agent: readonly Segment[], afterMs: number, userEndMs: number, beforeMs: number): Segment | undefined {
  return agent.find((s) => s.startMs > afterMs && s.startMs < beforeMs && s.endMs > userEndMs);
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
  rest: { passed?: boolean | null; expectation?: string; note?: string } = {},
): MetricValue {
  const row: MetricValue = { name: def.name, family: def.family, value, unit: def.unit, passed: rest.passed ?? null, subject };
  if (rest.expectation !== undefined) row.expectation = rest.expectation;
  if (rest.note !== undefined) row.note = rest.note;
  return row;
}

export const bool = (b: boolean): number => (b ? 1 : 0);
