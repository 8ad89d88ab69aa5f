import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { summarize } from '../harness/stats.ts';
import { Store, type SessionRow, type StoredMetric } from '../harness/store/store.ts';
import { summaryTable, MAX_WIDTH } from './terminal.ts';
import { formatValue } from './format.ts';

let store: Store;
beforeEach(async () => {
  store = await Store.open(':memory:');
});
afterEach(() => store.close());

let sessionCount = 0;
function session(runId: string, family: string, status: SessionRow['status']): SessionRow {
  const sessionId = `s${sessionCount++}`;
  return {
    sessionId,
    runId,
    scenarioKey: `core/${family}`,
    scenarioId: family,
    suite: 'core',
    family,
    tags: [],
    repeat: 0,
    status,
    startedAt: '2025-03-01T10:00:00Z',
    durationMs: 1000,
  };
}

const metric = (
  name: string,
  family: string,
  value: number | null,
  unit: StoredMetric['unit'],
  passed: boolean | null,
  ruleSet: StoredMetric['ruleSet'] = 'crosstalk',
): StoredMetric => ({
  name,
  family,
  value,
  unit,
  passed,
  subject: 'q',
  ruleSet,
});

const LATENCIES_MS = [100, 200, 300, 400, 500];

/** run-1: 5 turn_taking sessions (4 passed, 1 failed) + 1 errored, 2 backchannel sessions. */
async function fill(): Promise<void> {
  for (const [i, latency] of LATENCIES_MS.entries()) {
    const passed = latency <= 400;
    await store.appendSession(
      session('run-1', 'turn_taking', passed ? 'passed' : 'failed'),
      [],
      [],
      [
        metric('turn_taking.latency_ms', 'turn_taking', latency, 'ms', passed),
        metric('turn_taking.overlap_ratio', 'turn_taking', i === 0 ? null : 0.25, 'ratio', null),
        metric('fdb.takeover_rate', 'turn_taking', 1, 'ratio', true, 'peer'),
      ],
    );
  }
  // Errored: its (absurd) metric must not reach the table.
  await store.appendSession(session('run-1', 'turn_taking', 'errored'), [], [], [metric('turn_taking.latency_ms', 'turn_taking', 99_999, 'ms', false)]);
  for (const rate of [3, 5]) {
    await store.appendSession(session('run-1', 'backchannel', 'passed'), [], [], [metric('backchannel.rate_per_min', 'backchannel', rate, 'per_min', null)]);
  }
  await store.appendSession(session('run-2', 'pause', 'passed'), [], [], [metric('pause.false_takeover_count', 'pause', 0, 'count', true)]);
}

describe('formatValue', () => {
  it('keeps about three significant figures and appends the unit', () => {
    expect(formatValue(312.4, 'ms')).toBe('312 ms');
    expect(formatValue(42.25, 'ms')).toBe('42.3 ms');
    expect(formatValue(0.834, 'ratio')).toBe('0.83');
    expect(formatValue(4, 'per_min')).toBe('4/min');
    expect(formatValue(1.5, 's')).toBe('1.50 s');
    expect(formatValue(-7, 'count')).toBe('-7');
  });
});

