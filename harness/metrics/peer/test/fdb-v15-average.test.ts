import { describe, expect, it } from 'vitest';
import { fdbV15Average, fdbV15AverageFromRows, fdbV15Counts, type FdbV15Counts, type VerdictRowLike } from '../fdb-v15-average.ts';

/**
 * FDB v1.5's published desired-behaviour rates (two decimals), per scenario: interruption
 * C_RESPOND, backchannel / talking to others / background speech C_RESUME. Not read from the
 * paper itself (its result table was not in the stored material): Moshi and GPT-4o are quoted
 * as "taken directly from the original Full-Duplex-Bench v1.5 paper" in Realtime-Venus
 * (arXiv 2609.13814) Table 6, which also gives Freeze-Omni's row; all five rows, Gemini Live
 * and Nova Sonic included, are in dan-ince-aai/fdb-assemblyai report/FDB_REPORT.md ("Comparison
 * vs FDB paper Table 2"). Expected averages: the issue's 77.5 / 63.8 / 50.5 / 38.5 / 20.5.
 */
const PAPER_ROWS: [model: string, rates: [number, number, number, number], published: number][] = [
  ['Nova Sonic', [0.24, 0.98, 0.9, 0.98], 77.5],
  ['Gemini Live', [0.33, 0.93, 0.99, 0.3], 63.8],
  ['Freeze-Omni', [0.72, 0.8, 0.25, 0.25], 50.5],
  ['GPT-4o Realtime', [0.78, 0.7, 0.02, 0.04], 38.5],
  ['Moshi', [0.5, 0.06, 0.19, 0.07], 20.5],
];

/** A published rate as a count out of 100 (the sample counts behind it are not published). */
const per100 = (r: number) => ({ passed: Math.round(r * 100), total: 100 });
const counts = ([a, b, c, d]: [number, number, number, number]): FdbV15Counts => ({
  interruption: per100(a),
  backchannel: per100(b),
  side_talk: per100(c),
  background: per100(d),
});

describe('FD-bench v1.5 average (peer rule)', () => {
  it.each(PAPER_ROWS)('reproduces the published average of %s from its four rates', (_model, rates, published) => {
    const r = fdbV15Average(counts(rates));
    expect(r.published).toBe(published);
    expect(r.average).toBeCloseTo((100 * rates.reduce((s, x) => s + x, 0)) / 4, 10);
    expect(r.rates).toEqual({ interruption: rates[0], backchannel: rates[1], side_talk: rates[2], background: rates[3] });
  });

  it('rounds the exact fraction half-up: Gemini Live is 63.75, which binary arithmetic makes 63.7499...', () => {
    const r = fdbV15Average(counts([0.33, 0.93, 0.99, 0.3]));
    expect(r.average).toBeLessThan(63.75);
    expect(Math.round((r.average as number) * 10) / 10).toBe(63.7);
    expect(r.published).toBe(63.8);
  });

  it('weighs the four scenarios equally whatever their counts', () => {
    const r = fdbV15Average({
      interruption: { passed: 200, total: 200 },
      backchannel: { passed: 0, total: 1 },
      side_talk: { passed: 1, total: 2 },
      background: { passed: 3, total: 4 },
    });
    expect(r.average).toBe(56.25);
    expect(r.published).toBe(56.3);
    expect(r.counts.interruption).toEqual({ passed: 200, total: 200 });
  });

  it('is null, with the reason, when a scenario has no expectation', () => {
    const r = fdbV15Average({
      interruption: { passed: 3, total: 4 },
      backchannel: { passed: 0, total: 0 },
      side_talk: { passed: 2, total: 2 },
      background: { passed: 0, total: 0 },
    });
    expect(r.average).toBeNull();
    expect(r.published).toBeNull();
    expect(r.reason).toMatch(/backchannel \(user_backchannel\.verdict \/keep_talking\), background \(background\.verdict \/ignore\)/);
    expect(r.rates).toEqual({ interruption: 0.75, backchannel: null, side_talk: 1, background: null });
  });

  it('refuses counts that are not counts', () => {
    const ok = { passed: 1, total: 1 };
    expect(() => fdbV15Average({ interruption: { passed: 2, total: 1 }, backchannel: ok, side_talk: ok, background: ok })).toThrow(/interruption/);
    expect(() => fdbV15Average({ interruption: ok, backchannel: { passed: 0.5, total: 1 }, side_talk: ok, background: ok })).toThrow(/backchannel/);
  });
});

describe('counts from stored rows', () => {
  const row = (name: string, subject: string, value: number | null): VerdictRowLike => ({ name, subject, value });
  const rows: VerdictRowLike[] = [
    row('interruption.verdict', 'barge1/answer', 1),
    row('interruption.verdict', 'barge2/answer', 0),
    row('interruption.verdict', 'barge1/stop', 1), // needed with the answer: talking on is no response to a barge-in
    row('interruption.verdict', 'barge3/answer', 1),
    row('interruption.verdict', 'barge3/stop', 0), // answered in time, but never stopped: not counted as a response
    row('interruption.stopped', 'barge1', 1), // not a verdict
    row('interruption.answer_latency_ms', 'barge1', 640),
    row('user_backchannel.verdict', 'bc1/keep_talking', 1),
    row('user_backchannel.verdict', 'bc2/keep_talking', 1),
    row('user_backchannel.false_stop_strict', 'bc1', 0),
    row('side_talk.verdict', 'aside/ignore', 0),
    row('side_talk.false_response', 'aside', 1),
    row('background.verdict', 'tv/ignore', 1),
    row('background.verdict', 'babble/ignore', null), // broken: counted as a failure, tallied
    row('background.latency_degradation_ms', 'q2', 310),
    row('turn_taking.verdict', 'q1/take_turn', 1),
    row('pause.verdict', 'q1#pause1/no_takeover', 1),
  ];

  it('counts the four families, ignores other metrics and kinds, and keeps a null in the denominator', () => {
    expect(fdbV15Counts(rows)).toEqual({
      interruption: { passed: 1, total: 3 },
      backchannel: { passed: 2, total: 2 },
      side_talk: { passed: 0, total: 1 },
      background: { passed: 1, total: 2 },
      nulls: 1,
    });
  });

  it('feeds the average', () => {
    const r = fdbV15AverageFromRows(rows);
    // (1/3 + 2/2 + 0/1 + 1/2) / 4
    expect(r.average).toBeCloseTo(45.8333, 3);
    expect(r.published).toBe(45.8);
    expect(r.nulls).toBe(1);
  });

  it('gives a null average when a family has no rows', () => {
    const r = fdbV15AverageFromRows(rows.filter((x) => !x.name.startsWith('side_talk.')));
    expect(r.average).toBeNull();
    expect(r.counts.side_talk).toEqual({ passed: 0, total: 0 });
    expect(r.reason).toMatch(/side_talk \(side_talk\.verdict \/ignore\)/);
    expect(fdbV15AverageFromRows([]).average).toBeNull();
  });

  it('throws on a verdict value that is not 0, 1 or null', () => {
    expect(() => fdbV15Counts([row('side_talk.verdict', 'aside/ignore', 0.5)])).toThrow(/0 or 1/);
  });
});
