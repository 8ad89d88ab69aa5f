/**
 * The interaction rows behind the panel (reports/panel.ts) that no family row already carries,
 * after tau-voice's interaction metrics (sierra-research/tau2-bench, docs/interaction-metrics.md):
 * - interaction.responded / response_latency_ms: did a user turn that asked for an answer get
 *   one before the user spoke again, and how fast (tau-voice's R_R and L_R, over crosstalk's
 *   substantive responses).
 * - interaction.agent_interruptions: agent speech (1 s or more) starting while the user holds
 *   the turn, per user turn (tau-voice's I_A).
 * - interaction.dead_air_*: silence while the agent owes a response or holds the floor.
 *
 * They are derived from the family rows of the same session (the response is found once, by
 * turn_taking / interruption) and from the planted user truth; the panel's other entries
 * (yield, selectivity) read the family rows and verdicts directly.
 */
import type { ActionStart } from '../recording/events.ts';
import type { MetricDefinition, MetricValue, Segment } from '../scoring/types.ts';
import { userSegments } from '../scoring/segments.ts';
import { metricValue } from './common.ts';
import { TALKED_OVER_MAX_MS, TURN_TAKING_LATENCY_MS, TURN_TAKING_TALKED_OVER_MS } from './turn-taking.ts';
import { INTERRUPTION_ANSWER_LATENCY_MS } from './interruption.ts';
import { verdictSubject } from './verdict.ts';

/** A dead-air stretch longer than this is a long gap (tau-voice's long-silence threshold, 3.0 s). */
const DEAD_AIR_LONG_GAP_MS = 3000;

const TAU_VOICE = 'tau-voice (sierra-research/tau2-bench, docs/interaction-metrics.md)';

/** Not a scenario family: these rows describe every session, whatever its family. */
export const INTERACTION_FAMILY = 'interaction';

const INTERACTION_RESPONDED: MetricDefinition = {
  name: 'interaction.responded',
  family: INTERACTION_FAMILY,
  unit: 'bool',
  direction: 'higher',
  definition:
    "1 when a user turn that asked for an answer (a take_turn or answer expectation) got a substantive response before the user's next action (turn_taking.takeover / interruption.answer_latency_ms), without the agent talking over the turn; else 0 with the reason (no_response, talked_over).",
  denominator: 'per take_turn or answer expectation whose action was played',
  peer: `Follows ${TAU_VOICE} response rate R_R (the agent started speaking before the user spoke again). Departs: a response is crosstalk's substantive response (speech, 500 ms within 2 s), and a turn the agent talked over counts as not answered instead of leaving the denominator.`,
};

const INTERACTION_RESPONSE_LATENCY_MS: MetricDefinition = {
  name: 'interaction.response_latency_ms',
  family: INTERACTION_FAMILY,
  unit: 'ms',
  direction: 'lower',
  definition:
    "For a turn the agent responded to (interaction.responded = 1): the response's onset minus the end of the user's speech (turn_taking.latency_ms or interruption.answer_latency_ms). Null with the responded row's reason otherwise, so a turn talked over never lends its early onset to the latency.",
  denominator: 'per take_turn or answer expectation whose action was played',
  peer: `Follows ${TAU_VOICE} response latency L_R (over responses only). Departs: reported as median and p90, not a mean; negative when the agent started in the last moments of the turn without talking over it.`,
};

const INTERACTION_AGENT_INTERRUPTIONS: MetricDefinition = {
  name: 'interaction.agent_interruptions',
  family: INTERACTION_FAMILY,
  unit: 'count',
  direction: 'lower',
  definition:
    "Agent speech segments of 1 s or more (not backchannels, not echoes of the user) that start while the user holds this turn: after the user's first word and before the last word's end, mid-turn pauses included; plus one when speech already playing as a turn that is not a barge-in began talked over more than 1 s of it. The panel shows the mean per user turn.",
  denominator: 'per user turn (speak action played)',
  peer: `Follows ${TAU_VOICE} agent interruption rate I_A (agent segments starting while the user speaks, per user turn). Departs: backchannel-length agent sounds (< 1 s) are not interruptions, a start in a mid-turn pause counts (the user still holds the turn), and so does talking on over a new turn (an agent that never stops would otherwise never interrupt).`,
};

const INTERACTION_DEAD_AIR_RATIO: MetricDefinition = {
  name: 'interaction.dead_air_ratio',
  family: INTERACTION_FAMILY,
  unit: 'ratio',
  direction: 'lower',
  definition:
    "Dead air over the session's length. Dead air is silence (no user sound, no agent sound that is not an echo of the user) while the agent owes a response (from the end of a turn that asked for one to the response's onset, or to the user's next action when none came) or holds the floor (gaps between the segments of its response, until the user's next action).",
  denominator: 'per session',
  peer: `${TAU_VOICE} dead_air_fraction counts every span where neither party speaks. Departs: only silence the agent is answerable for; a pause the user owes, a requested wait (time awareness) or a silence before a visual cue is not dead air.`,
};

