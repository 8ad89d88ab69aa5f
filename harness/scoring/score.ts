/**
 * score(recording): segments and metrics, a pure function of the recording. Metrics are driven
 * by the expectations of the scenario's actions: each action.start carries its planted truth and
 * its expectations, each expectation kind maps to one metric family, and each expectation ends in
 * one verdict row (metrics/verdict.ts). An action the session never placed (its trigger never
 * fired, or the session ended first) fails its expectations with a typed reason.
 */
import { InputError } from '../errors.ts';
import type { ActionStart, RecordingEvent } from '../recording/events.ts';
import { actionKindOf, EXPECTATION_KINDS, type Action, type Expectation, type ExpectationKind } from '../scenario/schema.ts';
import { BACKCHANNEL_COUNT, computeBackchannelOpportunity } from '../metrics/backchannel.ts';
import type { ActionContext } from '../metrics/common.ts';
import { computeAnswer, computeStop, INTERRUPTION_ANSWER_LATENCY_MS, INTERRUPTION_STOP_LATENCY_MS } from '../metrics/interruption.ts';
import { computeNoTakeover, PAUSE_TAKEOVER } from '../metrics/pause.ts';
import { computeTakeTurn, TURN_TAKING_LATENCY_MS } from '../metrics/turn-taking.ts';
import { computeKeepTalking, USER_BACKCHANNEL_FALSE_STOP_STRICT } from '../metrics/user-backchannel.ts';
import { computeReact, VISUAL_REACTION_LATENCY_MS } from '../metrics/visual-interjection.ts';
import { computeIgnoreSideTalk, SIDE_TALK_FALSE_RESPONSE } from '../metrics/side-talk.ts';
import { BACKGROUND_FALSE_TAKEOVER, BACKGROUND_LATENCY_DEGRADATION_MS, computeIgnoreBackground, computeLatencyDegradation } from '../metrics/background.ts';
import { computeSpeakAt, TIME_ONSET_ERROR_MS } from '../metrics/time-awareness.ts';
import { computeInterpret, SIM_EAR_VOICE_SPAN_MS } from '../metrics/simultaneous-speech.ts';
import { computeDeliver, TASK_DELIVERY_LATENCY_MS } from '../metrics/background-task.ts';
import { computeDrift } from '../metrics/long-session.ts';
import { contentInputs } from '../metrics/content.ts';
import {
  computeIgnoreVocalTic,
  computeTicKeepTalking,
  computeTicNoTakeover,
  VOCAL_TICS_FALSE_RESPONSE,
  VOCAL_TICS_FALSE_STOP,
  VOCAL_TICS_TAKEOVER,
} from '../metrics/vocal-tics.ts';
import { computeInteraction } from '../metrics/interaction.ts';
import { expectationFamily, missedRows, verdictRow, verdictSubject } from '../metrics/verdict.ts';
import { samplesToMs } from '../audio/units.ts';
import { actionStarts, agentSpeech, userSegments } from './segments.ts';
import { echoesOfUser } from './echo.ts';
import type { MetricDefinition, MetricValue, Recording, ScoreResult } from './types.ts';

type Compute<K extends ExpectationKind> = (ctx: ActionContext, params: NonNullable<Expectation[K]>) => MetricValue[];

/** Each expectation kind: how it is computed, and its main metric (the row a missed action leaves N/A); `carriesTics`: the action's speech has vocal tics. */
const KINDS: { [K in ExpectationKind]: { compute: Compute<K>; main: (actionKind: ActionStart['kind'], carriesTics: boolean) => MetricDefinition } } = {
  take_turn: { compute: (ctx, p) => computeTakeTurn(ctx, p.within_ms), main: () => TURN_TAKING_LATENCY_MS },
  no_takeover: {
    compute: (ctx) => (ctx.action.tics?.length ? computeTicNoTakeover(ctx) : computeNoTakeover(ctx)),
    main: (_, carriesTics) => (carriesTics ? VOCAL_TICS_TAKEOVER : PAUSE_TAKEOVER),
  },
  backchannel_opportunity: { compute: (ctx) => computeBackchannelOpportunity(ctx), main: () => BACKCHANNEL_COUNT },
  stop: { compute: (ctx, p) => computeStop(ctx, p.within_ms), main: () => INTERRUPTION_STOP_LATENCY_MS },
  answer: { compute: (ctx, p) => computeAnswer(ctx, p.within_ms), main: () => INTERRUPTION_ANSWER_LATENCY_MS },
  keep_talking: {
    compute: (ctx) => (ctx.action.kind === 'vocal_tic' ? computeTicKeepTalking(ctx) : computeKeepTalking(ctx)),
    main: (actionKind) => (actionKind === 'vocal_tic' ? VOCAL_TICS_FALSE_STOP : USER_BACKCHANNEL_FALSE_STOP_STRICT),
  },
  react: { compute: (ctx, p) => computeReact(ctx, p.within_ms, p.quiet_ms), main: () => VISUAL_REACTION_LATENCY_MS },
  ignore: {
    compute: (ctx) =>
      ctx.action.kind === 'vocal_tic'
        ? computeIgnoreVocalTic(ctx)
        : ctx.action.kind === 'side_talk'
          ? computeIgnoreSideTalk(ctx)
          : computeIgnoreBackground(ctx),
    main: (actionKind) =>
      actionKind === 'vocal_tic' ? VOCAL_TICS_FALSE_RESPONSE : actionKind === 'side_talk' ? SIDE_TALK_FALSE_RESPONSE : BACKGROUND_FALSE_TAKEOVER,
  },
  latency_degradation: { compute: (ctx, p) => computeLatencyDegradation(ctx, p.baseline), main: () => BACKGROUND_LATENCY_DEGRADATION_MS },
  speak_at: { compute: (ctx, p) => computeSpeakAt(ctx, p.after_ms, p.within_ms, p.says), main: () => TIME_ONSET_ERROR_MS },
  interpret: { compute: (ctx, p) => computeInterpret(ctx, p.max_span_ms, p.says), main: () => SIM_EAR_VOICE_SPAN_MS },
  deliver: { compute: (ctx, p) => computeDeliver(ctx, p.due_after_ms, p.within_ms, p.says), main: () => TASK_DELIVERY_LATENCY_MS },
};

