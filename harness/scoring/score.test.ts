/**
 * Known-answer tests: synthetic recordings with planted agent bursts (full-scale square waves
 * over a -65 dBFS noise floor) and planted user truth; every metric must recover the planted
 * numbers exactly.
 */
import { describe, expect, it } from 'vitest';
import type { MetricValue } from './types.ts';
import { score } from './score.ts';
import { buildRecording, type SyntheticRecordingSpec } from './testing/synthetic-recording.ts';
import { metricDefinition } from '../metrics/registry.ts';
import { InputError } from '../errors.ts';

/** Score a synthetic recording and index its rows by `name@subject`. */
function scored(spec: SyntheticRecordingSpec): Map<string, MetricValue> {
  const rows = new Map<string, MetricValue>();
  for (const m of score(buildRecording(spec)).metrics) {
    const key = `${m.name}@${m.subject}`;
    expect(rows.has(key), `duplicate row ${key}`).toBe(false);
    rows.set(key, m);
  }
  return rows;
}

function row(rows: Map<string, MetricValue>, name: string, subject: string): MetricValue {
  const r = rows.get(`${name}@${subject}`);
  if (!r) throw new Error(`no row ${name}@${subject}; have ${[...rows.keys()].join(', ')}`);
  return r;
}

const takeTurn = (within_ms: number) => [{ take_turn: { within_ms } }];

describe('turn taking', () => {
  const spec: SyntheticRecordingSpec = {
    durationMs: 27_000,
    actions: [
      { id: 'q1', speechStartMs: 1_000, speechEndMs: 3_000, expect: takeTurn(1500) },
      { id: 'q2', speechStartMs: 6_000, speechEndMs: 8_000, expect: takeTurn(1500) },
      { id: 'q3', speechStartMs: 11_000, speechEndMs: 13_000, expect: takeTurn(800) },
      { id: 'q4', speechStartMs: 16_000, speechEndMs: 18_000, expect: takeTurn(1500) },
      { id: 'q5', speechStartMs: 21_000, speechEndMs: 23_000, expect: takeTurn(1500) },
      { id: 'q6', kind: 'silence', speechStartMs: 24_000, speechEndMs: 24_200 },
    ],
    agentBursts: [
      { startMs: 1_500, endMs: 2_100 }, // a backchannel inside q1: ends before the user does, not a response
      { startMs: 3_230, endMs: 5_000 },
      { startMs: 8_430, endMs: 10_000 },
      { startMs: 13_870, endMs: 15_000 },
      { startMs: 17_750, endMs: 19_500 }, // starts 250 ms before q4 ends
      { startMs: 24_500, endMs: 25_500 }, // after q6 started: too late for q5
    ],
  };
  const rows = scored(spec);

  it('measures latencies of 230, 430 and 870 ms exactly', () => {
    expect(row(rows, 'turn_taking.latency_ms', 'q1')).toMatchObject({ value: 230, passed: true, expectation: 'take_turn within 1500 ms' });
    expect(row(rows, 'turn_taking.latency_ms', 'q2')).toMatchObject({ value: 430, passed: true });
    expect(row(rows, 'turn_taking.latency_ms', 'q3')).toMatchObject({ value: 870, passed: false, expectation: 'take_turn within 800 ms' });
    for (const q of ['q1', 'q2', 'q3']) {
      expect(row(rows, 'turn_taking.takeover', q).value).toBe(1);
      expect(row(rows, 'turn_taking.early', q).value).toBe(0);
    }
  });

  it('keeps an early start negative (-250, not 0) and fails it', () => {
    expect(row(rows, 'turn_taking.latency_ms', 'q4')).toMatchObject({ value: -250, passed: false });
    expect(row(rows, 'turn_taking.early', 'q4').value).toBe(1);
    expect(row(rows, 'turn_taking.takeover', 'q4').value).toBe(1);
  });

  it('reports a missed turn as null latency, takeover 0, failed, with a note naming the next action', () => {
    const latency = row(rows, 'turn_taking.latency_ms', 'q5');
    expect(latency).toMatchObject({ value: null, passed: false });
    expect(latency.note).toContain('"q6"');
    expect(row(rows, 'turn_taking.takeover', 'q5').value).toBe(0);
    expect(row(rows, 'turn_taking.early', 'q5').value).toBeNull();
  });

  it('a turn missed at the end of the recording says so', () => {
    const end = scored({ durationMs: 5_000, actions: [{ id: 'q', speechStartMs: 1_000, speechEndMs: 2_000, expect: takeTurn(1000) }], agentBursts: [] });
    expect(row(end, 'turn_taking.latency_ms', 'q').note).toContain('the end of the recording');
  });

  it('is sample-exact off the millisecond grid at 24 kHz', () => {
    const at24k = scored({
      sampleRate: 24_000,
      durationMs: 12_000,
      actions: [
        { id: 'a', speechStartMs: 1_000, speechEndMs: 3_000, expect: takeTurn(1500) },
        { id: 'b', speechStartMs: 6_000, speechEndMs: 8_000.125, expect: takeTurn(1500) },
      ],
      agentBursts: [
        { startMs: 3_230.5, endMs: 5_000 }, // sample 77532
        { startMs: 8_430.25, endMs: 10_000 }, // sample 202326
      ],
    });
    expect(row(at24k, 'turn_taking.latency_ms', 'a').value).toBe(230.5);
    expect(row(at24k, 'turn_taking.latency_ms', 'b').value).toBe(430.125);
  });
});

