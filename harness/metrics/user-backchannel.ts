/**
 * User backchannels (`keep_talking` expectations on a backchannel action): the user says
 * "mm-hmm" while the agent talks. That is not a bid for the turn; a good partner keeps going.
 * The agent stopping soon after (within 1 s of the backchannel's end) is a false stop.
 *
 * Two ears: the peer-style one merges agent silences under 300 ms (the detector's default gap),
 * the strict one only those under STRICT_MERGE_GAP_MS. An agent that cuts out for 250 ms on
 * every "mm-hmm" and then resumes passes the first and fails the second; a listener hears the
 * drop-out, so the verdict uses the strict ear. dip_ms says how long the drop-out was.
 * The scenario expects the agent to be talking at the backchannel: silent at its onset is not
 * "kept talking" (false stop 1, reason agent_silent_at_onset), never a row that leaves the rate.
 */
import type { MetricDefinition, MetricValue, NaReason, Segment } from '../scoring/types.ts';
import { STRICT_MERGE_GAP_MS } from '../scoring/segments.ts';
import { bool, longestSilenceFrom, metricValue, runsToEnd, RUNS_TO_END_NOTE, segmentAt, type ActionContext } from './common.ts';

/** A stop this soon after the user's backchannel ends is taken as caused by it. */
export const FALSE_STOP_WINDOW_MS = 1000;

const NOT_SPEAKING_AT_BACKCHANNEL_NOTE = "agent was not speaking at the user's backchannel";
export const DIP_TO_END_NOTE = 'silent until the recording ended: a lower bound';

const FDB_V15 = 'Full-Duplex-Bench v1.5 user backchannel: behaviour categories (respond, resume, ...) from an LLM judge over transcripts, plus stop latency.';
const falseStopDefinition = (gapMs: number) =>
  `1 if the agent speech segment playing at the backchannel's onset (agent silences under ${gapMs} ms merged) ends before the backchannel's end + ${FALSE_STOP_WINDOW_MS} ms, else 0; 1 too (reason agent_silent_at_onset) when the agent was not speaking at the onset.`;

const USER_BACKCHANNEL_FALSE_STOP: MetricDefinition = {
  name: 'user_backchannel.false_stop',
  family: 'user_backchannel',
  unit: 'bool',
  direction: 'lower',
  definition: falseStopDefinition(300),
  denominator: 'per keep_talking action',
  peer: `${FDB_V15} Departs: purely acoustic, judged on the played channel; a dip shorter than the 300 ms merge gap is not a stop (the peer-style ear; the verdict uses user_backchannel.false_stop_strict).`,
};

export const USER_BACKCHANNEL_FALSE_STOP_STRICT: MetricDefinition = {
  name: 'user_backchannel.false_stop_strict',
  family: 'user_backchannel',
  unit: 'bool',
  direction: 'lower',
  definition: falseStopDefinition(STRICT_MERGE_GAP_MS),
  denominator: 'per keep_talking action',
  peer: `${FDB_V15} Departs: as user_backchannel.false_stop, with a ${STRICT_MERGE_GAP_MS} ms merge gap, about the longest pause inside fluent speech, so a drop-out on the backchannel is a stop. This row carries the keep_talking verdict.`,
};

const USER_BACKCHANNEL_DIP_MS: MetricDefinition = {
  name: 'user_backchannel.dip_ms',
  family: 'user_backchannel',
  unit: 'ms',
  direction: 'lower',
  definition: `The longest agent silence (between the speech detector's raw runs, nothing merged) that starts from the backchannel's onset to ${FALSE_STOP_WINDOW_MS} ms after its end, measured to the agent's next speech (or the recording's end). 0 when it talked straight through; null (reason agent_silent_at_onset) when it was silent at the onset.`,
  denominator: "per keep_talking action where the agent was speaking at the user's backchannel",
  peer: 'No peer metric: the size of the drop-out that a merge gap hides.',
};

