/**
 * Interruptions (`stop` and `answer` expectations on a barge-in action): the user starts
 * talking over the agent. Does the agent's audio, as the user heard it, stop, how fast, and how
 * soon does it answer. The barge-in onset is the action's planted speechStartMs. A pause shorter
 * than the detector's merge gap (300 ms) is not a stop: the agent segment continues through it.
 * A barge-in scenario expects the agent to be talking: when it is silent at the onset, nothing
 * stopped, and that outcome counts (interruption.stopped 0, reason agent_silent_at_onset) instead
 * of leaving the denominator.
 */
import type { MetricDefinition, MetricValue } from '../scoring/types.ts';
import { bool, firstResponse, metricValue, runsToEnd, RUNS_TO_END_NOTE, segmentAt, type ActionContext } from './common.ts';
import type { NaReason } from '../scoring/types.ts';

/** interruption.stopped counts a stop within this long as stopped, whatever the scenario's budget. */
const STOPPED_WITHIN_MS = 1500;

const NOT_SPEAKING_NOTE = 'agent was not speaking at barge-in';

export const INTERRUPTION_STOP_LATENCY_MS: MetricDefinition = {
  name: 'interruption.stop_latency_ms',
  family: 'interruption',
  unit: 'ms',
  direction: 'lower',
  definition:
    "End of the agent speech segment playing at the barge-in onset minus the barge-in onset (the user's planted speech start). Null (reason agent_silent_at_onset, expectation failed) when the agent was not speaking at that moment.",
  denominator: 'per stop action where the agent was speaking at barge-in',
  peer: "Follows Full-Duplex-Bench v1.5 stop latency (user overlap onset to the end of the model's speech). Departs: measured on the played channel (after the client's playout flush), with the speech detector and its 300 ms merge gap.",
};

const INTERRUPTION_STOPPED: MetricDefinition = {
  name: 'interruption.stopped',
  family: 'interruption',
  unit: 'bool',
  direction: 'higher',
  definition: `1 if the stop latency is at most ${STOPPED_WITHIN_MS} ms, else 0; also 0 (reason agent_silent_at_onset) when the agent was not speaking at barge-in: a scenario that barges in expects something to stop.`,
  denominator: 'per stop action',
  peer: `A fixed-budget yes/no so suites with different budgets compare. FD-Bench (Peng et al. 2025) and Full-Duplex-Bench v1 report how often models fail to yield; this is not their definition (theirs rely on ASR output), only the same question with a ${STOPPED_WITHIN_MS} ms budget.`,
};

export const INTERRUPTION_ANSWER_LATENCY_MS: MetricDefinition = {
  name: 'interruption.answer_latency_ms',
  family: 'interruption',
  unit: 'ms',
  direction: 'lower',
  definition:
    "Onset of the agent's answer minus the end of the user's barge-in speech. The answer is the first substantive response (see turn_taking.latency_ms) that starts after the agent stopped (after the barge-in onset if it was silent), before the next user action, and ends after the user stopped; negative if it starts before the user finished. Null when there is none.",
  denominator: 'per answer action',
  peer: 'Full-Duplex-Bench v1 user interruption latency (first ASR word after the interruption ends, clipped at 0) and v1.5 response latency. Departs: VAD onset on the played channel, not clipped.',
};

export const INTERRUPTION_METRICS = [INTERRUPTION_STOP_LATENCY_MS, INTERRUPTION_STOPPED, INTERRUPTION_ANSWER_LATENCY_MS];

/** passed (on the latency row) = stop latency <= withinMs; null when the agent was silent at barge-in. */
export function computeStop(ctx: ActionContext, withinMs: number): MetricValue[] {
  const { action } = ctx;
  const expectation = `stop within ${withinMs} ms`;
  const bargeOnsetMs = action.speechStartMs;
  const playing = segmentAt(ctx.agent, bargeOnsetMs);
  if (!playing) {
    const reason: NaReason = 'agent_silent_at_onset';
    return [
      metricValue(INTERRUPTION_STOP_LATENCY_MS, action.id, null, { passed: false, expectation, reason, note: NOT_SPEAKING_NOTE }),
      metricValue(INTERRUPTION_STOPPED, action.id, 0, { expectation, reason, note: NOT_SPEAKING_NOTE }),
    ];
  }
  const stopLatencyMs = playing.endMs - bargeOnsetMs;
  const note = runsToEnd(playing, ctx) ? RUNS_TO_END_NOTE : undefined;
  return [
    metricValue(INTERRUPTION_STOP_LATENCY_MS, action.id, stopLatencyMs, { passed: stopLatencyMs <= withinMs, expectation, note }),
    metricValue(INTERRUPTION_STOPPED, action.id, bool(stopLatencyMs <= STOPPED_WITHIN_MS), { expectation, note }),
  ];
}

/** passed = the agent answered and answer latency <= withinMs. */
export function computeAnswer(ctx: ActionContext, withinMs: number): MetricValue[] {
  const { action } = ctx;
  const expectation = `answer within ${withinMs} ms`;
  const stoppedAtMs = segmentAt(ctx.agent, action.speechStartMs)?.endMs ?? action.speechStartMs;
  const answer = firstResponse(ctx.agent, stoppedAtMs, action.speechEndMs, ctx.windowEndMs);
  if (!answer) {
    return [
      metricValue(INTERRUPTION_ANSWER_LATENCY_MS, action.id, null, {
        passed: false,
        expectation,
        reason: 'no_response',
        note: `agent did not answer before ${ctx.windowEndLabel}`,
      }),
    ];
  }
  const answerLatencyMs = answer.startMs - action.speechEndMs;
  return [metricValue(INTERRUPTION_ANSWER_LATENCY_MS, action.id, answerLatencyMs, { passed: answerLatencyMs <= withinMs, expectation })];
}
