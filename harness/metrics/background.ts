/**
 * Background speech and noise: another voice or a sound bed under the user (low-passed,
 * echoed; babble, music-like tones, noise at a set SNR).
 * - `ignore` on a background action: no takeover because of it, no stop for it (distractor.ts).
 * - `latency_degradation` on a question asked over the background: how much slower the agent
 *   takes the turn than for a clean question of the same session (same voice, same agent).
 */
import type { MetricDefinition, MetricValue } from '../scoring/types.ts';
import { bool, firstResponse, metricValue, type ActionContext } from './common.ts';
import { distractorOutcome, RESPONSE_WINDOW_MS, STOP_WINDOW_MS, UNRESPONSIVE_NOTE } from './distractor.ts';
import type { ActionStart } from '../recording/events.ts';

const FDB_V15 = 'Full-Duplex-Bench v1.5 "background speech": behaviour categories from an LLM judge over transcripts, plus stop and response latency.';

export const BACKGROUND_FALSE_TAKEOVER: MetricDefinition = {
  name: 'background.false_takeover',
  family: 'background',
  unit: 'bool',
  direction: 'lower',
  definition: `1 if the agent started speaking because of the background: when silent at its onset, an agent onset from the onset to ${RESPONSE_WINDOW_MS} ms after its end; when speaking, a restart while it still sounds. Onsets answering the user's own turns (speech start to 3 s after its end) are excluded. Null (reason no_response, expectation failed) when the agent stayed silent and answered no turn of the user's in the session.`,
  denominator: 'per ignore action on background sound',
  peer: `${FDB_V15} Departs: acoustic and timing only (no ASR, no judge); noise beds as well as voices.`,
};

const BACKGROUND_FALSE_STOP: MetricDefinition = {
  name: 'background.false_stop',
  family: 'background',
  unit: 'bool',
  direction: 'lower',
  definition: `1 if the agent segment playing at the background's onset ends within ${STOP_WINDOW_MS} ms of it, else 0; null when the agent was silent at the onset.`,
  denominator: 'per ignore action on background sound where the agent was speaking at its onset',
  peer: `${FDB_V15} Departs: a yes/no on the played channel with a fixed ${STOP_WINDOW_MS} ms window.`,
};

export const BACKGROUND_LATENCY_DEGRADATION_MS: MetricDefinition = {
  name: 'background.latency_degradation_ms',
  family: 'background',
  unit: 'ms',
  direction: 'lower',
  definition:
    'Turn-taking latency of the question asked over the background minus that of the named clean question of the same session (each by the response rule of turn_taking.latency_ms, its window closing at the next user speech or backchannel rather than any action, so a background starting does not close it). Null when the agent did not take either turn.',
  denominator: 'per latency_degradation action',
  peer: 'No peer metric: Full-Duplex-Bench v1.5 reports latencies per condition, not paired within a session.',
};

export const BACKGROUND_METRICS = [BACKGROUND_FALSE_TAKEOVER, BACKGROUND_FALSE_STOP, BACKGROUND_LATENCY_DEGRADATION_MS];

export function computeIgnoreBackground(ctx: ActionContext): MetricValue[] {
  const { action } = ctx;
  const expectation = 'ignore (no takeover because of the background, no stop for it)';
  const o = distractorOutcome(ctx);
  return [
    o.unresponsive
      ? metricValue(BACKGROUND_FALSE_TAKEOVER, action.id, null, { passed: false, expectation, reason: 'no_response', note: UNRESPONSIVE_NOTE })
      : metricValue(BACKGROUND_FALSE_TAKEOVER, action.id, bool(o.responded), { passed: !o.responded, expectation }),
    metricValue(BACKGROUND_FALSE_STOP, action.id, o.falseStop === null ? null : bool(o.falseStop), {
      passed: o.falseStop === null ? null : !o.falseStop,
      expectation,
      reason: o.speakingAtOnset ? undefined : 'agent_silent_at_onset',
      note: o.speakingAtOnset ? undefined : 'agent was silent at the background onset',
    }),
  ];
}

/** Same response rule as turn_taking.latency_ms; the window closes at the next user action (by start). */
function takeTurnLatencyMs(ctx: ActionContext, a: ActionStart): number | null {
  const next = ctx.actions.find((b) => b.startMs > a.startMs && (b.kind === 'speak' || b.kind === 'backchannel'));
  const response = firstResponse(ctx.agent, a.speechStartMs, a.speechEndMs, Math.min(next?.startMs ?? Infinity, ctx.recordingEndMs));
  return response ? response.startMs - a.speechEndMs : null;
}

export function computeLatencyDegradation(ctx: ActionContext, baselineId: string): MetricValue[] {
  const { action } = ctx;
  const expectation = `latency vs clean question "${baselineId}"`;
  const baseline = ctx.actions.find((a) => a.id === baselineId);
  const noisy = takeTurnLatencyMs(ctx, action);
  const clean = baseline ? takeTurnLatencyMs(ctx, baseline) : null;
  if (noisy === null || clean === null) {
    const note = !baseline ? `baseline action "${baselineId}" was not played` : `agent did not take the ${noisy === null ? 'noisy' : 'clean'} turn`;
    return [metricValue(BACKGROUND_LATENCY_DEGRADATION_MS, action.id, null, { expectation, reason: !baseline ? 'baseline_missing' : 'no_response', note })];
  }
  return [metricValue(BACKGROUND_LATENCY_DEGRADATION_MS, action.id, noisy - clean, { expectation })];
}