describe('pause handling', () => {
  const rows = scored({
    family: 'pause',
    durationMs: 12_000,
    actions: [
      {
        id: 'p',
        speechStartMs: 1_000,
        speechEndMs: 8_000,
        pauses: [
          { startMs: 2_500, endMs: 4_000, afterWord: 3 },
          { startMs: 5_000, endMs: 6_500, afterWord: 5 },
          { startMs: 7_000, endMs: 7_600, afterWord: 6 },
        ],
        expect: [{ no_takeover: {} }],
      },
      { id: 'flat', speechStartMs: 9_000, speechEndMs: 10_000, expect: [{ no_takeover: {} }] },
    ],
    agentBursts: [
      { startMs: 2_700, endMs: 3_300 }, // 0.6 s: a backchannel in pause 1
      { startMs: 5_200, endMs: 7_900 }, // 2.7 s: takes over in pause 2 (and runs through pause 3)
      { startMs: 8_300, endMs: 8_900 }, // answers the turn (600 ms: substantive)
    ],
  });

  it('a 0.6 s burst in a pause is a backchannel, not a takeover', () => {
    expect(row(rows, 'pause.takeover', 'p#pause1')).toMatchObject({ value: 0, passed: true });
    expect(row(rows, 'pause.backchannel', 'p#pause1').value).toBe(1);
  });

  it('a 2.7 s burst starting in a pause is a takeover', () => {
    expect(row(rows, 'pause.takeover', 'p#pause2')).toMatchObject({ value: 1, passed: false });
    expect(row(rows, 'pause.backchannel', 'p#pause2').value).toBe(0);
  });

  it('judges each pause by what starts in it', () => {
    expect(row(rows, 'pause.takeover', 'p#pause3')).toMatchObject({ value: 0, passed: true });
    expect(row(rows, 'pause.backchannel', 'p#pause3').value).toBe(0);
  });

  it('an action without pauses cannot be judged: null, failed, reason no_pauses', () => {
    expect(row(rows, 'pause.takeover', 'flat')).toMatchObject({ value: null, passed: false, reason: 'no_pauses' });
    expect(row(rows, 'pause.takeover', 'flat').note).toMatch(/no planted pauses/);
    expect(row(rows, 'pause.verdict', 'flat/no_takeover')).toMatchObject({ value: 0, reason: 'no_pauses' });
  });

  it('one verdict for the expectation: failed, since pause 2 was taken over', () => {
    expect(row(rows, 'pause.verdict', 'p/no_takeover')).toMatchObject({ value: 0, passed: false, expectation: expect.stringContaining('no_takeover') });
  });

  it('a silent agent holds no pause: N/A with reason no_response, and the verdict fails', () => {
    const silent = scored({
      family: 'pause',
      durationMs: 12_000,
      actions: [{ id: 'p', speechStartMs: 1_000, speechEndMs: 8_000, pauses: [{ startMs: 2_500, endMs: 4_000, afterWord: 3 }], expect: [{ no_takeover: {} }] }],
      agentBursts: [],
    });
    expect(row(silent, 'pause.takeover', 'p#pause1')).toMatchObject({ value: null, passed: false, reason: 'no_response' });
    expect(row(silent, 'pause.verdict', 'p/no_takeover')).toMatchObject({ value: 0, reason: 'no_response' });
  });

  it('an agent whose only answer is a 400 ms syllable did not answer: the pause is N/A too', () => {
    const short = scored({
      family: 'pause',
      durationMs: 12_000,
      actions: [{ id: 'p', speechStartMs: 1_000, speechEndMs: 8_000, pauses: [{ startMs: 2_500, endMs: 4_000, afterWord: 3 }], expect: [{ no_takeover: {} }] }],
      agentBursts: [{ startMs: 8_300, endMs: 8_700 }],
    });
    expect(row(short, 'pause.takeover', 'p#pause1')).toMatchObject({ value: null, reason: 'no_response' });
  });
});

