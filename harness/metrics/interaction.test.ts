/**
 * Known answers for the interaction rows: planted agents whose responses, interruptions and
 * silences are set to the millisecond, and content-free agents that must not win them.
 */
import { describe, expect, it } from 'vitest';
import { score } from '../scoring/score.ts';
import { buildRecording, writeSquareBurst, type SyntheticAction } from '../scoring/testing/synthetic-recording.ts';
import { msToSamples } from '../audio/units.ts';
import type { MetricValue } from '../scoring/types.ts';

const turn = (
  id: string,
  speechStartMs: number,
  speechEndMs: number,
  expect: SyntheticAction['expect'] = [{ take_turn: { within_ms: 2000 } }],
): SyntheticAction => ({ id, speechStartMs, speechEndMs, expect });

function rowsOf(spec: Parameters<typeof buildRecording>[0]): MetricValue[] {
  return score(buildRecording(spec)).metrics.filter((m) => m.family === 'interaction');
}

const one = (rows: MetricValue[], name: string, subject?: string) => {
  const found = rows.filter((r) => r.name === name && (subject === undefined || r.subject === subject));
  expect(found, `${name}@${subject}`).toHaveLength(1);
  return found[0];
};

/** Frame-level tolerance of the detector's edges, ms. */
const EDGE_MS = 10;