const INTERACTION_DEAD_AIR_LONGEST_MS: MetricDefinition = {
  name: 'interaction.dead_air_longest_ms',
  family: INTERACTION_FAMILY,
  unit: 'ms',
  direction: 'lower',
  definition: 'The longest single stretch of dead air (see interaction.dead_air_ratio) in the session; 0 when there is none.',
  denominator: 'per session',
  peer: `${TAU_VOICE} dead_air_max_gap_s, over crosstalk's dead air.`,
};

const INTERACTION_DEAD_AIR_LONG_GAPS: MetricDefinition = {
  name: 'interaction.dead_air_long_gaps',
  family: INTERACTION_FAMILY,
  unit: 'count',
  direction: 'lower',
  definition: `Stretches of dead air longer than ${DEAD_AIR_LONG_GAP_MS} ms in the session.`,
  denominator: 'per session',
  peer: `${TAU_VOICE} dead_air_long_gap_count (gaps strictly longer than 3.0 s), over crosstalk's dead air.`,
};

export const INTERACTION_METRICS = [
  INTERACTION_RESPONDED,
  INTERACTION_RESPONSE_LATENCY_MS,
  INTERACTION_AGENT_INTERRUPTIONS,
  INTERACTION_DEAD_AIR_RATIO,
  INTERACTION_DEAD_AIR_LONGEST_MS,
  INTERACTION_DEAD_AIR_LONG_GAPS,
];

/** A placed action and where its window closes (the next user action, or the recording's end). */
interface PlacedAction {
  action: ActionStart;
  windowEndMs: number;
}

export interface InteractionInput {
  placed: readonly PlacedAction[];
  /** Agent speech merged with the detector's gap, echoes marked. */
  agent: readonly Segment[];
  recordingEndMs: number;
  /** The session's family rows, from which responses are read. */
  rows: readonly MetricValue[];
}

type Span = { startMs: number; endMs: number };

/** A response-due turn: the expectation that asked for the answer, and the answer's onset when one came. */
interface DueResponse {
  placed: PlacedAction;
  kind: 'take_turn' | 'answer';
  responseOnsetMs: number | null;
  /** interaction.responded and interaction.response_latency_ms. */
  rows: MetricValue[];
}

export function computeInteraction(input: InteractionInput): MetricValue[] {
  const due = dueResponses(input);
  return [...due.flatMap((d) => d.rows), ...agentInterruptionRows(input), ...deadAirRows(input, due)];
}

/** One responded row per take_turn / answer expectation, read from the family rows of its action. */
function dueResponses({ placed, rows }: InteractionInput): DueResponse[] {
  const out: DueResponse[] = [];
  const rowOf = (name: string, subject: string) => rows.find((r) => r.name === name && r.subject === subject);
  for (const p of placed) {
    const { action } = p;
    for (const kind of ['take_turn', 'answer'] as const) {
      if (!action.expect.some((e) => e[kind] !== undefined)) continue;
      const latency = rowOf(kind === 'take_turn' ? TURN_TAKING_LATENCY_MS.name : INTERRUPTION_ANSWER_LATENCY_MS.name, action.id);
      const over = kind === 'take_turn' ? rowOf(TURN_TAKING_TALKED_OVER_MS.name, action.id) : undefined;
      const expectation = `${kind} (${latency?.expectation ?? kind})`;
      const subject = verdictSubject(action.id, kind);
      const onsetMs = latency?.value == null ? null : action.speechEndMs + latency.value;
      const failure =
        onsetMs === null
          ? { reason: latency?.reason ?? ('no_response' as const), note: latency?.note }
          : over?.reason === 'talked_over'
            ? { reason: 'talked_over' as const, note: over.note }
            : null;
      const rows = failure
        ? [
            metricValue(INTERACTION_RESPONDED, subject, 0, { expectation, ...failure }),
            metricValue(INTERACTION_RESPONSE_LATENCY_MS, subject, null, { expectation, ...failure }),
          ]
        : [
            metricValue(INTERACTION_RESPONDED, subject, 1, { expectation }),
            metricValue(INTERACTION_RESPONSE_LATENCY_MS, subject, onsetMs! - action.speechEndMs, { expectation }),
          ];
      out.push({ placed: p, kind, responseOnsetMs: onsetMs, rows });
    }
  }
  return out;
}

/**
 * Agent speech onsets (>= 1 s, not echoes) inside each user turn's speech extent, plus one for
 * speech already playing when a turn that is not a barge-in began and then talked over more than
 * TALKED_OVER_MAX_MS of it (an agent that never stops talking never "starts" over anyone).
 */