describe('backchannel opportunity', () => {
  const rows = scored({
    family: 'backchannel',
    durationMs: 33_000,
    actions: [
      {
        id: 'b',
        speechStartMs: 1_000,
        speechEndMs: 31_000,
        words: [
          { text: 'one', startMs: 1_000, endMs: 2_000 },
          { text: 'two', startMs: 2_200, endMs: 5_000 }, // 200 ms gap at 2000: counts
          { text: 'three', startMs: 5_100, endMs: 10_000 }, // 100 ms gap at 5000: too short
          { text: 'four', startMs: 10_600, endMs: 20_000 }, // the planted pause 10000-10600
          { text: 'five', startMs: 20_000, endMs: 31_000 },
        ],
        pauses: [{ startMs: 10_000, endMs: 10_600, afterWord: 3 }],
        expect: [{ backchannel_opportunity: {} }],
      },
    ],
    agentBursts: [
      { startMs: 2_100, endMs: 2_500 },
      { startMs: 5_050, endMs: 5_400 },
      { startMs: 9_800, endMs: 10_300 },
      { startMs: 15_000, endMs: 17_000 }, // 2 s: a takeover
      { startMs: 25_000, endMs: 25_500 },
      { startMs: 31_500, endMs: 31_900 }, // after the user's speech: not counted
    ],
  });

  it('counts backchannels inside the speech and rates them per minute of speech', () => {
    expect(row(rows, 'backchannel.count', 'b')).toMatchObject({ value: 4, passed: true });
    // 30 s extent minus the 0.6 s pause = 29.4 s of speech.
    expect(row(rows, 'backchannel.rate_per_min', 'b').value).toBeCloseTo(4 / (29_400 / 60_000), 12);
    expect(row(rows, 'backchannel.takeover_count', 'b')).toMatchObject({ value: 1, passed: false });
  });

  it('measures each backchannel against the nearest pause or gap >= 150 ms', () => {
    expect(row(rows, 'backchannel.pause_offset_ms', 'b#bc1').value).toBe(100); // 2100 - 2000
    expect(row(rows, 'backchannel.pause_offset_ms', 'b#bc2').value).toBe(3_050); // the 100 ms gap at 5000 is ignored
    expect(row(rows, 'backchannel.pause_offset_ms', 'b#bc3').value).toBe(-200); // 9800 - 10000: before the pause
    expect(row(rows, 'backchannel.pause_offset_ms', 'b#bc4').value).toBe(15_000);
    expect(rows.has('backchannel.pause_offset_ms@b#bc5')).toBe(false);
  });

  it('no backchannel fails the count and leaves no offsets', () => {
    const none = scored({
      durationMs: 5_000,
      actions: [{ id: 'b', speechStartMs: 1_000, speechEndMs: 4_000, expect: [{ backchannel_opportunity: {} }] }],
      agentBursts: [],
    });
    expect(row(none, 'backchannel.count', 'b')).toMatchObject({ value: 0, passed: false });
    expect(row(none, 'backchannel.rate_per_min', 'b').value).toBe(0);
    expect(row(none, 'backchannel.takeover_count', 'b')).toMatchObject({ value: 0, passed: true });
  });
});

