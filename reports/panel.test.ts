/**
 * Known answers for the interaction panel: planted agents with exact yield and selectivity
 * behaviour, scored by the real scorer, summarized by the panel; content-free agents win nothing.
 */
import { describe, expect, it } from 'vitest';
import { score } from '../harness/scoring/score.ts';
import { buildRecording, type SyntheticAction } from '../harness/scoring/testing/synthetic-recording.ts';
import { computePanel, fdbAverageText, panelFdbAverage, PANEL, PANEL_METRICS, type PanelFigure, type PanelRow } from './panel.ts';
import { metricDefinition } from '../harness/metrics/registry.ts';

const ASK: SyntheticAction = { id: 'ask', speechStartMs: 500, speechEndMs: 2000, expect: [{ take_turn: { within_ms: 2000 } }] };
const BARGE: SyntheticAction = {
  id: 'barge',
  speechStartMs: 5000,
  speechEndMs: 6000,
  expect: [{ stop: { within_ms: 1500 } }, { answer: { within_ms: 2500 } }],
};
const BACKCHANNEL: SyntheticAction = { id: 'bc', kind: 'backchannel', speechStartMs: 4000, speechEndMs: 4300, expect: [{ keep_talking: {} }] };

type Bursts = { startMs: number; endMs: number }[];

/** The panel rows of sessions, each scored from its planted agent. */
function rowsOf(sessions: { actions: SyntheticAction[]; agent: Bursts }[]): PanelRow[] {
  return sessions.flatMap(({ actions, agent }, i) =>
    score(buildRecording({ durationMs: 10_000, actions, agentBursts: agent, seed: i + 1 }))
      .metrics.filter((m) => PANEL_METRICS.includes(m.name))
      .map((m) => ({ name: m.name, subject: m.subject, value: m.value, reason: m.reason ?? null })),
  );
}

const figure = (figures: PanelFigure[], id: string) => figures.find((f) => f.entry.id === id)!;

const YIELDS: Bursts = [
  { startMs: 2400, endMs: 5400 },
  { startMs: 6500, endMs: 8500 },
];
const TALKS_ON: Bursts = [{ startMs: 2400, endMs: 9000 }];
const STOPS_FOR_BACKCHANNEL: Bursts = [
  { startMs: 2400, endMs: 4500 },
  { startMs: 5600, endMs: 8000 },
];

describe('interaction panel', () => {
  it('every source metric is registered', () => {
    for (const name of PANEL_METRICS.filter((n) => !n.startsWith('vocal_tics.'))) expect(metricDefinition(name), name).toBeDefined();
  });

  it('yield rate 9/12 and backchannel selectivity 5/7 (flagged small), with the failures by reason', () => {
    const barges = [...Array(9).fill(YIELDS), ...Array(3).fill(TALKS_ON)].map((agent) => ({ actions: [ASK, BARGE], agent }));
    const backchannels = [...Array(5).fill(TALKS_ON), ...Array(2).fill(STOPS_FOR_BACKCHANNEL)].map((agent) => ({ actions: [ASK, BACKCHANNEL], agent }));
    const figures = computePanel(rowsOf([...barges, ...backchannels]));

    const yieldRate = figure(figures, 'yield_rate');
    expect([yieldRate.count, yieldRate.value, yieldRate.small]).toEqual([12, 0.75, false]);
    const yieldLatency = figure(figures, 'yield_latency');
    expect(yieldLatency.count).toBe(12);
    expect(yieldLatency.value).toBeCloseTo(400, -1);

    const selectivity = figure(figures, 'selectivity_backchannel');
    expect([selectivity.count, selectivity.small]).toEqual([7, true]);
    expect(selectivity.value).toBeCloseTo(5 / 7, 9);
    expect(Object.values(selectivity.reasons).reduce((a, b) => a + b, 0)).toBe(0); // a false stop is a 0 without an N/A reason

    // Every ask was answered; the 9 yielders answered the barge-in too, the 3 talkers did not (talked over it).
    const response = figure(figures, 'response_rate');
    expect(response.count).toBe(12 + 12 + 7);
    expect(response.value).toBeCloseTo((19 + 9) / 31, 9);
    expect(figure(figures, 'selectivity_side_talk').count).toBe(0);
  });

  it('a silent agent wins nothing: no response, no yield (agent_silent_at_onset), no selectivity, all dead air', () => {
    const silent = [...Array(3).fill({ actions: [ASK, BARGE], agent: [] }), { actions: [ASK, BACKCHANNEL], agent: [] }];
    const figures = computePanel(rowsOf(silent));
    expect(figure(figures, 'response_rate').value).toBe(0);
    expect(figure(figures, 'yield_rate').value).toBe(0);
    expect(figure(figures, 'yield_rate').reasons).toEqual({ agent_silent_at_onset: 3 });
    expect(figure(figures, 'selectivity_backchannel').value).toBe(0);
    expect(figure(figures, 'dead_air_ratio').value).toBeGreaterThan(0.5);
    // Per barge-in session: 3000 ms owed after the ask (not over 3 s) and 4000 ms after the barge-in (over).
    expect(figure(figures, 'dead_air_long_gaps').value).toBe(3);
  });

  it('the FD-bench v1.5-style average needs all four families and shows its counts', () => {
    const rows: PanelRow[] = [
      { name: 'interruption.verdict', subject: 'barge/answer', value: 1, reason: null },
      { name: 'interruption.verdict', subject: 'barge/stop', value: 1, reason: null },
      { name: 'user_backchannel.verdict', subject: 'bc/keep_talking', value: 0, reason: null },
    ];
    const partial = panelFdbAverage(rows);
    expect(partial.published).toBeNull();
    expect(fdbAverageText(partial)).toBe('– (needs all four; none in side_talk, background): interruption 1/1*, backchannel 0/1*, side_talk –, background –');
    const full = panelFdbAverage([
      ...rows,
      { name: 'side_talk.verdict', subject: 'aside/ignore', value: 1, reason: null },
      { name: 'background.verdict', subject: 'bg/ignore', value: 1, reason: null },
    ]);
    expect(full.published).toBe(75);
    // Answering in time without having stopped is no response to the barge-in.
    const talkedOn = rows.map((r) => (r.subject === 'barge/stop' ? { ...r, value: 0 } : r));
    expect(fdbAverageText(panelFdbAverage(talkedOn))).toMatch(/interruption 0\/1\*/);
  });

  it('documents every entry: definition, denominator and peer', () => {
    for (const e of PANEL) {
      expect(e.definition.length, e.id).toBeGreaterThan(30);
      expect(e.denominator.length, e.id).toBeGreaterThan(3);
      expect(e.peer.length, e.id).toBeGreaterThan(3);
    }
  });
});