describe('interaction rows', () => {
  it('an agent that answers 430 ms after the turn end: responded, 430 ms of dead air, no interruption', () => {
    const rows = rowsOf({ durationMs: 8000, actions: [turn('q', 500, 2500)], agentBursts: [{ startMs: 2930, endMs: 5000 }] });
    expect(one(rows, 'interaction.responded', 'q/take_turn').value).toBe(1);
    expect(one(rows, 'interaction.response_latency_ms', 'q/take_turn').value).toBeCloseTo(430, -1);
    expect(one(rows, 'interaction.agent_interruptions', 'q').value).toBe(0);
    expect(one(rows, 'interaction.dead_air_longest_ms').value).toBeCloseTo(430, -1);
    expect(Math.abs(one(rows, 'interaction.dead_air_ratio').value! - 430 / 8000)).toBeLessThan(EDGE_MS / 8000);
    expect(one(rows, 'interaction.dead_air_long_gaps').value).toBe(0);
  });

  it('a silent agent: not responded (no_response), and all the time it owed is dead air', () => {
    const rows = rowsOf({ durationMs: 9000, actions: [turn('q', 500, 2500)], agentBursts: [] });
    const responded = one(rows, 'interaction.responded', 'q/take_turn');
    expect(responded.value).toBe(0);
    expect(responded.reason).toBe('no_response');
    expect(one(rows, 'interaction.dead_air_longest_ms').value).toBe(6500);
    expect(one(rows, 'interaction.dead_air_long_gaps').value).toBe(1);
    expect(one(rows, 'interaction.dead_air_ratio').value).toBeCloseTo(6500 / 9000, 6);
  });

  it('a buzz or noise blips in place of an answer are no response: the silence stays dead air', () => {
    const rec = buildRecording({ durationMs: 9000, actions: [turn('q', 500, 2500)], agentBursts: [] });
    for (let t = 2900; t < 8000; t += 700) writeSquareBurst(rec.agent, msToSamples(t, rec.sampleRate), msToSamples(t + 400, rec.sampleRate), 8000, 64);
    const rows = score(rec).metrics.filter((m) => m.family === 'interaction');
    expect(one(rows, 'interaction.responded', 'q/take_turn').value).toBe(0);
    expect(one(rows, 'interaction.dead_air_longest_ms').value).toBe(6500);
  });

  it('an agent that starts 1 s into a 4 s turn and talks on: one interruption, the turn not answered (talked_over)', () => {
    const rows = rowsOf({ durationMs: 10_000, actions: [turn('q', 500, 4500)], agentBursts: [{ startMs: 1500, endMs: 7000 }] });
    expect(one(rows, 'interaction.agent_interruptions', 'q').value).toBe(1);
    const responded = one(rows, 'interaction.responded', 'q/take_turn');
    expect(responded.value).toBe(0);
    expect(responded.reason).toBe('talked_over');
    // Its onset, 3 s before the turn ended, is no response latency.
    expect(one(rows, 'interaction.response_latency_ms', 'q/take_turn')).toMatchObject({ value: null, reason: 'talked_over' });
    expect(one(rows, 'interaction.dead_air_longest_ms').value).toBe(0);
  });

  it('an agent that never stops talking interrupts every turn it talks over (but a barge-in is the user interrupting)', () => {
    const actions = [turn('q1', 2000, 4000), turn('q2', 7000, 9000), turn('barge', 11_000, 12_000, [{ stop: { within_ms: 1500 } }])];
    const rows = rowsOf({ durationMs: 15_000, actions, agentBursts: [{ startMs: 300, endMs: 14_500 }] });
    expect(one(rows, 'interaction.agent_interruptions', 'q1').value).toBe(1);
    expect(one(rows, 'interaction.agent_interruptions', 'q2').value).toBe(1);
    expect(one(rows, 'interaction.agent_interruptions', 'barge').value).toBe(0);
    expect(one(rows, 'interaction.responded', 'q1/take_turn').value).toBe(0);
  });

  it('a backchannel-length sound inside the turn is no interruption; a second start of real speech is', () => {
    const rows = rowsOf({
      durationMs: 12_000,
      actions: [turn('q', 500, 6500)],
      agentBursts: [
        { startMs: 1500, endMs: 2100 },
        { startMs: 3000, endMs: 4400 },
        { startMs: 7000, endMs: 9000 },
      ],
    });
    expect(one(rows, 'interaction.agent_interruptions', 'q').value).toBe(1);
  });

  it('a 3.5 s gap inside the answer, before the user speaks again, is dead air the agent holds', () => {
    const rows = rowsOf({
      durationMs: 14_000,
      actions: [turn('q', 500, 2500), turn('q2', 11_000, 12_000)],
      agentBursts: [
        { startMs: 2800, endMs: 4500 },
        { startMs: 8000, endMs: 10_000 },
        { startMs: 12_300, endMs: 13_800 },
      ],
    });
    expect(one(rows, 'interaction.dead_air_longest_ms').value).toBeCloseTo(3500, -1);
    expect(one(rows, 'interaction.dead_air_long_gaps').value).toBe(1);
    // 300 + 3500 + 300 ms: the two response latencies and the held gap.
    expect(Math.abs(one(rows, 'interaction.dead_air_ratio').value! * 14_000 - 4100)).toBeLessThan(3 * EDGE_MS);
  });

  it('silence after the answer, while the user owes the next turn, is not dead air', () => {
    const rows = rowsOf({
      durationMs: 15_000,
      actions: [turn('q', 500, 2500), turn('q2', 10_000, 11_000)],
      agentBursts: [
        { startMs: 2700, endMs: 4000 },
        { startMs: 11_200, endMs: 13_000 },
      ],
    });
    expect(one(rows, 'interaction.dead_air_longest_ms').value).toBeCloseTo(200, -1);
    expect(one(rows, 'interaction.dead_air_long_gaps').value).toBe(0);
  });

  it('a requested wait (a turn without take_turn or answer) owes nothing', () => {
    const rows = rowsOf({
      durationMs: 16_000,
      family: 'time_awareness',
      actions: [turn('ask', 500, 2500, [{ speak_at: { after_ms: 10_000, within_ms: 1000 } }])],
      agentBursts: [
        { startMs: 2800, endMs: 3800 },
        { startMs: 12_500, endMs: 14_000 },
      ],
    });
    expect(rows.filter((r) => r.name === 'interaction.responded')).toHaveLength(0);
    expect(one(rows, 'interaction.dead_air_ratio').value).toBe(0);
  });

  it('a barge-in: the answer after the stop is the response; restarting over the barge-in is an agent interruption', () => {
    const actions = [turn('ask', 500, 2000), turn('barge', 5000, 6500, [{ stop: { within_ms: 1500 } }, { answer: { within_ms: 2500 } }])];
    const good = rowsOf({
      durationMs: 12_000,
      actions,
      agentBursts: [
        { startMs: 2400, endMs: 5300 },
        { startMs: 7000, endMs: 9000 },
      ],
    });
    expect(one(good, 'interaction.responded', 'barge/answer').value).toBe(1);
    expect(one(good, 'interaction.agent_interruptions', 'barge').value).toBe(0);

    const restarts = rowsOf({
      durationMs: 12_000,
      actions,
      agentBursts: [
        { startMs: 2400, endMs: 5300 },
        { startMs: 5800, endMs: 9000 },
      ],
    });
    expect(one(restarts, 'interaction.agent_interruptions', 'barge').value).toBe(1);
  });
});
