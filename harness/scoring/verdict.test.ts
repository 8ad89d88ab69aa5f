/**
 * Known answers for the rules that keep content-free agents from winning: a response is
 * substantive speech, every expectation ends in exactly one verdict (missed triggers and actions
 * never reached fail with their reason), and every null carries a typed reason.
 */
import { describe, expect, it } from 'vitest';
import { EXPECTATION_KINDS, type Action, type Expectation } from '../scenario/schema.ts';
import { metricValue } from '../metrics/common.ts';
import { TURN_TAKING_LATENCY_MS } from '../metrics/turn-taking.ts';
import { NA_REASONS, type MetricValue } from './types.ts';
import { score } from './score.ts';
import { buildRecording, type SyntheticRecordingSpec } from './testing/synthetic-recording.ts';
import { vowelVoice } from '../audio/vowel-voice.ts';

function rowsOf(spec: SyntheticRecordingSpec): MetricValue[] {
  return score(buildRecording(spec)).metrics;
}
function find(rows: MetricValue[], name: string, subject: string): MetricValue {
  const r = rows.find((m) => m.name === name && m.subject === subject);
  if (!r) throw new Error(`no row ${name}@${subject}; have ${rows.map((m) => `${m.name}@${m.subject}`).join(', ')}`);
  return r;
}

const question = (within_ms = 1500) => ({ id: 'q', speechStartMs: 1_000, speechEndMs: 3_000, expect: [{ take_turn: { within_ms } }] });

describe('a response is substantive speech', () => {
  it('a 400 ms utterance is no answer; 600 ms is', () => {
    const short = rowsOf({ durationMs: 8_000, actions: [question()], agentBursts: [{ startMs: 3_200, endMs: 3_600 }] });
    expect(find(short, 'turn_taking.latency_ms', 'q')).toMatchObject({ value: null, passed: false, reason: 'no_response' });
    expect(find(short, 'turn_taking.verdict', 'q/take_turn')).toMatchObject({ value: 0, reason: 'no_response' });
    const enough = rowsOf({ durationMs: 8_000, actions: [question()], agentBursts: [{ startMs: 3_200, endMs: 3_800 }] });
    expect(find(enough, 'turn_taking.latency_ms', 'q')).toMatchObject({ value: 200, passed: true });
  });

  it('"Sure." then a pause then the answer: timed from "Sure." (speech within 2 s of the onset adds up)', () => {
    const rows = rowsOf({
      durationMs: 8_000,
      actions: [question()],
      agentBursts: [
        { startMs: 3_300, endMs: 3_650 },
        { startMs: 4_100, endMs: 6_000 },
      ],
    });
    expect(find(rows, 'turn_taking.latency_ms', 'q').value).toBe(300);
  });

  it('an agent that talked over the turn did not take it, whatever its latency', () => {
    const rows = rowsOf({
      durationMs: 8_000,
      actions: [question()],
      agentBursts: [
        { startMs: 1_200, endMs: 2_700 },
        { startMs: 3_200, endMs: 5_000 },
      ],
    });
    expect(find(rows, 'turn_taking.latency_ms', 'q')).toMatchObject({ value: 200, passed: true });
    expect(find(rows, 'turn_taking.talked_over_ms', 'q')).toMatchObject({ value: 1_500, passed: false, reason: 'talked_over' });
    expect(find(rows, 'turn_taking.verdict', 'q/take_turn')).toMatchObject({ value: 0, reason: 'talked_over' });
    // Backchannels (< 1 s) over the turn are listening, not talking over it.
    const listening = rowsOf({
      durationMs: 8_000,
      actions: [question()],
      agentBursts: [
        { startMs: 1_500, endMs: 1_900 },
        { startMs: 2_300, endMs: 2_700 },
        { startMs: 3_200, endMs: 5_000 },
      ],
    });
    expect(find(listening, 'turn_taking.verdict', 'q/take_turn')).toMatchObject({ value: 1 });
  });

  it('time awareness takes the first response after the acknowledgement window, not the nearest to the due time', () => {
    const ask = { id: 't', speechStartMs: 1_000, speechEndMs: 2_000, expect: [{ speak_at: { after_ms: 10_000, within_ms: 1_000 } }] };
    // "Sure" at 2.3 s (inside the window), a chatterer every 3 s from 5 s: the first after the window is at 5 s.
    const chatter = rowsOf({
      family: 'time_awareness',
      durationMs: 20_000,
      actions: [ask],
      agentBursts: [{ startMs: 2_300, endMs: 3_000 }, ...[5_000, 8_000, 11_900, 15_000].map((t) => ({ startMs: t, endMs: t + 1_000 }))],
    });
    expect(find(chatter, 'time_awareness.onset_error_ms', 't')).toMatchObject({ value: -7_000, passed: false });
    // A two-part acknowledgement ("Sure. ... I will tell you.") and the answer to a question asked meanwhile are not the announcement.
    const chat = { id: 'm', speechStartMs: 5_000, speechEndMs: 6_000, expect: [{ take_turn: { within_ms: 1_500 } }] };
    const busy = rowsOf({
      family: 'time_awareness',
      durationMs: 20_000,
      actions: [ask, chat],
      agentBursts: [
        { startMs: 2_300, endMs: 2_900 },
        { startMs: 3_500, endMs: 4_600 },
        { startMs: 6_300, endMs: 8_000 },
        { startMs: 12_100, endMs: 13_000 },
      ],
    });
    expect(find(busy, 'time_awareness.onset_error_ms', 't')).toMatchObject({ value: 100, passed: true });
    const punctual = rowsOf({
      family: 'time_awareness',
      durationMs: 20_000,
      actions: [ask],
      agentBursts: [
        { startMs: 2_300, endMs: 3_000 },
        { startMs: 12_250, endMs: 13_500 },
      ],
    });
    expect(find(punctual, 'time_awareness.onset_error_ms', 't')).toMatchObject({ value: 250, passed: true });
  });
});

