/**
 * Vocal tics: "um", "uh", a cough, a laugh, a throat-clear, a breath. None of them is a bid for
 * the floor; a good partner neither yields to one nor takes the floor because of one. Three
 * placements, each judged by crosstalk's rule for the nearest existing case, not a new one:
 * - a tic inside the user's turn (`tics` on a speech; the hesitation around it is one of the
 *   turn's pauses), expectation `no_takeover`: pause.ts's rule over each hesitation (an agent
 *   speech segment of 1 s or more starting in it is a takeover; held only by an agent that then
 *   answers the turn), named vocal_tics.takeover;
 * - a tic on its own (a `vocal_tic` action), expectation `ignore`: the side-talk rule for a
 *   response (distractor.ts), and, if the agent was talking at its onset, user_backchannel's
 *   strict rule for a stop (a drop-out of 200 ms or more until 1 s after the tic's end);
 * - a tic on its own, expectation `keep_talking`: the agent must be talking at the onset (silent
 *   there fails, reason agent_silent_at_onset) and talk on by that same strict rule.
 * Every one of these expectations is judged in the vocal_tics family (verdict.ts).
 */
import type { MetricDefinition, MetricValue } from '../scoring/types.ts';
import { STRICT_MERGE_GAP_MS } from '../scoring/segments.ts';
import { bool, metricValue, type ActionContext } from './common.ts';
import { distractorOutcome, RESPONSE_WINDOW_MS, UNRESPONSIVE_NOTE } from './distractor.ts';
import { computeNoTakeover, MID_TURN_PAUSE, type PauseNaming } from './pause.ts';
import { DIP_TO_END_NOTE, FALSE_STOP_WINDOW_MS, keepTalkingOutcome, type KeepTalkingOutcome } from './user-backchannel.ts';

const TAU =
  'tau-voice selectivity_vocal_tic (S_VT; tau2-bench docs/interaction-metrics.md): a tic while the agent speaks is an error when it yields within 1.0 s, a tic while it is silent when it responds within 2.0 s.';

export const VOCAL_TICS_TAKEOVER: MetricDefinition = {
  name: 'vocal_tics.takeover',
  family: 'vocal_tics',
  unit: 'bool',
  direction: 'lower',
  definition:
    "1 if an agent speech segment of at least 1000 ms starts within the hesitation around a tic inside the user's turn (from the end of the word before it to the start of the word after it, the tic included), else 0; null (reason no_response, expectation failed) when none did and the agent gave no substantive response after the turn's end either (pause.takeover's rule).",
  denominator: 'per tic inside the speech of a no_takeover action, in sessions where the agent answered the turn',
  peer: `${TAU} Departs: inside a turn the tic is judged over the whole hesitation, however long (the turn is not over), and only speech of 1 s or more is a takeover (Full-Duplex-Bench v1's rule); an agent that never answers the turn holds nothing.`,
};

const VOCAL_TICS_BACKCHANNEL: MetricDefinition = {
  name: 'vocal_tics.backchannel',
  family: 'vocal_tics',
  unit: 'bool',
  direction: 'higher',
  definition:
    "1 if an agent speech segment shorter than 1000 ms (a backchannel) starts within the hesitation around a tic inside the user's turn, else 0. Not a takeover.",
  denominator: 'per tic inside the speech of a no_takeover action',
  peer: 'No peer metric: reported so waiting silently and acknowledging can be told apart (as pause.backchannel).',
};

export const VOCAL_TICS_FALSE_RESPONSE: MetricDefinition = {
  name: 'vocal_tics.false_response',
  family: 'vocal_tics',
  unit: 'bool',
  direction: 'lower',
  definition: `1 if the agent started speaking because of a tic of its own: when silent at its onset, an agent onset from the onset to ${RESPONSE_WINDOW_MS} ms after its end; when speaking, a restart while the tic still sounds. Onsets answering the user's own turns are excluded. Null (reason no_response, expectation failed) when the agent stayed silent and answered no turn of the user's in the session (side_talk.false_response's rule).`,
  denominator: 'per ignore action on a vocal tic',
  peer: `${TAU} Departs: any agent onset is a response, not only a substantive one, and the window runs to ${RESPONSE_WINDOW_MS} ms after the tic's end (a tic lasts 0.25-1 s).`,
};

