/**
 * Known answers for the vocal_tics family on synthetic recordings (planted agent speech, planted
 * truth): a tic inside a turn (no_takeover over its hesitation), a tic of its own while the
 * agent talks (keep_talking) and in a silence (ignore), and the routing of each to
 * `vocal_tics.verdict`, played or not.
 */
import { describe, expect, it } from 'vitest';
import type { Action } from '../scenario/schema.ts';
import { score } from '../scoring/score.ts';
import { buildRecording, type SyntheticAction, type SyntheticRecordingSpec } from '../scoring/testing/synthetic-recording.ts';
import type { MetricValue } from '../scoring/types.ts';

const rowsOf = (spec: Omit<SyntheticRecordingSpec, 'family'>) => score(buildRecording({ family: 'vocal_tics', ...spec })).metrics;
function row(rows: MetricValue[], name: string, subject: string): MetricValue {
  const r = rows.find((m) => m.name === name && m.subject === subject);
  if (!r) throw new Error(`no row ${name}@${subject}; have ${rows.map((m) => `${m.name}@${m.subject}`).join(', ')}`);
  return r;
}

/** A turn 1-6.2 s with a hesitation 3-4.6 s around a cough at 3.2-3.6 s. */
const ticTurn: SyntheticAction = {
  id: 'ask',
  speechStartMs: 1_000,
  speechEndMs: 6_200,
  pauses: [{ startMs: 3_000, endMs: 4_600, afterWord: 4 }],
  tics: [{ startMs: 3_200, endMs: 3_600, sound: 'cough' }],
  expect: [{ take_turn: { within_ms: 2000 } }, { no_takeover: {} }],
};
const answer = { startMs: 6_600, endMs: 9_000 };

describe('a tic inside the turn: no_takeover over its hesitation, judged in vocal_tics', () => {
  it('waiting through the hesitation and answering the turn passes', () => {
    const rows = rowsOf({ durationMs: 11_000, actions: [ticTurn], agentBursts: [answer] });
    expect(row(rows, 'vocal_tics.takeover', 'ask#tic1')).toMatchObject({ value: 0, passed: true });
    expect(row(rows, 'vocal_tics.verdict', 'ask/no_takeover')).toMatchObject({ value: 1 });
    expect(rows.some((m) => m.name.startsWith('pause.'))).toBe(false);
  });

  it('taking the floor in the hesitation (during the tic or after it) fails', () => {
    for (const startMs of [3_400, 4_000]) {
      const rows = rowsOf({ durationMs: 11_000, actions: [ticTurn], agentBursts: [{ startMs, endMs: startMs + 1_500 }, answer] });
      expect(row(rows, 'vocal_tics.takeover', 'ask#tic1')).toMatchObject({ value: 1, passed: false });
      expect(row(rows, 'vocal_tics.verdict', 'ask/no_takeover')).toMatchObject({ value: 0 });
    }
  });

  it('an "mm-hmm" in the hesitation is a backchannel, not a takeover', () => {
    const rows = rowsOf({ durationMs: 11_000, actions: [ticTurn], agentBursts: [{ startMs: 3_900, endMs: 4_400 }, answer] });
    expect(row(rows, 'vocal_tics.backchannel', 'ask#tic1').value).toBe(1);
    expect(row(rows, 'vocal_tics.verdict', 'ask/no_takeover').value).toBe(1);
  });

  it('a silent agent holds nothing (no_response); a plain pause beside the tic keeps its pause rows', () => {
    const silent = rowsOf({ durationMs: 11_000, actions: [ticTurn], agentBursts: [] });
    expect(row(silent, 'vocal_tics.verdict', 'ask/no_takeover')).toMatchObject({ value: 0, reason: 'no_response' });
    const both = { ...ticTurn, pauses: [{ startMs: 2_000, endMs: 2_600, afterWord: 2 }, ...ticTurn.pauses!] };
    const rows = rowsOf({ durationMs: 11_000, actions: [both], agentBursts: [{ startMs: 2_100, endMs: 3_500 }, answer] });
    expect(row(rows, 'pause.takeover', 'ask#pause1')).toMatchObject({ value: 1, passed: false });
    expect(row(rows, 'vocal_tics.takeover', 'ask#tic1')).toMatchObject({ value: 0, passed: true });
    expect(row(rows, 'vocal_tics.verdict', 'ask/no_takeover')).toMatchObject({ value: 0 });
    expect(rows.some((m) => m.name === 'pause.verdict')).toBe(false);
  });
});

const question: SyntheticAction = { id: 'ask', speechStartMs: 500, speechEndMs: 2_000, expect: [{ take_turn: { within_ms: 2000 } }] };
/** A 400 ms cough of its own, by default at 4 s. */
const tic = (expectation: 'keep_talking' | 'ignore', atMs = 4_000): SyntheticAction => ({
  id: 'tic',
  kind: 'vocal_tic',
  speechStartMs: atMs,
  speechEndMs: atMs + 400,
  expect: [{ [expectation]: {} }],
});