describe("the user's own audio played back is no response", () => {
  /** The user speaks the vowel voice over 1000-2500 ms; the agent channel gets `agentPcm` at 2700 ms. */
  function withAgent(agentPcm: Int16Array) {
    const r = buildRecording({
      durationMs: 8_000,
      actions: [{ id: 'q', speechStartMs: 1_000, speechEndMs: 2_500, expect: [{ take_turn: { within_ms: 1_500 } }] }],
      agentBursts: [],
    });
    r.user.fill(0);
    r.user.set(vowelVoice(1_500), 16_000);
    r.agent.set(agentPcm, 43_200);
    return score(r).metrics;
  }

  it('a copy 1.7 s late is an echo: no response, even at a "latency" of 200 ms', () => {
    const rows = withAgent(vowelVoice(1_500));
    expect(find(rows, 'turn_taking.latency_ms', 'q')).toMatchObject({ value: null, reason: 'no_response' });
  });

  it('the same voice saying something else is an answer', () => {
    const rows = withAgent(vowelVoice(4_000).subarray(2_000 * 16, 3_500 * 16));
    expect(find(rows, 'turn_taking.latency_ms', 'q')).toMatchObject({ value: 200, passed: true });
  });
});

describe('pauses and backchannels', () => {
  const paused = {
    id: 'p',
    speechStartMs: 1_000,
    speechEndMs: 6_000,
    pauses: [{ startMs: 2_500, endMs: 3_200, afterWord: 3 }],
    expect: [{ no_takeover: {} }, { backchannel_opportunity: {} }],
  };
  const answer = { startMs: 6_400, endMs: 8_000 };

  it('a backchannel that ends before the user resumes is a backchannel', () => {
    const rows = rowsOf({ durationMs: 9_000, actions: [paused], agentBursts: [{ startMs: 2_650, endMs: 3_050 }, answer] });
    expect(find(rows, 'pause.takeover', 'p#pause1')).toMatchObject({ value: 0, passed: true });
    expect(find(rows, 'pause.backchannel', 'p#pause1').value).toBe(1);
    expect(find(rows, 'backchannel.count', 'p')).toMatchObject({ value: 1, passed: true });
  });

  it("an echo of the user's speech is no answer: the pause it 'held' is N/A", () => {
    // The user's speech played back 200 ms late: 1200-2700 and 3400-6200.
    const rows = rowsOf({
      durationMs: 9_000,
      actions: [paused],
      agentBursts: [
        { startMs: 1_200, endMs: 2_700 },
        { startMs: 3_400, endMs: 6_200 },
      ],
    });
    expect(find(rows, 'pause.takeover', 'p#pause1')).toMatchObject({ value: null, passed: false, reason: 'no_response' });
  });
});

describe('ignoring is a skill only in an agent that answers', () => {
  const q = { id: 'q', speechStartMs: 1_000, speechEndMs: 2_500, expect: [{ take_turn: { within_ms: 1_500 } }] };
  const aside = { id: 'aside', kind: 'side_talk' as const, speechStartMs: 6_000, speechEndMs: 7_500, expect: [{ ignore: {} }] };

  it('a silent agent did not ignore the side talk: N/A with reason no_response, failed', () => {
    const rows = rowsOf({ family: 'side_talk', durationMs: 10_000, actions: [q, aside], agentBursts: [] });
    expect(find(rows, 'side_talk.false_response', 'aside')).toMatchObject({ value: null, passed: false, reason: 'no_response' });
    expect(find(rows, 'side_talk.verdict', 'aside/ignore')).toMatchObject({ value: 0, reason: 'no_response' });
  });

  it('an agent that answered the question and let the side talk pass ignored it', () => {
    const rows = rowsOf({ family: 'side_talk', durationMs: 10_000, actions: [q, aside], agentBursts: [{ startMs: 2_800, endMs: 5_000 }] });
    expect(find(rows, 'side_talk.false_response', 'aside')).toMatchObject({ value: 0, passed: true });
    expect(find(rows, 'side_talk.verdict', 'aside/ignore').value).toBe(1);
  });
});

