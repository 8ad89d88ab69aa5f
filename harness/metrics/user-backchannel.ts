/**
 * User backchannels (`keep_talking` expectations on a backchannel action): the user says
 * "mm-hmm" while the agent talks. That is not a bid for the turn; a good partner keeps going.
 * The agent stopping soon after (within 1 s of the backchannel's end) is a false stop.
 */
import type { MetricDefinition, MetricValue } from '../scoring/types.ts';
import { bool, metricValue, runsToEnd, RUNS_TO_END_NOTE, segmentAt, type ActionContext } from './common.ts';

/** A stop this soon after the user's backchannel ends is taken as caused by it. */
export const FALSE_STOP_WINDOW_MS = 1000;

export const NOT_SPEAKING_AT_BACKCHANNEL_NOTE = "agent was not speaking at the user's backchannel";

export const USER_BACKCHANNEL_FALSE_STOP: MetricDefinition = {
  name: 'user_backchannel.false_stop',
  family: 'user_backchannel',
  unit: 'bool',
  direction: 'lower',
  definition: `1 if the agent segment playing at the backchannel's onset ends before the backchannel's end + ${FALSE_STOP_WINDOW_MS} ms, else 0; null when the agent was not speaking at the onset.`,
  denominator: "per keep_talking action where the agent was speaking at the user's backchannel",
  peer: 'Full-Duplex-Bench v1.5 user backchannel: behaviour categories (respond, resume, ...) from an LLM judge over transcripts, plus stop latency. Departs: purely acoustic, judged on the played channel; a dip shorter than the 300 ms merge gap is not a stop.',
};

export const USER_BACKCHANNEL_CONTINUED_MS: MetricDefinition = {
  name: 'user_backchannel.continued_ms',
  family: 'user_backchannel',
  unit: 'ms',
  direction: 'higher',
  definition: "How long the agent kept talking after the backchannel's onset: end of the agent segment playing at the onset minus the onset.",
  denominator: "per keep_talking action where the agent was speaking at the user's backchannel",
  peer: "Comparable to Full-Duplex-Bench v1.5's stop latency on the user-backchannel scenario (large = did not stop).",
};

export const USER_BACKCHANNEL_METRICS = [USER_BACKCHANNEL_FALSE_STOP, USER_BACKCHANNEL_CONTINUED_MS];

/** passed (on the false_stop row) = no false stop; null when the agent was silent at the onset. */
export function computeKeepTalking(ctx: ActionContext): MetricValue[] {
  const { action } = ctx;
  const expectation = `keep_talking (agent does not stop within ${FALSE_STOP_WINDOW_MS} ms of the backchannel's end)`;
  const onsetMs = action.speechStartMs;
  const playing = segmentAt(ctx.agent, onsetMs);
  if (!playing) {
    const note = NOT_SPEAKING_AT_BACKCHANNEL_NOTE;
    return [metricValue(USER_BACKCHANNEL_FALSE_STOP, action.id, null, { expectation, note }), metricValue(USER_BACKCHANNEL_CONTINUED_MS, action.id, null, { expectation, note })];
  }
  // segmentAt guarantees playing.endMs > onsetMs, so the window's lower end always holds.
  const falseStop = playing.endMs < action.speechEndMs + FALSE_STOP_WINDOW_MS;
  const note = runsToEnd(playing, ctx) ? RUNS_TO_END_NOTE : undefined;
  return [
    metricValue(USER_BACKCHANNEL_FALSE_STOP, action.id, bool(falseStop), { passed: !falseStop, expectation, note }),
    metricValue(USER_BACKCHANNEL_CONTINUED_MS, action.id, playing.endMs - onsetMs, { expectation, note }),
  ];
}