const USER_BACKCHANNEL_CONTINUED_MS: MetricDefinition = {
  name: 'user_backchannel.continued_ms',
  family: 'user_backchannel',
  unit: 'ms',
  direction: 'higher',
  definition:
    "How long the agent kept talking after the backchannel's onset: end of the agent segment (300 ms merge gap) playing at the onset minus the onset.",
  denominator: "per keep_talking action where the agent was speaking at the user's backchannel",
  peer: "Comparable to Full-Duplex-Bench v1.5's stop latency on the user-backchannel scenario (large = did not stop).",
};

export const USER_BACKCHANNEL_METRICS = [
  USER_BACKCHANNEL_FALSE_STOP,
  USER_BACKCHANNEL_FALSE_STOP_STRICT,
  USER_BACKCHANNEL_DIP_MS,
  USER_BACKCHANNEL_CONTINUED_MS,
];

/** What the agent did at a non-bid sound (a backchannel, a vocal tic) that began while it was talking. */
export interface KeepTalkingOutcome {
  /** The agent segment (300 ms ear) playing at the sound's onset. */
  playing: Segment;
  /** That segment ends before the sound's end + FALSE_STOP_WINDOW_MS. */
  falseStop: boolean;
  /** The same under the strict ear (silences of STRICT_MERGE_GAP_MS or more are stops). */
  falseStopStrict: boolean;
  /** The longest raw silence starting from the onset to FALSE_STOP_WINDOW_MS after the sound's end. */
  dip: { ms: number; toEnd: boolean };
}

/** Undefined when the agent was silent at the onset of ctx.action. */
export function keepTalkingOutcome(ctx: ActionContext): KeepTalkingOutcome | undefined {
  const { action } = ctx;
  const onsetMs = action.speechStartMs;
  const playing = segmentAt(ctx.agent, onsetMs);
  if (!playing) return undefined;
  const stopsEarly = (segment: Segment | undefined) => !segment || segment.endMs < action.speechEndMs + FALSE_STOP_WINDOW_MS;
  // Under the strict ear the onset may fall in a short silence (< 300 ms) of the agent's: judge
  // the strict segment it resumes with.
  const strict = segmentAt(ctx.agentStrict, onsetMs) ?? ctx.agentStrict.find((s) => s.startMs > onsetMs && s.startMs < playing.endMs);
  return {
    playing,
    falseStop: stopsEarly(playing),
    falseStopStrict: stopsEarly(strict),
    dip: longestSilenceFrom(ctx.agentRuns, onsetMs, action.speechEndMs + FALSE_STOP_WINDOW_MS, ctx.recordingEndMs),
  };
}

/** passed (on the strict false-stop row) = no false stop under the strict ear. */
export function computeKeepTalking(ctx: ActionContext): MetricValue[] {
  const { action } = ctx;
  const expectation = `keep_talking (agent does not stop within ${FALSE_STOP_WINDOW_MS} ms of the backchannel's end)`;
  const o = keepTalkingOutcome(ctx);
  if (!o) {
    const reason: NaReason = 'agent_silent_at_onset';
    const note = NOT_SPEAKING_AT_BACKCHANNEL_NOTE;
    return [
      metricValue(USER_BACKCHANNEL_FALSE_STOP, action.id, 1, { expectation, reason, note }),
      metricValue(USER_BACKCHANNEL_FALSE_STOP_STRICT, action.id, 1, { passed: false, expectation, reason, note }),
      metricValue(USER_BACKCHANNEL_DIP_MS, action.id, null, { expectation, reason, note }),
      metricValue(USER_BACKCHANNEL_CONTINUED_MS, action.id, null, { expectation, reason, note }),
    ];
  }
  const note = runsToEnd(o.playing, ctx) ? RUNS_TO_END_NOTE : undefined;
  return [
    metricValue(USER_BACKCHANNEL_FALSE_STOP, action.id, bool(o.falseStop), { expectation, note }),
    metricValue(USER_BACKCHANNEL_FALSE_STOP_STRICT, action.id, bool(o.falseStopStrict), { passed: !o.falseStopStrict, expectation, note }),
    metricValue(USER_BACKCHANNEL_DIP_MS, action.id, o.dip.ms, { expectation, note: o.dip.toEnd ? DIP_TO_END_NOTE : undefined }),
    metricValue(USER_BACKCHANNEL_CONTINUED_MS, action.id, o.playing.endMs - action.speechStartMs, { expectation, note }),
  ];
}