describe('every expectation ends in a verdict', () => {
  const barge: Action = {
    id: 'barge',
    after: { event: 'agent_speech_start', delay_ms: 1_000, timeout_ms: 5_000 },
    speak: { text: 'wait' },
    expect: [{ stop: { within_ms: 500 } }, { answer: { within_ms: 1_000 } }],
  };

  it('a skipped action fails each expectation with trigger_missed, and its main metric is N/A with the same reason', () => {
    const rows = rowsOf({
      durationMs: 8_000,
      actions: [question()],
      agentBursts: [],
      unplaced: [{ action: barge, skippedReason: 'trigger agent_speech_start did not happen within 5000 ms' }],
    });
    expect(find(rows, 'interruption.verdict', 'barge/stop')).toMatchObject({ value: 0, passed: false, reason: 'trigger_missed' });
    expect(find(rows, 'interruption.verdict', 'barge/answer')).toMatchObject({ value: 0, reason: 'trigger_missed' });
    expect(find(rows, 'interruption.stop_latency_ms', 'barge')).toMatchObject({
      value: null,
      passed: false,
      reason: 'trigger_missed',
      note: expect.stringContaining('did not happen'),
    });
    expect(find(rows, 'interruption.answer_latency_ms', 'barge')).toMatchObject({ value: null, reason: 'trigger_missed' });
  });

  it('an optional skipped action is N/A, not failed, and has no verdict', () => {
    const rows = rowsOf({
      durationMs: 8_000,
      actions: [question()],
      agentBursts: [],
      unplaced: [{ action: { ...barge, optional: true }, skippedReason: 'no trigger' }],
    });
    expect(find(rows, 'interruption.stop_latency_ms', 'barge')).toMatchObject({ value: null, passed: null, reason: 'trigger_missed' });
    expect(rows.some((m) => m.name === 'interruption.verdict')).toBe(false);
  });

  it('an action the session never reached fails with not_played', () => {
    const rows = rowsOf({
      durationMs: 8_000,
      actions: [question()],
      agentBursts: [],
      unplaced: [{ action: { id: 'late', at_ms: 9_000, backchannel: { text: 'mm-hmm' }, expect: [{ keep_talking: {} }] } }],
    });
    expect(find(rows, 'user_backchannel.verdict', 'late/keep_talking')).toMatchObject({ value: 0, reason: 'not_played' });
  });

  it('each expectation kind yields exactly one verdict row (except the paired latency_degradation), never null', () => {
    const params: { [K in (typeof EXPECTATION_KINDS)[number]]: NonNullable<Expectation[K]> } = {
      take_turn: { within_ms: 1_000 },
      no_takeover: {},
      backchannel_opportunity: {},
      stop: { within_ms: 500 },
      answer: { within_ms: 1_000 },
      keep_talking: {},
      react: { within_ms: 2_000 },
      ignore: {},
      latency_degradation: { baseline: 'q' },
      speak_at: { after_ms: 3_000, within_ms: 500 },
      interpret: { max_span_ms: 3_000 },
      deliver: { due_after_ms: 3_000, within_ms: 2_000 },
    };
    for (const kind of EXPECTATION_KINDS) {
      for (const agentBursts of [[], [{ startMs: 500, endMs: 7_000 }]]) {
        const rows = rowsOf({
          durationMs: 9_000,
          actions: [
            { id: 'x', speechStartMs: 2_000, speechEndMs: 4_000, pauses: [{ startMs: 2_500, endMs: 3_200, afterWord: 1 }], expect: [{ [kind]: params[kind] }] },
          ],
          agentBursts,
        });
        const verdicts = rows.filter((m) => m.name.endsWith('.verdict'));
        expect(verdicts.length, kind).toBe(kind === 'latency_degradation' ? 0 : 1);
        for (const v of verdicts) expect(v.value === 0 || v.value === 1, kind).toBe(true);
        for (const m of rows) if (m.value === null) expect(NA_REASONS, `${m.name}@${m.subject}`).toContain(m.reason);
      }
    }
  });

  it('a null value without a typed reason is a programming error', () => {
    expect(() => metricValue(TURN_TAKING_LATENCY_MS, 'q', null)).toThrow(/typed reason/);
  });
});