describe('summaryTable', () => {
  it('leads with the interaction panel: counts, small samples marked, failures by reason', async () => {
    const responded = (value: number, i: number): StoredMetric => ({
      ...metric('interaction.responded', 'interaction', value, 'bool', null),
      subject: `t${i}/take_turn`,
      ...(value === 0 ? { reason: 'no_response' } : {}),
    });
    await store.appendSession(session('run-1', 'turn_taking', 'passed'), [], [], [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0].map(responded));
    await store.appendSession(
      session('run-1', 'interruption', 'failed'),
      [],
      [],
      [
        { ...metric('interruption.verdict', 'interruption', 1, 'bool', true), subject: 'b1/stop' },
        { ...metric('interruption.verdict', 'interruption', 0, 'bool', false), subject: 'b2/stop', reason: 'agent_silent_at_onset' },
        { ...metric('interruption.verdict', 'interruption', 1, 'bool', true), subject: 'b1/answer' }, // not a yield
      ],
    );
    const text = await summaryTable(store, 'run-1');
    expect(text).toMatch(/^ {2}response rate\s+12\s+0\.75\s/m);
    expect(text).toMatch(/^ {2}yield rate\s+2\*\s+0\.50\s/m);
    expect(text).toContain('* fewer than 10 events');
    expect(text).toMatch(/response rate: no_response 3/);
    expect(text).toMatch(/yield rate: agent_silent_at_onset 1/);
    expect(text).toMatch(/not measured here:[\s\S]*selectivity: user backchannels;/);
    expect(text.indexOf('interaction panel')).toBeLessThan(text.indexOf('metric (crosstalk rules)'));
  });

  it('counts sessions per family and summarizes each metric with known values', async () => {
    await fill();
    const text = await summaryTable(store, 'run-1');
    const lines = text.split('\n');
    const row = (label: string) =>
      lines
        .find((l) => l.trimStart().startsWith(label + ' '))
        ?.trim()
        .split(/\s{2,}/);

    expect(lines[0]).toBe('Summary of run run-1: 8 sessions');
    expect(row('sessions by family')).toEqual(['sessions by family', 'passed', 'failed', 'errored', 'total']);
    expect(row('backchannel')).toEqual(['backchannel', '2', '0', '0', '2']);
    expect(row('turn_taking')).toEqual(['turn_taking', '4', '1', '1', '6']);
    expect(row('all')).toEqual(['all', '6', '1', '1', '8']);

    const ci = summarize(LATENCIES_MS);
    // median of 100..500 is 300; p90 (type 7) is 400 + 0.6 * 100 = 460.
    expect(row('turn_taking.latency_ms')).toEqual([
      'turn_taking.latency_ms',
      '5',
      '0',
      '300 ms',
      '460 ms',
      `${formatValue(ci.ciLow!, '')}–${formatValue(ci.ciHigh!, 'ms')}`,
      '4/5 80% [38–96]',
    ]);
    // Four 0.25s and one value that could not be computed; no expectation attached.
    expect(row('turn_taking.overlap_ratio')).toEqual(['turn_taking.overlap_ratio', '4', '1', '0.25', '0.25', '0.25–0.25', '-']);
    // 3 and 5: median 4, p90 3 + 0.9 * 2 = 4.8.
    expect(row('backchannel.rate_per_min')?.slice(0, 5)).toEqual(['backchannel.rate_per_min', '2', '0', '4/min', '4.80/min']);

    // Peer rule set and other runs stay out; errored sessions are said to be left out.
    expect(text).not.toContain('fdb.takeover_rate');
    expect(text).not.toContain('pause');
    expect(text).not.toContain('99999');
    expect(lines.at(-1)).toBe('Metrics leave out the 1 errored session.');
  });

  it('sorts families and metrics alphabetically and fits 100 columns', async () => {
    await fill();
    const long = 'turn_taking.' + 'very_long_metric_name_'.repeat(6) + 'ms';
    await store.appendSession(session('run-1', 'turn_taking', 'passed'), [], [], [metric(long, 'turn_taking', 123_456.7, 'ms', true)]);
    const text = await summaryTable(store);
    const lines = text.split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(MAX_WIDTH);
    expect(text).toContain('123457 ms');
    expect(text).toContain('…');
    const order = ['backchannel.rate_per_min', 'pause.false_takeover_count', 'turn_taking.latency_ms', 'turn_taking.overlap_ratio', 'turn_taking.very'];
    const positions = order.map((name) => text.indexOf(`  ${name}`));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    // The same store gives the same text (seeded bootstrap, stable order).
    expect(await summaryTable(store)).toBe(text);
  });

  it('says so when there is nothing to summarize', async () => {
    expect(await summaryTable(store, 'nope')).toBe('No sessions in run nope.');
    await store.appendSession(session('run-3', 'pause', 'errored'), [], [], []);
    const text = await summaryTable(store, 'run-3');
    expect(text).toContain('No metrics recorded.');
    expect(text).toContain('Metrics leave out the 1 errored session.');
  });
});
