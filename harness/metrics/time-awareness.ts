/**
 * Time awareness (`speak_at` expectations on a speak action): "tell me when ten seconds have
 * passed", "remind me in 30 seconds". The requested time is the end of the user's request plus
 * after_ms. The announcement is the first substantive response (speech, common.ts) that starts
 * min(ACK_WINDOW_MS, after_ms / 2) or more after the request, so the usual "Sure, I will." right
 * after the request is not taken for it. The first, not the nearest: an agent that talks every
 * few seconds would always have some onset near the due time.
 */
import type { MetricDefinition, MetricValue } from '../scoring/types.ts';
import { bool, metricValue, responsesIn, type ActionContext } from './common.ts';

export const ACK_WINDOW_MS = 2000;

const PEER = 'No peer metric in Full-Duplex-Bench v1/v1.5 or FD-Bench.';

export const TIME_ONSET_ERROR_MS: MetricDefinition = {
  name: 'time_awareness.onset_error_ms',
  family: 'time_awareness',
  unit: 'ms',
  direction: 'target',
  definition: 'Onset of the announcement (the first substantive response after the acknowledgement window) minus the requested time (end of the request + after_ms); negative = early. Target 0. Null (reason no_response) when the agent said nothing after the acknowledgement window.',
  denominator: 'per speak_at action',
  peer: PEER,
};

export const TIME_ABS_ERROR_MS: MetricDefinition = {
  name: 'time_awareness.abs_error_ms',
  family: 'time_awareness',
  unit: 'ms',
  direction: 'lower',
  definition: 'Absolute value of time_awareness.onset_error_ms; passed when at most within_ms.',
  denominator: 'per speak_at action with an announcement',
  peer: PEER,
};

export const TIME_ANNOUNCED: MetricDefinition = {
  name: 'time_awareness.announced',
  family: 'time_awareness',
  unit: 'bool',
  direction: 'higher',
  definition: 'Whether the announcement came within within_ms of the requested time.',
  denominator: 'per speak_at action',
  peer: PEER,
};

export const TIME_AWARENESS_METRICS = [TIME_ONSET_ERROR_MS, TIME_ABS_ERROR_MS, TIME_ANNOUNCED];

export function computeSpeakAt(ctx: ActionContext, afterMs: number, withinMs: number): MetricValue[] {
  const { action } = ctx;
  const dueMs = action.speechEndMs + afterMs;
  const expectation = `speak ${afterMs} ms after the request, within ${withinMs} ms`;
  const best = responsesIn(ctx.agent, action.speechEndMs + Math.min(ACK_WINDOW_MS, afterMs / 2), ctx.recordingEndMs)[0];
  if (!best) {
    const note = 'agent said nothing after acknowledging the request';
    const reason = 'no_response';
    return [
      metricValue(TIME_ONSET_ERROR_MS, action.id, null, { passed: false, expectation, reason, note }),
      metricValue(TIME_ABS_ERROR_MS, action.id, null, { expectation, reason, note }),
      metricValue(TIME_ANNOUNCED, action.id, 0, { expectation, reason, note }),
    ];
  }
  const errorMs = best.startMs - dueMs;
  const ok = Math.abs(errorMs) <= withinMs;
  return [
    metricValue(TIME_ONSET_ERROR_MS, action.id, errorMs, { passed: ok, expectation }),
    metricValue(TIME_ABS_ERROR_MS, action.id, Math.abs(errorMs), { passed: ok, expectation }),
    metricValue(TIME_ANNOUNCED, action.id, bool(ok), { expectation }),
  ];
}