export const VOCAL_TICS_FALSE_STOP: MetricDefinition = {
  name: 'vocal_tics.false_stop',
  family: 'vocal_tics',
  unit: 'bool',
  direction: 'lower',
  definition: `1 if the agent speech playing at the tic's onset ends before the tic's end + ${FALSE_STOP_WINDOW_MS} ms under the strict ear (agent silences of ${STRICT_MERGE_GAP_MS} ms or more are stops), else 0 (user_backchannel.false_stop_strict's rule). The agent silent at the onset: under keep_talking 1 (reason agent_silent_at_onset, expectation failed: the scenario needed it talking), under ignore null (reason agent_silent_at_onset: nothing to stop).`,
  denominator: 'per keep_talking action on a vocal tic; per ignore action on a vocal tic where the agent was speaking at its onset',
  peer: `${TAU} Departs: the window runs to ${FALSE_STOP_WINDOW_MS} ms after the tic's end rather than after its onset, and a drop-out of ${STRICT_MERGE_GAP_MS} ms or more is already a stop.`,
};

const VOCAL_TICS_DIP_MS: MetricDefinition = {
  name: 'vocal_tics.dip_ms',
  family: 'vocal_tics',
  unit: 'ms',
  direction: 'lower',
  definition: `The longest agent silence (between the speech detector's raw runs, nothing merged) that starts from the tic's onset to ${FALSE_STOP_WINDOW_MS} ms after its end, measured to the agent's next speech (or the recording's end). 0 when it talked straight through; null (reason agent_silent_at_onset) when it was silent at the onset.`,
  denominator: 'per keep_talking or ignore action on a vocal tic where the agent was speaking at its onset',
  peer: 'No peer metric: the size of the drop-out that a 200 ms tick (tau-voice) or a 300 ms merge gap hides.',
};

export const VOCAL_TICS_METRICS = [VOCAL_TICS_TAKEOVER, VOCAL_TICS_BACKCHANNEL, VOCAL_TICS_FALSE_RESPONSE, VOCAL_TICS_FALSE_STOP, VOCAL_TICS_DIP_MS];

const HESITATION: PauseNaming = {
  takeover: VOCAL_TICS_TAKEOVER,
  backchannel: VOCAL_TICS_BACKCHANNEL,
  label: 'tic',
  expectation: 'no_takeover (no agent segment >= 1000 ms starting in the hesitation around the tic)',
};

/** no_takeover on a speech with tics: its hesitations as vocal_tics rows, any plain pauses as pause rows. */
export function computeTicNoTakeover(ctx: ActionContext): MetricValue[] {
  const tics = ctx.action.tics ?? [];
  return computeNoTakeover(ctx, (pause) => (tics.some((t) => t.startMs >= pause.startMs && t.startMs < pause.endMs) ? HESITATION : MID_TURN_PAUSE));
}

export function computeIgnoreVocalTic(ctx: ActionContext): MetricValue[] {
  const { action } = ctx;
  const expectation = 'ignore (no response to the tic, no stop for it)';
  const d = distractorOutcome(ctx);
  const response = d.unresponsive
    ? metricValue(VOCAL_TICS_FALSE_RESPONSE, action.id, null, { passed: false, expectation, reason: 'no_response', note: UNRESPONSIVE_NOTE })
    : metricValue(VOCAL_TICS_FALSE_RESPONSE, action.id, bool(d.responded), { passed: !d.responded, expectation });
  return [response, ...stopRows(ctx, expectation, keepTalkingOutcome(ctx), false)];
}

export function computeTicKeepTalking(ctx: ActionContext): MetricValue[] {
  const expectation = `keep_talking (agent talks through the tic: no stop or drop-out of ${STRICT_MERGE_GAP_MS} ms or more until ${FALSE_STOP_WINDOW_MS} ms after its end)`;
  return stopRows(ctx, expectation, keepTalkingOutcome(ctx), true);
}

/** The false-stop and dip rows; `silentFails`: the agent silent at the onset fails (keep_talking) rather than having nothing to judge (ignore). */
function stopRows(ctx: ActionContext, expectation: string, o: KeepTalkingOutcome | undefined, silentFails: boolean): MetricValue[] {
  const { id } = ctx.action;
  if (!o) {
    const reason = 'agent_silent_at_onset';
    const note = 'agent was not speaking at the tic';
    return [
      metricValue(VOCAL_TICS_FALSE_STOP, id, silentFails ? 1 : null, { passed: silentFails ? false : null, expectation, reason, note }),
      metricValue(VOCAL_TICS_DIP_MS, id, null, { expectation, reason, note }),
    ];
  }
  return [
    metricValue(VOCAL_TICS_FALSE_STOP, id, bool(o.falseStopStrict), { passed: !o.falseStopStrict, expectation }),
    metricValue(VOCAL_TICS_DIP_MS, id, o.dip.ms, { expectation, note: o.dip.toEnd ? DIP_TO_END_NOTE : undefined }),
  ];
}
