/**
 * Side talk (`ignore` expectations on a side_talk action): the user turns to someone else
 * mid-conversation (quieter, duller, with early reflections). A good partner neither answers
 * it nor stops for it, and if it paused, picks up again once the user is back.
 * The judgement is shared with background sound: see distractor.ts.
 */
import type { MetricDefinition, MetricValue } from '../scoring/types.ts';
import { bool, metricValue, type ActionContext } from './common.ts';
import { distractorOutcome, RESPONSE_WINDOW_MS, STOP_WINDOW_MS, UNRESPONSIVE_NOTE } from './distractor.ts';

const FDB_V15 =
  'Full-Duplex-Bench v1.5 "talking to others": behaviour categories (respond, resume, ...) from an LLM judge over transcripts, plus stop and response latency.';

export const SIDE_TALK_FALSE_RESPONSE: MetricDefinition = {
  name: 'side_talk.false_response',
  family: 'side_talk',
  unit: 'bool',
  direction: 'lower',
  definition: `1 if the agent started speaking because of the side talk: when silent at its onset, an agent onset from the onset to ${RESPONSE_WINDOW_MS} ms after its end; when speaking, a restart while the side talk still sounds. Onsets answering the user's own turns are excluded. Null (reason no_response, expectation failed) when the agent stayed silent and answered no turn of the user's in the session.`,
  denominator: 'per ignore action on side talk',
  peer: `${FDB_V15} Departs: acoustic and timing only (no ASR, no judge): its "respond" category, told from "resume" by when the agent restarts.`,
};

const SIDE_TALK_FALSE_STOP: MetricDefinition = {
  name: 'side_talk.false_stop',
  family: 'side_talk',
  unit: 'bool',
  direction: 'lower',
  definition: `1 if the agent segment playing at the side talk's onset ends within ${STOP_WINDOW_MS} ms of it, else 0; null when the agent was silent at the onset.`,
  denominator: 'per ignore action on side talk where the agent was speaking at its onset',
  peer: `${FDB_V15} Departs: a yes/no on the played channel with a fixed ${STOP_WINDOW_MS} ms window instead of a stop latency.`,
};

const SIDE_TALK_RESUME_LATENCY_MS: MetricDefinition = {
  name: 'side_talk.resume_latency_ms',
  family: 'side_talk',
  unit: 'ms',
  direction: 'lower',
  definition:
    "After a false stop: the agent's first restart minus the end of the side talk (negative: it restarted while the user was still talking to someone else). Null when it did not stop or never restarted.",
  denominator: 'per ignore action on side talk with a false stop',
  peer: `${FDB_V15} Departs: the "resume" category measured as a latency.`,
};

export const SIDE_TALK_METRICS = [SIDE_TALK_FALSE_RESPONSE, SIDE_TALK_FALSE_STOP, SIDE_TALK_RESUME_LATENCY_MS];

export function computeIgnoreSideTalk(ctx: ActionContext): MetricValue[] {
  const { action } = ctx;
  const expectation = 'ignore (no response to the side talk, no stop for it)';
  const o = distractorOutcome(ctx);
  const silentNote = o.speakingAtOnset ? undefined : 'agent was silent at the side talk onset';
  return [
    o.unresponsive
      ? metricValue(SIDE_TALK_FALSE_RESPONSE, action.id, null, { passed: false, expectation, reason: 'no_response', note: UNRESPONSIVE_NOTE })
      : metricValue(SIDE_TALK_FALSE_RESPONSE, action.id, bool(o.responded), { passed: !o.responded, expectation }),
    metricValue(SIDE_TALK_FALSE_STOP, action.id, o.falseStop === null ? null : bool(o.falseStop), {
      passed: o.falseStop === null ? null : !o.falseStop,
      expectation,
      reason: o.falseStop === null ? 'agent_silent_at_onset' : undefined,
      note: silentNote,
    }),
    o.falseStop
      ? metricValue(SIDE_TALK_RESUME_LATENCY_MS, action.id, o.resumeLatencyMs, {
          expectation,
          reason: o.resumeLatencyMs === null ? 'no_response' : undefined,
          note: o.resumeLatencyMs === null ? 'agent stopped and did not restart' : undefined,
        })
      : metricValue(SIDE_TALK_RESUME_LATENCY_MS, action.id, null, { expectation, reason: 'not_applicable', note: 'no false stop to resume from' }),
  ];
}
