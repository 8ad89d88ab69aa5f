/**
 * Time awareness (`speak_at` expectations on a speak action): "tell me when ten seconds have
 * passed", "remind me in 30 seconds". The requested time is the end of the user's request plus
 * after_ms. The announcement is the agent onset nearest that time, among onsets from
 * min(ACK_WINDOW_MS, after_ms / 2) after the request to the end of the recording, so the usual
 * "Sure, I will." right after the request is not taken for it.
 */
import type { MetricDefinition, MetricValue } from '../scoring/types.ts';
import { bool, metricValue, onsetsIn, type ActionContext } from './common.ts';

export const ACK_WINDOW_MS = 2000;

const PEER = 'No peer metric in Full-Duplex-Bench v1/v1.5 or FD-Bench.';

export const TIME_ONSET_ERROR_MS: MetricDefinition = {
  name: 'time_awareness.onset_error_ms',
  family: 'time_awareness',
  unit: 'ms',
  direction: 'target',
  definition: 'Onset of the announcement minus the requested time (end of the request + after_ms); negative = early. Target 0. Null when the agent said nothing after the acknowledgement window.',
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
  const candidates = onsetsIn(ctx.agent, action.speechEndMs + Math.min(ACK_WINDOW_MS, afterMs / 2), ctx.recordingEndMs);
  // Nearest to the due time; the earlier of two equally near.
  const best = candidates.reduce<(typeof candidates)[number] | undefined>((b, s) => (!b || Math.abs(s.startMs - dueMs) < Math.abs(b.startMs - dueMs) ? s : b), undefined);
  if (!best) {
    const note = 'agent said nothing after acknowledging the request';
    return [
      metricValue(TIME_ONSET_ERROR_MS, action.id, null, { passed: false, expectation, note }),
      metricValue(TIME_ABS_ERROR_MS, action.id, null, { expectation, note }),
      metricValue(TIME_ANNOUNCED, action.id, 0, { expectation, note }),
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
