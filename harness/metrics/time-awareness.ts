/**
 * Time awareness (`speak_at` expectations on a speak action): "tell me when ten seconds have
 * passed", "remind me in 30 seconds". The requested time is the end of the user's request plus
 * after_ms. The announcement is the first substantive response (speech, common.ts) that starts
 * after the acknowledgement and is no reply to another user turn:
 * - the acknowledgement is the agent's reply to the request (its first segment starting within
 *   min(ACK_WINDOW_MS, after_ms / 2) of the request's end) with every segment that follows it
 *   within ACK_GAP_MS, so "Sure. ... I will tell you." is one acknowledgement;
 * - onsets answering the user's other turns (distractor.ts answersUser) are replies, not the
 *   announcement.
 * The first, not the nearest: an agent that talks every few seconds would always have some onset
 * near the due time. With a `says` check, the announcement's words must be right too
 * (content.ts: time_awareness.content_ok, read over the announcement's stretch of speech).
 */
import type { Says } from '../scenario/schema.ts';
import type { MetricDefinition, MetricValue } from '../scoring/types.ts';
import { bool, metricValue, responsesIn, type ActionContext } from './common.ts';
import { contentOkDefinition, contentRow, RESPONSE_GAP_MS, stretchFrom } from './content.ts';
import { answersUser } from './distractor.ts';
import { verdictSubject } from './verdict.ts';

const ACK_WINDOW_MS = 2000;
/** Segments of the acknowledgement follow each other within this. */
const ACK_GAP_MS = 1000;

const PEER = 'No peer metric in Full-Duplex-Bench v1/v1.5 or FD-Bench.';

export const TIME_ONSET_ERROR_MS: MetricDefinition = {
  name: 'time_awareness.onset_error_ms',
  family: 'time_awareness',
  unit: 'ms',
  direction: 'target',
  definition:
    'Onset of the announcement (the first substantive response after the acknowledgement window) minus the requested time (end of the request + after_ms); negative = early. Target 0. Null (reason no_response) when the agent said nothing after the acknowledgement window.',
  denominator: 'per speak_at action',
  peer: PEER,
};

const TIME_ABS_ERROR_MS: MetricDefinition = {
  name: 'time_awareness.abs_error_ms',
  family: 'time_awareness',
  unit: 'ms',
  direction: 'lower',
  definition: 'Absolute value of time_awareness.onset_error_ms; passed when at most within_ms.',
  denominator: 'per speak_at action with an announcement',
  peer: PEER,
};

const TIME_ANNOUNCED: MetricDefinition = {
  name: 'time_awareness.announced',
  family: 'time_awareness',
  unit: 'bool',
  direction: 'higher',
  definition: 'Whether the announcement came within within_ms of the requested time.',
  denominator: 'per speak_at action',
  peer: PEER,
};

const TIME_CONTENT_OK = contentOkDefinition('time_awareness', 'the announcement (its stretch of speech)');

export const TIME_AWARENESS_METRICS = [TIME_ONSET_ERROR_MS, TIME_ABS_ERROR_MS, TIME_ANNOUNCED, TIME_CONTENT_OK];

export function computeSpeakAt(ctx: ActionContext, afterMs: number, withinMs: number, says?: Says): MetricValue[] {
  const { action } = ctx;
  const dueMs = action.speechEndMs + afterMs;
  const expectation = `speak ${afterMs} ms after the request, within ${withinMs} ms`;
  const ackWindowEndMs = action.speechEndMs + Math.min(ACK_WINDOW_MS, afterMs / 2);
  const ack = ctx.agent.find((s) => s.startMs > action.speechStartMs && s.endMs > action.speechEndMs && s.startMs < ackWindowEndMs);
  const afterAckMs = Math.max(ackWindowEndMs, ...(ack ? stretchFrom(ctx.agent, ack, ACK_GAP_MS).map((s) => s.endMs) : []));
  const best = responsesIn(ctx.agent, afterAckMs, ctx.recordingEndMs).find((s) => !answersUser(ctx.actions, s.startMs, action.id));
  const content = says
    ? [
        contentRow(
          ctx.content,
          TIME_CONTENT_OK,
          action.id,
          verdictSubject(action.id, 'speak_at'),
          says,
          best ? stretchFrom(ctx.agent, best, RESPONSE_GAP_MS) : [],
        ),
      ]
    : [];
  if (!best) {
    const note = 'agent said nothing after acknowledging the request';
    const reason = 'no_response';
    return [
      metricValue(TIME_ONSET_ERROR_MS, action.id, null, { passed: false, expectation, reason, note }),
      metricValue(TIME_ABS_ERROR_MS, action.id, null, { expectation, reason, note }),
      metricValue(TIME_ANNOUNCED, action.id, 0, { expectation, reason, note }),
      ...content,
    ];
  }
  const errorMs = best.startMs - dueMs;
  const ok = Math.abs(errorMs) <= withinMs;
  return [
    metricValue(TIME_ONSET_ERROR_MS, action.id, errorMs, { passed: ok, expectation }),
    metricValue(TIME_ABS_ERROR_MS, action.id, Math.abs(errorMs), { passed: ok, expectation }),
    metricValue(TIME_ANNOUNCED, action.id, bool(ok), { expectation }),
    ...content,
  ];
}
