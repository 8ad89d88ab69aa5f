/**
 * Turn taking (`take_turn` expectations): does the agent take the turn when the user's turn
 * ends, and how fast. The response is the first substantive response (common.ts: speech, at
 * least MIN_RESPONSE_SPEECH_MS of it within RESPONSE_SPAN_MS of its onset) that starts after
 * the user started speaking, before the next user action, and is still playing after the user
 * stopped. Noise, hum, clicks or a lone syllable are no response.
 */
import type { MetricDefinition, MetricValue } from '../scoring/types.ts';
import { bool, firstResponse, metricValue, MIN_RESPONSE_SPEECH_MS, RESPONSE_SPAN_MS, type ActionContext } from './common.ts';

const FDB_V1 =
  'Full-Duplex-Bench v1 (smooth turn-taking) times the first ASR word of the output after the turn end, only when the output is a takeover (>= 1 s or > 3 words), and clips negative latencies to 0.';

export const TURN_TAKING_LATENCY_MS: MetricDefinition = {
  name: 'turn_taking.latency_ms',
  family: 'turn_taking',
  unit: 'ms',
  direction: 'lower',
  definition:
    "Onset of the agent's response on the played channel minus the end of the user's planted speech (speechEndMs). Negative when the agent starts before the user has finished; never clipped. Null when the agent did not take the turn.",
  denominator: 'per take_turn action (user turn end)',
  peer: `${FDB_V1} Departs: speech-detector onset on the audio the user heard; a response needs ${MIN_RESPONSE_SPEECH_MS} ms of speech within ${RESPONSE_SPAN_MS} ms of its onset (duration, not words); early starts stay negative (and are counted by turn_taking.early) instead of being hidden as 0.`,
};

export const TURN_TAKING_TAKEOVER: MetricDefinition = {
  name: 'turn_taking.takeover',
  family: 'turn_taking',
  unit: 'bool',
  direction: 'higher',
  definition: '1 if the agent gave a substantive response (see latency) before the next user action started or the recording ended, else 0.',
  denominator: 'per take_turn action',
  peer: `Follows the takeover rate (TOR) of Full-Duplex-Bench v1 smooth turn-taking (>= 1 s or > 3 ASR words). Departs: no word count (no ASR); ${MIN_RESPONSE_SPEECH_MS} ms of detected speech within ${RESPONSE_SPAN_MS} ms of the onset.`,
};

export const TURN_TAKING_EARLY: MetricDefinition = {
  name: 'turn_taking.early',
  family: 'turn_taking',
  unit: 'bool',
  direction: 'lower',
  definition: '1 if the response started before the user finished (latency < 0), 0 if after; null when the agent did not take the turn.',
  denominator: 'per take_turn action where the agent took the turn',
  peer: 'No peer metric: Full-Duplex-Bench v1 folds early starts into latency 0.',
};

export const TURN_TAKING_METRICS = [TURN_TAKING_LATENCY_MS, TURN_TAKING_TAKEOVER, TURN_TAKING_EARLY];

/** passed (on the latency row) = the agent took the turn and 0 <= latency <= withinMs. */
export function computeTakeTurn(ctx: ActionContext, withinMs: number): MetricValue[] {
  const { action } = ctx;
  const expectation = `take_turn within ${withinMs} ms`;
  const response = firstResponse(ctx.agent, action.speechStartMs, action.speechEndMs, ctx.windowEndMs);
  if (!response) {
    const note = `agent did not take the turn before ${ctx.windowEndLabel}`;
    const reason = 'no_response';
    return [
      metricValue(TURN_TAKING_LATENCY_MS, action.id, null, { passed: false, expectation, reason, note }),
      metricValue(TURN_TAKING_TAKEOVER, action.id, 0, { expectation, reason, note }),
      metricValue(TURN_TAKING_EARLY, action.id, null, { expectation, reason, note }),
    ];
  }
  const latencyMs = response.startMs - action.speechEndMs;
  return [
    metricValue(TURN_TAKING_LATENCY_MS, action.id, latencyMs, { passed: latencyMs >= 0 && latencyMs <= withinMs, expectation }),
    metricValue(TURN_TAKING_TAKEOVER, action.id, 1, { expectation }),
    metricValue(TURN_TAKING_EARLY, action.id, bool(latencyMs < 0), { expectation }),
  ];
}