export function score(recording: Recording): ScoreResult {
  checkAudio(recording);
  const actions = actionStarts(recording);
  const speech = agentSpeech(recording.agent, recording.sampleRate);
  echoesOfUser(recording.user, recording.agent, recording.sampleRate, speech.segments).forEach((echo, i) => {
    if (echo) speech.segments[i].echo = true;
  });
  const recordingEndMs = samplesToMs(recording.agent.length, recording.sampleRate);

  const videoFrames = recording.events.filter((e) => e.type === 'video.frame').length;
  const content = contentInputs(recording.events, speech.segments);
  const metrics: MetricValue[] = [];
  const placed = actions.map((action, i) => {
    const ctx: ActionContext = {
      action,
      agent: speech.segments,
      agentStrict: speech.strict,
      agentRuns: speech.runs,
      recordingEndMs,
      actions,
      videoFrames,
      content,
      ...windowEnd(actions, i, recordingEndMs),
    };
    for (const expectation of action.expect) metrics.push(...metricsFor(ctx, expectation));
    return { action, windowEndMs: ctx.windowEndMs };
  });
  // The panel's session-level rows (responses, agent interruptions, dead air), read from the rows above.
  metrics.push(...computeInteraction({ placed, agent: speech.segments, recordingEndMs, rows: metrics }));
  metrics.push(...unplayedRows(recording.header.scenario?.timeline ?? [], actions, recording.events));
  // Long sessions: each family's numbers early vs late (session-level, from the rows above).
  if (recording.header.scenario?.family === 'long_session') metrics.push(...computeDrift(metrics, actions, recording.events, recordingEndMs));

  const segments = [...userSegments(actions), ...speech.segments].sort((x, y) => x.startMs - y.startMs || x.endMs - y.endMs);
  return { segments, metrics, ...(content.judgeRequests.length > 0 ? { judgeRequests: content.judgeRequests } : {}) };
}

function metricsFor(ctx: ActionContext, expectation: Expectation): MetricValue[] {
  const out: MetricValue[] = [];
  for (const kind of EXPECTATION_KINDS) {
    const params = expectation[kind];
    if (params === undefined) continue;
    // The mapped type pairs each kind with its own parameters; TypeScript cannot follow the loop.
    const rows = (KINDS[kind].compute as (ctx: ActionContext, params: unknown) => MetricValue[])(ctx, params);
    out.push(...rows);
    const family = expectationFamily(kind, ctx.action.kind, !!ctx.action.tics?.length);
    const verdict = family ? verdictRow(family, verdictSubject(ctx.action.id, kind), rows) : undefined;
    if (verdict) out.push(verdict);
  }
  return out;
}

/** Expectations of scenario actions that have no action.start: skipped (trigger_missed) or never reached (not_played). */
function unplayedRows(timeline: readonly Action[], placed: readonly ActionStart[], events: readonly RecordingEvent[]): MetricValue[] {
  const placedIds = new Set(placed.map((a) => a.id));
  const skipped = new Map(events.flatMap((e) => (e.type === 'action.skipped' ? [[e.id, e.reason] as const] : [])));
  const out: MetricValue[] = [];
  for (const action of timeline) {
    if (placedIds.has(action.id) || !action.expect?.length) continue;
    const skipReason = skipped.get(action.id);
    const reason = skipReason !== undefined ? 'trigger_missed' : 'not_played';
    const note = skipReason ?? 'the session ended before this action was placed';
    const actionKind = actionKindOf(action);
    const carriesTics = !!(action.speak ?? action.backchannel ?? action.side_talk)?.tics?.length;
    for (const expectation of action.expect) {
      for (const kind of EXPECTATION_KINDS) {
        if (expectation[kind] === undefined) continue;
        out.push(...missedRows(KINDS[kind].main(actionKind, carriesTics), expectationFamily(kind, actionKind, carriesTics), action, kind, reason, note));
      }
    }
  }
  return out;
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
    throw new InputError(`sample rate must be a positive integer, got ${recording.sampleRate}`, { file: 'audio.wav', field: 'sampleRate', hint });
  }
  if (!(recording.agent instanceof Int16Array)) {
    throw new InputError('the agent channel must be PCM16 (Int16Array)', { file: 'audio.wav', field: 'agent', hint });
  }
}