describe('interruption', () => {
  const bargeIn = { id: 'i', speechStartMs: 4_000, speechEndMs: 5_500, expect: [{ stop: { within_ms: 500 } }, { answer: { within_ms: 1000 } }] };

  it('an agent stopping 180 ms after the barge-in, answering 400 ms after it ends', () => {
    const rows = scored({
      family: 'interruption',
      durationMs: 10_000,
      actions: [bargeIn],
      agentBursts: [
        { startMs: 1_000, endMs: 4_180 },
        { startMs: 5_900, endMs: 9_000 },
      ],
    });
    expect(row(rows, 'interruption.stop_latency_ms', 'i')).toMatchObject({ value: 180, passed: true, expectation: 'stop within 500 ms' });
    expect(row(rows, 'interruption.stopped', 'i').value).toBe(1);
    expect(row(rows, 'interruption.answer_latency_ms', 'i')).toMatchObject({ value: 400, passed: true, expectation: 'answer within 1000 ms' });
  });

  it('an answer that starts after the stop but before the user finishes is negative', () => {
    const rows = scored({
      durationMs: 10_000,
      actions: [bargeIn],
      agentBursts: [
        { startMs: 1_000, endMs: 4_180 },
        { startMs: 5_200, endMs: 8_000 },
      ],
    });
    expect(row(rows, 'interruption.answer_latency_ms', 'i').value).toBe(-300);
  });

  it('an agent not speaking at barge-in: nothing stopped, and that counts (stopped 0, verdict failed)', () => {
    const rows = scored({
      durationMs: 10_000,
      actions: [bargeIn],
      agentBursts: [
        { startMs: 1_000, endMs: 3_000 },
        { startMs: 6_000, endMs: 8_000 },
      ],
    });
    expect(row(rows, 'interruption.stop_latency_ms', 'i')).toMatchObject({
      value: null,
      passed: false,
      reason: 'agent_silent_at_onset',
      note: 'agent was not speaking at barge-in',
    });
    expect(row(rows, 'interruption.stopped', 'i')).toMatchObject({ value: 0, reason: 'agent_silent_at_onset' });
    expect(row(rows, 'interruption.verdict', 'i/stop')).toMatchObject({ value: 0, reason: 'agent_silent_at_onset' });
    expect(row(rows, 'interruption.answer_latency_ms', 'i').value).toBe(500);
    expect(row(rows, 'interruption.verdict', 'i/answer')).toMatchObject({ value: 1, passed: true });
  });

  it('an agent that never stops: the stop latency is a lower bound, not stopped, no answer', () => {
    const rows = scored({ durationMs: 10_000, actions: [bargeIn], agentBursts: [{ startMs: 1_000, endMs: 10_000 }] });
    expect(row(rows, 'interruption.stop_latency_ms', 'i')).toMatchObject({ value: 6_000, passed: false });
    expect(row(rows, 'interruption.stop_latency_ms', 'i').note).toMatch(/lower bound/);
    expect(row(rows, 'interruption.stopped', 'i').value).toBe(0);
    expect(row(rows, 'interruption.answer_latency_ms', 'i')).toMatchObject({ value: null, passed: false });
  });

  it('a dip shorter than the 300 ms merge gap is not a stop', () => {
    const rows = scored({
      durationMs: 10_000,
      actions: [bargeIn],
      agentBursts: [
        { startMs: 1_000, endMs: 4_180 },
        { startMs: 4_430, endMs: 6_000 },
      ],
    });
    expect(row(rows, 'interruption.stop_latency_ms', 'i').value).toBe(2_000);
  });
});

