/**
 * score(recording): segments and metrics, a pure function of the recording. Metrics are driven
 * by the expectations attached to the user actions in the event log (each action.start carries
 * its planted truth and its expectations); each expectation kind maps to one metric family.
 */
import { InputError } from '../errors.ts';
import type { ActionStart } from '../recording/events.ts';
import { EXPECTATION_KINDS, type Expectation, type ExpectationKind } from '../scenario/schema.ts';
import { computeBackchannelOpportunity } from '../metrics/backchannel.ts';
import type { ActionContext } from '../metrics/common.ts';
import { computeAnswer, computeStop } from '../metrics/interruption.ts';
import { computeNoTakeover } from '../metrics/pause.ts';
import { computeTakeTurn } from '../metrics/turn-taking.ts';
import { computeKeepTalking } from '../metrics/user-backchannel.ts';
import { computeReact } from '../metrics/visual.ts';
import { computeIgnoreSideTalk } from '../metrics/side-talk.ts';
import { computeIgnoreBackground, computeLatencyDegradation } from '../metrics/background.ts';
import { computeSpeakAt } from '../metrics/time-awareness.ts';
import { computeInterpret } from '../metrics/simultaneous.ts';
import { computeDeliver } from '../metrics/background-task.ts';
import { computeDrift } from '../metrics/drift.ts';
import { sampleToMs } from '../vad/energy.ts';
import { actionStarts, agentSegments, userSegments } from './segments.ts';
import type { MetricValue, Recording, ScoreResult } from './types.ts';

const COMPUTE: { [K in ExpectationKind]: (ctx: ActionContext, params: NonNullable<Expectation[K]>) => MetricValue[] } = {
  take_turn: (ctx, p) => computeTakeTurn(ctx, p.within_ms),
  no_takeover: (ctx) => computeNoTakeover(ctx),
  backchannel_opportunity: (ctx) => computeBackchannelOpportunity(ctx),
  stop: (ctx, p) => computeStop(ctx, p.within_ms),
  answer: (ctx, p) => computeAnswer(ctx, p.within_ms),
  keep_talking: (ctx) => computeKeepTalking(ctx),
  react: (ctx, p) => computeReact(ctx, p.within_ms, p.quiet_ms),
  ignore: (ctx) => (ctx.action.kind === 'side_talk' ? computeIgnoreSideTalk(ctx) : computeIgnoreBackground(ctx)),
  latency_degradation: (ctx, p) => computeLatencyDegradation(ctx, p.baseline),
  speak_at: (ctx, p) => computeSpeakAt(ctx, p.after_ms, p.within_ms),
  interpret: (ctx, p) => computeInterpret(ctx, p.max_span_ms),
  deliver: (ctx, p) => computeDeliver(ctx, p.due_after_ms, p.within_ms),
};

export function score(recording: Recording): ScoreResult {
  checkAudio(recording);
  const actions = actionStarts(recording);
  const agent = agentSegments(recording.agent, recording.sampleRate);
  const recordingEndMs = sampleToMs(recording.agent.length, recording.sampleRate);

  const videoFrames = recording.events.filter((e) => e.type === 'video.frame').length;
  const metrics: MetricValue[] = [];
  actions.forEach((action, i) => {
    const ctx: ActionContext = { action, agent, recordingEndMs, actions, videoFrames, ...windowEnd(actions, i, recordingEndMs) };
    for (const expectation of action.expect) metrics.push(...metricsFor(ctx, expectation));
  });
  // Long sessions: each family's numbers early vs late (session-level, from the rows above).
  if (recording.header.scenario?.family === 'long_session') metrics.push(...computeDrift(metrics, actions, recording.events, recordingEndMs));

  const segments = [...userSegments(actions), ...agent].sort((x, y) => x.startMs - y.startMs || x.endMs - y.endMs);
  return { segments, metrics };
}

function metricsFor(ctx: ActionContext, expectation: Expectation): MetricValue[] {
  const rows: MetricValue[] = [];
  for (const kind of EXPECTATION_KINDS) {
    const params = expectation[kind];
    if (params === undefined) continue;
    // The mapped type pairs each kind with its own parameters; TypeScript cannot follow the loop.
    const compute = COMPUTE[kind] as (ctx: ActionContext, params: unknown) => MetricValue[];
    rows.push(...compute(ctx, params));
  }
  return rows;
}

/** An action's window closes when the next user action (by start time) starts, or at the end. */
function windowEnd(actions: readonly ActionStart[], index: number, recordingEndMs: number): Pick<ActionContext, 'windowEndMs' | 'windowEndLabel'> {
  const next = actions.slice(index + 1).find((a) => a.startMs > actions[index].startMs);
  if (next) return { windowEndMs: Math.min(next.startMs, recordingEndMs), windowEndLabel: `the next user action "${next.id}" (at ${next.startMs} ms)` };
  return { windowEndMs: recordingEndMs, windowEndLabel: 'the end of the recording' };
}

function checkAudio(recording: Recording): void {
  const hint = 'Re-record the session, or check the importer that built this recording.';
  if (!Number.isInteger(recording.sampleRate) || recording.sampleRate <= 0) {
    throw new InputError(`sample rate must be a positive integer, got ${recording.sampleRate}`, 'audio.wav', undefined, 'sampleRate', hint);
  }
  if (!(recording.agent instanceof Int16Array)) {
    throw new InputError('the agent channel must be PCM16 (Int16Array)', 'audio.wav', undefined, 'agent', hint);
  }
}
