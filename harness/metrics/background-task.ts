/**
 * Background task woven in (`deliver` expectations on a speak action): the user asks for
 * something slow; its result is due due_after_ms after the request ends, while the conversation
 * goes on. The delivery is the first substantive response (speech, common.ts) starting at or
 * after the due time (it may open a reply to something else). Delivering over the user's own
 * speech is the rude way to bring it in. Timing alone cannot tell a delivery from any reply: with
 * a `says` check the delivery's words must carry the result (content.ts:
 * background_task.content_ok, read over the delivery's stretch of speech).
 */
import type { Says } from '../scenario/schema.ts';
import type { MetricDefinition, MetricValue } from '../scoring/types.ts';
import { bool, metricValue, responsesIn, userSpeakingAt, type ActionContext } from './common.ts';
import { contentOkDefinition, contentRow, RESPONSE_GAP_MS, stretchFrom } from './content.ts';
import { verdictSubject } from './verdict.ts';

const PEER = 'No peer metric in Full-Duplex-Bench v1/v1.5 or FD-Bench.';

export const TASK_DELIVERY_LATENCY_MS: MetricDefinition = {
  name: 'background_task.delivery_latency_ms',
  family: 'background_task',
  unit: 'ms',
  direction: 'lower',
  definition:
    "Onset of the first substantive agent response at or after the result's due time minus the due time (end of the request + due_after_ms). Null (reason no_response) when the agent did not speak again before the recording ended.",
  denominator: 'per deliver action',
  peer: PEER,
};

const TASK_DELIVERED: MetricDefinition = {
  name: 'background_task.delivered',
  family: 'background_task',
  unit: 'bool',
  direction: 'higher',
  definition: 'Whether the delivery started within within_ms of the due time.',
  denominator: 'per deliver action',
  peer: PEER,
};

const TASK_OVER_USER: MetricDefinition = {
  name: 'background_task.over_user_speech',
  family: 'background_task',
  unit: 'bool',
  direction: 'lower',
  definition:
    "1 if the user's planted speech (any speak or backchannel action, pauses excluded) was sounding at the delivery's onset, else 0; null without a delivery.",
  denominator: 'per deliver action with a delivery',
  peer: PEER,
};

const TASK_CONTENT_OK = contentOkDefinition('background_task', 'the delivery (its stretch of speech)');

export const BACKGROUND_TASK_METRICS = [TASK_DELIVERY_LATENCY_MS, TASK_DELIVERED, TASK_OVER_USER, TASK_CONTENT_OK];

export function computeDeliver(ctx: ActionContext, dueAfterMs: number, withinMs: number, says?: Says): MetricValue[] {
  const { action } = ctx;
  const dueMs = action.speechEndMs + dueAfterMs;
  const expectation = `deliver within ${withinMs} ms of the result being due`;
  const delivery = responsesIn(ctx.agent, dueMs, ctx.recordingEndMs)[0];
  const content = says
    ? [
        contentRow(
          ctx.content,
          TASK_CONTENT_OK,
          action.id,
          verdictSubject(action.id, 'deliver'),
          says,
          delivery ? stretchFrom(ctx.agent, delivery, RESPONSE_GAP_MS) : [],
        ),
      ]
    : [];
  if (!delivery) {
    const note = 'agent did not speak after the result was due';
    const reason = 'no_response';
    return [
      metricValue(TASK_DELIVERY_LATENCY_MS, action.id, null, { passed: false, expectation, reason, note }),
      metricValue(TASK_DELIVERED, action.id, 0, { expectation, reason, note }),
      metricValue(TASK_OVER_USER, action.id, null, { expectation, reason, note }),
      ...content,
    ];
  }
  const latencyMs = delivery.startMs - dueMs;
  const over = userSpeakingAt(ctx.actions, delivery.startMs);
  return [
    metricValue(TASK_DELIVERY_LATENCY_MS, action.id, latencyMs, { passed: latencyMs <= withinMs, expectation }),
    metricValue(TASK_DELIVERED, action.id, bool(latencyMs <= withinMs), { expectation }),
    metricValue(TASK_OVER_USER, action.id, bool(over), { passed: !over, expectation: "not over the user's speech" }),
    ...content,
  ];
}
