/**
 * Pause handling (`no_takeover` expectations): the user pauses mid-turn (the pause is opened
 * inside one fluent rendering, so the speech before it does not sound finished); a good
 * partner waits. Judged per pause over [pause.startMs, pause.endMs], both ends included.
 *
 * Waiting is only a skill in an agent that answers: an agent that never speaks would "hold"
 * every pause. So a pause without a takeover counts only when the agent then gave a
 * substantive response starting after the user's turn ended (an echo of the user's own speech
 * starts before); otherwise the row is N/A with reason `no_response` and the expectation fails.
 * Full-Duplex-Bench v1's pause TOR has no such condition: a silent model scores a perfect 0 there.
 *
 * Known blind spot, shared with Full-Duplex-Bench's duration rule: an answer started in a short
 * pause and cut off by the user resuming is under 1 s, so without words it counts as a
 * backchannel, not a takeover (a timing rule misjudged the reference agent's own "mm-hmm"s that
 * overran the resumption by 84 ms, so none is applied).
 */
import type { ActionStart } from '../recording/events.ts';
import type { MetricDefinition, MetricValue } from '../scoring/types.ts';
import { sortedPauses } from '../scoring/segments.ts';
import { bool, metricValue, responsesIn, type ActionContext } from './common.ts';

export const PAUSE_TAKEOVER: MetricDefinition = {
  name: 'pause.takeover',
  family: 'pause',
  unit: 'bool',
  direction: 'lower',
  definition:
    "1 if an agent speech segment of at least 1000 ms starts within the pause, else 0; null (reason no_response, expectation failed) when none did and the agent gave no substantive response starting after the turn's end either.",
  denominator: 'per planted mid-turn pause of a no_takeover action, in sessions where the agent answered the turn',
  peer: 'Follows Full-Duplex-Bench v1 pause handling (takeover rate, TOR, with its 1 s rule). Departs: judged per pause over the pause itself rather than over the whole output, by duration of detected speech alone (no "> 3 words" rule, no ASR), and a pause held by an agent that never answers is not counted as held.',
};

const PAUSE_BACKCHANNEL: MetricDefinition = {
  name: 'pause.backchannel',
  family: 'pause',
  unit: 'bool',
  direction: 'higher',
  definition: '1 if an agent speech segment shorter than 1000 ms (a backchannel) starts within the pause, else 0. Not a takeover.',
  denominator: 'per planted mid-turn pause of a no_takeover action',
  peer: 'Full-Duplex-Bench v1 counts such output as "not a takeover" and reports nothing else; reported here so waiting silently and acknowledging can be told apart.',
};

export const PAUSE_METRICS = [PAUSE_TAKEOVER, PAUSE_BACKCHANNEL];

/** How one kind of pause is named in its rows: its two metrics, its subject label, its expectation. */
export interface PauseNaming {
  takeover: MetricDefinition;
  backchannel: MetricDefinition;
  /** Subjects are `<actionId>#<label><k>`, k counted from 1 among the pauses of this naming. */
  label: string;
  expectation: string;
}

export const MID_TURN_PAUSE: PauseNaming = {
  takeover: PAUSE_TAKEOVER,
  backchannel: PAUSE_BACKCHANNEL,
  label: 'pause',
  expectation: 'no_takeover (no agent segment >= 1000 ms starting in the pause)',
};

/** One pair of rows per pause; passed = no takeover. `namingOf` names each pause's rows (vocal-tics.ts: a hesitation around a tic). */
export function computeNoTakeover(ctx: ActionContext, namingOf: (pause: ActionStart['pauses'][number]) => PauseNaming = () => MID_TURN_PAUSE): MetricValue[] {
  const { action } = ctx;
  const pauses = sortedPauses(action);
  if (pauses.length === 0) {
    const { expectation } = MID_TURN_PAUSE;
    const note = 'action has no planted pauses; add pauses to the speech or drop no_takeover';
    const reason = 'no_pauses';
    return [
      metricValue(PAUSE_TAKEOVER, action.id, null, { passed: false, expectation, reason, note }),
      metricValue(PAUSE_BACKCHANNEL, action.id, null, { expectation, reason, note }),
    ];
  }
  const counts = new Map<string, number>();
  return pauses.flatMap((pause) => {
    const { takeover: takeoverDef, backchannel: backchannelDef, label, expectation } = namingOf(pause);
    counts.set(label, (counts.get(label) ?? 0) + 1);
    const subject = `${action.id}#${label}${counts.get(label)}`;
    const starting = ctx.agent.filter((s) => s.startMs >= pause.startMs && s.startMs <= pause.endMs);
    const takeover = starting.some((s) => s.kind === 'speech');
    const backchannel = metricValue(backchannelDef, subject, bool(starting.some((s) => s.kind === 'backchannel')), { expectation });
    if (!takeover && !responsesIn(ctx.agent, action.speechEndMs, ctx.windowEndMs)[0]) {
      const note = `no takeover, but the agent never answered the turn before ${ctx.windowEndLabel}: holding a pause proves nothing then`;
      return [metricValue(takeoverDef, subject, null, { passed: false, expectation, reason: 'no_response', note }), backchannel];
    }
    return [metricValue(takeoverDef, subject, bool(takeover), { passed: !takeover, expectation }), backchannel];
  });
}