describe('user backchannel', () => {
  const mmHmm = { id: 'u', kind: 'backchannel' as const, speechStartMs: 3_000, speechEndMs: 3_400, expect: [{ keep_talking: {} }] };

  it('an agent that keeps talking through "mm-hmm"', () => {
    const rows = scored({ family: 'user_backchannel', durationMs: 10_000, actions: [mmHmm], agentBursts: [{ startMs: 1_000, endMs: 9_000 }] });
    expect(row(rows, 'user_backchannel.false_stop', 'u')).toMatchObject({ value: 0, passed: null });
    expect(row(rows, 'user_backchannel.false_stop_strict', 'u')).toMatchObject({ value: 0, passed: true });
    expect(row(rows, 'user_backchannel.dip_ms', 'u').value).toBe(0);
    expect(row(rows, 'user_backchannel.continued_ms', 'u').value).toBe(6_000);
    expect(row(rows, 'user_backchannel.verdict', 'u/keep_talking')).toMatchObject({ value: 1, passed: true });
  });

  it('a 250 ms drop-out on "mm-hmm" passes the 300 ms ear, fails the strict one, and dip_ms is 250', () => {
    const rows = scored({
      durationMs: 10_000,
      actions: [mmHmm],
      agentBursts: [
        { startMs: 1_000, endMs: 3_040 },
        { startMs: 3_290, endMs: 9_000 },
      ],
    });
    expect(row(rows, 'user_backchannel.false_stop', 'u').value).toBe(0);
    expect(row(rows, 'user_backchannel.false_stop_strict', 'u')).toMatchObject({ value: 1, passed: false });
    expect(row(rows, 'user_backchannel.dip_ms', 'u').value).toBe(250);
    expect(row(rows, 'user_backchannel.verdict', 'u/keep_talking').value).toBe(0);
  });

  it('a 150 ms gap is fluent speech under both ears', () => {
    const rows = scored({
      durationMs: 10_000,
      actions: [mmHmm],
      agentBursts: [
        { startMs: 1_000, endMs: 3_100 },
        { startMs: 3_250, endMs: 9_000 },
      ],
    });
    expect(row(rows, 'user_backchannel.false_stop_strict', 'u').value).toBe(0);
    expect(row(rows, 'user_backchannel.dip_ms', 'u').value).toBe(150);
  });

  it('an agent that stops on "mm-hmm" (and resumes later) made a false stop', () => {
    const rows = scored({
      durationMs: 10_000,
      actions: [mmHmm],
      agentBursts: [
        { startMs: 1_000, endMs: 3_900 },
        { startMs: 4_500, endMs: 9_000 },
      ],
    });
    expect(row(rows, 'user_backchannel.false_stop', 'u').value).toBe(1);
    expect(row(rows, 'user_backchannel.false_stop_strict', 'u')).toMatchObject({ value: 1, passed: false });
    expect(row(rows, 'user_backchannel.dip_ms', 'u').value).toBe(600);
    expect(row(rows, 'user_backchannel.continued_ms', 'u').value).toBe(900);
  });

  it('a stop 1000 ms or more after the backchannel ends is not a false stop', () => {
    const rows = scored({ durationMs: 10_000, actions: [mmHmm], agentBursts: [{ startMs: 1_000, endMs: 4_400 }] });
    expect(row(rows, 'user_backchannel.false_stop', 'u').value).toBe(0);
    const early = scored({ durationMs: 10_000, actions: [mmHmm], agentBursts: [{ startMs: 1_000, endMs: 4_399 }] });
    expect(row(early, 'user_backchannel.false_stop', 'u').value).toBe(1);
  });

  it('an agent silent at the backchannel did not keep talking: counted as a false stop with its reason', () => {
    const rows = scored({ durationMs: 10_000, actions: [mmHmm], agentBursts: [{ startMs: 4_000, endMs: 9_000 }] });
    expect(row(rows, 'user_backchannel.false_stop', 'u')).toMatchObject({ value: 1, reason: 'agent_silent_at_onset' });
    expect(row(rows, 'user_backchannel.false_stop_strict', 'u')).toMatchObject({ value: 1, passed: false, reason: 'agent_silent_at_onset' });
    expect(row(rows, 'user_backchannel.false_stop', 'u').note).toMatch(/not speaking/);
    expect(row(rows, 'user_backchannel.dip_ms', 'u')).toMatchObject({ value: null, reason: 'agent_silent_at_onset' });
  });
});

