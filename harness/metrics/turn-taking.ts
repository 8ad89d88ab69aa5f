/**
 * Turn taking (`take_turn` expectations): does the agent take the turn when the user's turn
 * ends, and how fast. The response is the first substantive response (common.ts: speech, at
 * least MIN_RESPONSE_SPEECH_MS of it within RESPONSE_SPAN_MS of its onset) that starts after
 * the user started speaking, before the next user action, and is still playing after the user
 * stopped. Noise, hum, clicks or a lone syllable are no response.
 *
 * Taking a turn presumes the user had it: an agent that talked over more than
 * TALKED_OVER_MAX_MS of the user's speech (with segments of 1 s or more; backchannels are
 * shorter) did not take a turn, it ignored one, and the expectation fails (reason talked_over),
 * whatever its latency. Without this, an agent talking at fixed times regardless of the user
 * passes whenever one of its onsets happens to fall just after a turn end.
 */
import type { MetricDefinition, MetricValue } from '../scoring/types.ts';
import { bool, firstResponse, metricValue, MIN_RESPONSE_SPEECH_MS, RESPONSE_SPAN_MS, type ActionContext } from './common.ts';
import { userSegments } from '../scoring/segments.ts';

/** More agent speech than this over the user's turn and the agent did not take the turn: it talked over it. */
export const TALKED_OVER_MAX_MS = 1000;

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

const TURN_TAKING_TAKEOVER: MetricDefinition = {
  name: 'turn_taking.takeover',
  family: 'turn_taking',
  unit: 'bool',
  direction: 'higher',
  definition: '1 if the agent gave a substantive response (see latency) before the next user action started or the recording ended, else 0.',
  denominator: 'per take_turn action',
  peer: `Follows the takeover rate (TOR) of Full-Duplex-Bench v1 smooth turn-taking (>= 1 s or > 3 ASR words). Departs: no word count (no ASR); ${MIN_RESPONSE_SPEECH_MS} ms of detected speech within ${RESPONSE_SPAN_MS} ms of the onset.`,
};

const TURN_TAKING_EARLY: MetricDefinition = {
  name: 'turn_taking.early',
  family: 'turn_taking',
  unit: 'bool',
  direction: 'lower',
  definition: '1 if the response started before the user finished (latency < 0), 0 if after; null when the agent did not take the turn.',
  denominator: 'per take_turn action where the agent took the turn',
  peer: 'No peer metric: Full-Duplex-Bench v1 folds early starts into latency 0.',
};

export const TURN_TAKING_TALKED_OVER_MS: MetricDefinition = {
  name: 'turn_taking.talked_over_ms',
  family: 'turn_taking',
  unit: 'ms',
  direction: 'lower',
  definition: `Agent speech in segments of 1 s or more (not backchannels) that played while the user's planted speech of this turn sounded (pauses excluded). Over ${TALKED_OVER_MAX_MS} ms fails the take_turn expectation (reason talked_over).`,
  denominator: 'per take_turn action',
  peer: 'Full-Duplex-Bench v1 does not look at overlap before the turn end; tau-voice counts agent interruptions per turn. Here it is a condition of taking the turn.',
};

export const TURN_TAKING_METRICS = [TURN_TAKING_LATENCY_MS, TURN_TAKING_TAKEOVER, TURN_TAKING_EARLY, TURN_TAKING_TALKED_OVER_MS];

/** Agent speech-kind segments overlapping the user's speech stretches of the action, ms. */
function talkedOverMs(ctx: ActionContext): number {
  const user = userSegments([ctx.action]).filter((s) => s.kind !== 'pause');
  let sum = 0;
  for (const a of ctx.agent) {
    if (a.kind !== 'speech') continue;
    for (const u of user) sum += Math.max(0, Math.min(a.endMs, u.endMs) - Math.max(a.startMs, u.startMs));
  }
  return sum;
}

/** passed (on the latency row) = the agent took the turn, 0 <= latency <= withinMs, and it did not talk over the turn. */
export function computeTakeTurn(ctx: ActionContext, withinMs: number): MetricValue[] {
  const { action } = ctx;
  const expectation = `take_turn within ${withinMs} ms`;
  const overMs = talkedOverMs(ctx);
  const talkedOver = overMs > TALKED_OVER_MAX_MS;
  const overRow = metricValue(TURN_TAKING_TALKED_OVER_MS, action.id, overMs, {
    passed: !talkedOver,
    expectation,
    reason: talkedOver ? 'talked_over' : undefined,
    note: talkedOver ? `the agent talked over ${Math.round(overMs)} ms of the user's turn` : undefined,
  });
  const response = firstResponse(ctx.agent, action.speechStartMs, action.speechEndMs, ctx.windowEndMs);
  if (!response) {
    const note = `agent did not take the turn before ${ctx.windowEndLabel}`;
    const reason = 'no_response';
    return [
      metricValue(TURN_TAKING_LATENCY_MS, action.id, null, { passed: false, expectation, reason, note }),
      metricValue(TURN_TAKING_TAKEOVER, action.id, 0, { expectation, reason, note }),
      metricValue(TURN_TAKING_EARLY, action.id, null, { expectation, reason, note }),
      overRow,
    ];
  }
  const latencyMs = response.startMs - action.speechEndMs;
  return [
    metricValue(TURN_TAKING_LATENCY_MS, action.id, latencyMs, { passed: latencyMs >= 0 && latencyMs <= withinMs, expectation }),
    metricValue(TURN_TAKING_TAKEOVER, action.id, 1, { expectation }),
    metricValue(TURN_TAKING_EARLY, action.id, bool(latencyMs < 0), { expectation }),
    overRow,
  ];
}
