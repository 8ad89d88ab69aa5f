/**
 * Visual interjection (`react` expectations on a show action): a cue appears in the video
 * stream (a raised hand, a highlighted mistake, an object that moves) and calls for a reaction
 * although the user says nothing. The cue onset is the action's start: the session time the
 * first frame showing it was sent.
 */
import type { MetricDefinition, MetricValue } from '../scoring/types.ts';
import { bool, metricValue, onsetsIn, responsesIn, type ActionContext } from './common.ts';

/** Agent onsets this long before the cue are false interjections, unless the scenario says otherwise. */
const DEFAULT_QUIET_MS = 3000;

const NO_VIDEO_NOTE = 'the adapter was sent no video frames (it does not accept video)';

const PEER = 'No peer metric in Full-Duplex-Bench v1/v1.5 or FD-Bench (audio only).';

export const VISUAL_REACTION_LATENCY_MS: MetricDefinition = {
  name: 'visual_interjection.reaction_latency_ms',
  family: 'visual_interjection',
  unit: 'ms',
  direction: 'lower',
  definition:
    'Onset of the first substantive agent response (speech; see turn_taking.latency_ms) starting at or after the cue onset (and before the next user action or the recording end) minus the cue onset. Null (reason no_response, or no_video) when there is none.',
  denominator: 'per react action (visual cue)',
  peer: `${PEER} Timed like turn_taking.latency_ms, from the first frame that showed the cue.`,
};

const VISUAL_REACTED: MetricDefinition = {
  name: 'visual_interjection.reacted',
  family: 'visual_interjection',
  unit: 'bool',
  direction: 'higher',
  definition: "1 if the reaction started within the expectation's within_ms of the cue onset, else 0. Its mean is the reaction rate.",
  denominator: 'per react action',
  peer: PEER,
};

const VISUAL_FALSE_INTERJECTIONS: MetricDefinition = {
  name: 'visual_interjection.false_interjections',
  family: 'visual_interjection',
  unit: 'count',
  direction: 'lower',
  definition: `Agent speech segments (any length) starting in the quiet stretch before the cue: [onset - quiet_ms, onset), quiet_ms ${DEFAULT_QUIET_MS} by default (the recipes place cues at least that long after the agent's last speech).`,
  denominator: 'per react action',
  peer: PEER,
};

export const VISUAL_INTERJECTION_METRICS = [VISUAL_REACTION_LATENCY_MS, VISUAL_REACTED, VISUAL_FALSE_INTERJECTIONS];

export function computeReact(ctx: ActionContext, withinMs: number, quietMs = DEFAULT_QUIET_MS): MetricValue[] {
  const { action } = ctx;
  const onsetMs = action.startMs;
  const expectation = `react within ${withinMs} ms`;
  const noVideo = ctx.videoFrames === 0 ? NO_VIDEO_NOTE : undefined;
  const falseCount = onsetsIn(ctx.agent, onsetMs - quietMs, onsetMs).length;
  const falseRow = metricValue(VISUAL_FALSE_INTERJECTIONS, action.id, falseCount, {
    passed: falseCount === 0,
    expectation: `no agent onset in the ${quietMs} ms before the cue`,
    note: noVideo,
  });
  const reaction = responsesIn(ctx.agent, onsetMs, ctx.windowEndMs)[0];
  if (!reaction) {
    const note = noVideo ?? `agent did not speak after the cue before ${ctx.windowEndLabel}`;
    const reason = noVideo ? 'no_video' : 'no_response';
    return [
      metricValue(VISUAL_REACTION_LATENCY_MS, action.id, null, { passed: false, expectation, reason, note }),
      metricValue(VISUAL_REACTED, action.id, 0, { expectation, reason, note }),
      falseRow,
    ];
  }
  const latencyMs = reaction.startMs - onsetMs;
  return [
    metricValue(VISUAL_REACTION_LATENCY_MS, action.id, latencyMs, { passed: latencyMs <= withinMs, expectation, note: noVideo }),
    metricValue(VISUAL_REACTED, action.id, bool(latencyMs <= withinMs), { expectation, note: noVideo }),
    falseRow,
  ];
}