function agentInterruptionRows({ placed, agent }: InteractionInput): MetricValue[] {
  return placed
    .filter((p) => p.action.kind === 'speak')
    .map(({ action }) => {
      const talking = agent.filter((s) => s.kind === 'speech' && !s.echo);
      const onsets = talking.filter((s) => s.startMs >= action.speechStartMs && s.startMs < action.speechEndMs);
      const bargeIn = action.expect.some((e) => e.stop !== undefined);
      const user = userSegments([action]).filter((u) => u.kind !== 'pause');
      const heldOver = bargeIn ? undefined : talking.find((s) => s.startMs < action.speechStartMs && overlapMs(s, user) > TALKED_OVER_MAX_MS);
      const notes = [
        ...(onsets.length ? [`agent started at ${onsets.map((s) => Math.round(s.startMs)).join(', ')} ms`] : []),
        ...(heldOver ? [`agent talked on over the turn from ${Math.round(heldOver.startMs)} ms`] : []),
      ];
      return metricValue(INTERACTION_AGENT_INTERRUPTIONS, action.id, onsets.length + (heldOver ? 1 : 0), { note: notes.length ? notes.join('; ') : undefined });
    });
}

const overlapMs = (a: Span, spans: readonly Span[]) =>
  spans.reduce((sum, b) => sum + Math.max(0, Math.min(a.endMs, b.endMs) - Math.max(a.startMs, b.startMs)), 0);

/** The three dead-air rows of the session. */
function deadAirRows(input: InteractionInput, due: readonly DueResponse[]): MetricValue[] {
  const sounding = [...userSound(input.placed), ...input.agent.filter((s) => !s.echo)];
  const owed = due.flatMap((d) => owedSpans(d, input.agent));
  const deadAir = subtract(union(owed), union(sounding)).filter((s) => s.endMs > s.startMs);
  const totalMs = deadAir.reduce((sum, s) => sum + s.endMs - s.startMs, 0);
  const longestMs = deadAir.reduce((max, s) => Math.max(max, s.endMs - s.startMs), 0);
  const longGaps = deadAir.filter((s) => s.endMs - s.startMs > DEAD_AIR_LONG_GAP_MS).length;
  const note = deadAir.length ? `${deadAir.length} stretch(es), ${Math.round(totalMs)} ms in all` : undefined;
  return [
    metricValue(INTERACTION_DEAD_AIR_RATIO, 'session', input.recordingEndMs > 0 ? totalMs / input.recordingEndMs : 0, { note }),
    metricValue(INTERACTION_DEAD_AIR_LONGEST_MS, 'session', longestMs),
    metricValue(INTERACTION_DEAD_AIR_LONG_GAPS, 'session', longGaps),
  ];
}

/** The user's own sound: every planted user segment but pauses, background beds and visual cues. */
function userSound(placed: readonly PlacedAction[]): Span[] {
  return userSegments(placed.map((p) => p.action)).filter((s) => s.kind !== 'pause' && s.kind !== 'background' && s.kind !== 'visual_cue');
}

/**
 * Where the agent is answerable for silence after one turn: from the turn's end to the
 * response (or the window's end without one), then the gaps inside the response, which runs on
 * through its following segments until the window closes.
 */
function owedSpans(d: DueResponse, agent: readonly Segment[]): Span[] {
  const { action, windowEndMs } = d.placed;
  const endOfTurnMs = action.speechEndMs;
  if (d.responseOnsetMs === null) return [{ startMs: endOfTurnMs, endMs: windowEndMs }];
  const spans: Span[] = [{ startMs: endOfTurnMs, endMs: Math.max(endOfTurnMs, d.responseOnsetMs) }];
  const turn = agent.filter((s) => !s.echo && s.startMs >= d.responseOnsetMs! && s.startMs < windowEndMs);
  for (let i = 1; i < turn.length; i++) spans.push({ startMs: turn[i - 1].endMs, endMs: turn[i].startMs });
  return spans;
}

/** Sorted, non-overlapping cover of the spans. */
function union(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => s.endMs > s.startMs).sort((a, b) => a.startMs - b.startMs);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.startMs <= last.endMs) last.endMs = Math.max(last.endMs, s.endMs);
    else out.push({ ...s });
  }
  return out;
}

/** The parts of `from` (a union) not covered by `minus` (a union). */
function subtract(from: readonly Span[], minus: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const s of from) {
    let cursor = s.startMs;
    for (const m of minus) {
      if (m.endMs <= cursor || m.startMs >= s.endMs) continue;
      if (m.startMs > cursor) out.push({ startMs: cursor, endMs: m.startMs });
      cursor = Math.max(cursor, m.endMs);
    }
    if (cursor < s.endMs) out.push({ startMs: cursor, endMs: s.endMs });
  }
  return out;
}