describe('score', () => {
  it('returns user and agent segments in time order', () => {
    const result = score(
      buildRecording({
        durationMs: 8_000,
        actions: [{ id: 'q', speechStartMs: 1_000, speechEndMs: 3_000, pauses: [{ startMs: 1_500, endMs: 2_000, afterWord: 1 }], expect: takeTurn(1000) }],
        agentBursts: [
          { startMs: 3_300, endMs: 3_900 },
          { startMs: 4_500, endMs: 6_000 },
        ],
      }),
    );
    expect(result.segments).toEqual([
      { channel: 'user', startMs: 1_000, endMs: 1_500, kind: 'speech' },
      { channel: 'user', startMs: 1_500, endMs: 2_000, kind: 'pause' },
      { channel: 'user', startMs: 2_000, endMs: 3_000, kind: 'speech' },
      { channel: 'agent', startMs: 3_300, endMs: 3_900, kind: 'backchannel' },
      { channel: 'agent', startMs: 4_500, endMs: 6_000, kind: 'speech' },
    ]);
  });

  it("emits only registered metrics, with the registry's family and unit", () => {
    const result = score(
      buildRecording({
        durationMs: 10_000,
        actions: [
          {
            id: 'a',
            speechStartMs: 500,
            speechEndMs: 2_000,
            pauses: [{ startMs: 1_000, endMs: 1_300, afterWord: 1 }],
            expect: [...takeTurn(900), { no_takeover: {} }, { backchannel_opportunity: {} }],
          },
          { id: 'b', speechStartMs: 3_000, speechEndMs: 3_500, expect: [{ stop: { within_ms: 300 } }, { answer: { within_ms: 300 } }] },
          { id: 'c', kind: 'backchannel', speechStartMs: 5_000, speechEndMs: 5_300, expect: [{ keep_talking: {} }] },
        ],
        agentBursts: [
          { startMs: 1_100, endMs: 1_250 },
          { startMs: 2_200, endMs: 7_000 },
        ],
      }),
    );
    expect(new Set(result.metrics.map((m) => m.family))).toEqual(
      new Set(['turn_taking', 'pause', 'backchannel', 'interruption', 'user_backchannel', 'interaction']),
    );
    for (const m of result.metrics) {
      const def = metricDefinition(m.name);
      expect(def, m.name).toBeDefined();
      expect([m.family, m.unit]).toEqual([def!.family, def!.unit]);
    }
  });

  it('rejects an inconsistent event log with an InputError naming the action', () => {
    const recording = buildRecording({ durationMs: 2_000, actions: [{ id: 'bad', speechStartMs: 1_000, speechEndMs: 900 }], agentBursts: [] });
    expect(() => score(recording)).toThrow(InputError);
    expect(() => score(recording)).toThrow(/"bad"/);
  });
});