describe('a tic while the agent talks (keep_talking): tau-voice errs on a yield within 1 s; crosstalk on any stop or drop-out of 200 ms until 1 s after the tic', () => {
  it('talking through passes', () => {
    const rows = rowsOf({ durationMs: 10_000, actions: [question, tic('keep_talking')], agentBursts: [{ startMs: 2_400, endMs: 8_000 }] });
    expect(row(rows, 'vocal_tics.false_stop', 'tic')).toMatchObject({ value: 0, passed: true });
    expect(row(rows, 'vocal_tics.dip_ms', 'tic').value).toBe(0);
    expect(row(rows, 'vocal_tics.verdict', 'tic/keep_talking').value).toBe(1);
  });

  it('stopping within 1 s fails; so does a 250 ms drop-out that the 300 ms ear would merge', () => {
    const stops = rowsOf({ durationMs: 10_000, actions: [question, tic('keep_talking')], agentBursts: [{ startMs: 2_400, endMs: 4_300 }] });
    expect(row(stops, 'vocal_tics.verdict', 'tic/keep_talking')).toMatchObject({ value: 0 });
    expect(row(stops, 'vocal_tics.false_stop', 'tic').value).toBe(1);
    const dips = rowsOf({
      durationMs: 10_000,
      actions: [question, tic('keep_talking')],
      agentBursts: [
        { startMs: 2_400, endMs: 4_200 },
        { startMs: 4_450, endMs: 8_000 },
      ],
    });
    expect(row(dips, 'vocal_tics.false_stop', 'tic').value).toBe(1);
    expect(row(dips, 'vocal_tics.dip_ms', 'tic').value).toBeCloseTo(250, -1);
    expect(row(dips, 'vocal_tics.verdict', 'tic/keep_talking').value).toBe(0);
  });

  it('an agent silent at the tic gets no pass (agent_silent_at_onset)', () => {
    const rows = rowsOf({ durationMs: 10_000, actions: [question, tic('keep_talking')], agentBursts: [{ startMs: 2_400, endMs: 3_500 }] });
    expect(row(rows, 'vocal_tics.false_stop', 'tic')).toMatchObject({ value: 1, passed: false, reason: 'agent_silent_at_onset' });
    expect(row(rows, 'vocal_tics.verdict', 'tic/keep_talking')).toMatchObject({ value: 0, reason: 'agent_silent_at_onset' });
  });
});

describe('a tic in a silence (ignore): tau-voice errs on a response within 2 s; crosstalk on any onset until 1.5 s after the tic', () => {
  const answered = { startMs: 2_400, endMs: 3_500 };
  it('staying quiet after answering the turn passes; a stop is not judged (nothing to stop)', () => {
    const rows = rowsOf({ durationMs: 10_000, actions: [question, tic('ignore')], agentBursts: [answered] });
    expect(row(rows, 'vocal_tics.false_response', 'tic')).toMatchObject({ value: 0, passed: true });
    expect(row(rows, 'vocal_tics.false_stop', 'tic')).toMatchObject({ value: null, passed: null, reason: 'agent_silent_at_onset' });
    expect(row(rows, 'vocal_tics.verdict', 'tic/ignore').value).toBe(1);
  });

  it('answering the tic fails, up to 1.5 s after its end (onsets within 3 s of the question answer it instead)', () => {
    for (const startMs of [5_600, 6_800]) {
      const rows = rowsOf({ durationMs: 10_000, actions: [question, tic('ignore', 5_000)], agentBursts: [answered, { startMs, endMs: startMs + 1_200 }] });
      expect(row(rows, 'vocal_tics.false_response', 'tic')).toMatchObject({ value: 1, passed: false });
      expect(row(rows, 'vocal_tics.verdict', 'tic/ignore').value).toBe(0);
    }
  });

  it('an agent that never answers anything proves nothing by ignoring (no_response)', () => {
    const rows = rowsOf({ durationMs: 10_000, actions: [question, tic('ignore')], agentBursts: [] });
    expect(row(rows, 'vocal_tics.verdict', 'tic/ignore')).toMatchObject({ value: 0, reason: 'no_response' });
  });

  it('ignore on a tic that finds the agent talking: a stop fails it as keep_talking would', () => {
    const through = rowsOf({ durationMs: 10_000, actions: [question, tic('ignore')], agentBursts: [{ startMs: 2_400, endMs: 8_000 }] });
    expect(row(through, 'vocal_tics.verdict', 'tic/ignore').value).toBe(1);
    const stops = rowsOf({ durationMs: 10_000, actions: [question, tic('ignore')], agentBursts: [{ startMs: 2_400, endMs: 4_300 }] });
    expect(row(stops, 'vocal_tics.false_stop', 'tic')).toMatchObject({ value: 1, passed: false });
    expect(row(stops, 'vocal_tics.verdict', 'tic/ignore').value).toBe(0);
  });
});

describe('routing when the action was never played', () => {
  it('a skipped tic and a turn with tics that never came fail their vocal_tics verdicts', () => {
    const skippedTic: Action = {
      id: 'tic',
      after: { event: 'agent_speech_start', delay_ms: 2000 },
      vocal_tic: { sound: 'laugh' },
      expect: [{ keep_talking: {} }, { ignore: {} }],
    };
    const unreached: Action = {
      id: 'late',
      at_ms: 60_000,
      speak: { text: 'so I was wondering', tics: [{ after_word: 2, sound: 'um' }] },
      expect: [{ no_takeover: {} }],
    };
    const rows = rowsOf({
      durationMs: 5_000,
      actions: [],
      agentBursts: [],
      unplaced: [{ action: skippedTic, skippedReason: 'trigger agent_speech_start did not happen' }, { action: unreached }],
    });
    expect(row(rows, 'vocal_tics.verdict', 'tic/keep_talking')).toMatchObject({ value: 0, reason: 'trigger_missed' });
    expect(row(rows, 'vocal_tics.false_stop', 'tic')).toMatchObject({ value: null, reason: 'trigger_missed' });
    expect(row(rows, 'vocal_tics.false_response', 'tic')).toMatchObject({ value: null, reason: 'trigger_missed' });
    expect(row(rows, 'vocal_tics.verdict', 'late/no_takeover')).toMatchObject({ value: 0, reason: 'not_played' });
    expect(row(rows, 'vocal_tics.takeover', 'late')).toMatchObject({ value: null, reason: 'not_played' });
  });
});
