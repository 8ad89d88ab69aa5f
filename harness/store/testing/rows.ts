/** Rows with every field set, for the store's tests. */
import type { EventRow, RunRow, SessionRow } from '../rows.ts';

export function runRow(runId = 'run-1', overrides: Partial<RunRow> = {}): RunRow {
  return {
    runId,
    startedAt: '2025-03-01T10:00:00.250Z',
    harnessVersion: '0.1.0',
    gitSha: 'abc1234',
    adapter: 'reference',
    suite: 'core',
    clock: 'virtual',
    source: 'crosstalk',
    label: 'nightly',
    config: { workers: 8, repeats: 2 },
    host: 'ci-1',
    ...overrides,
  };
}

export function sessionRow(sessionId: string, overrides: Partial<SessionRow> = {}): SessionRow {
  return {
    sessionId,
    runId: 'run-1',
    scenarioKey: 'core/greeting',
    scenarioId: 'greeting',
    suite: 'core',
    family: 'turn_taking',
    tags: ['smoke', 'en'],
    repeat: 0,
    status: 'passed',
    error: null,
    startedAt: '2025-03-01T10:00:01.500Z',
    durationMs: 12_345.5,
    recordingPath: `recordings/${sessionId}`,
    pacingP50Ms: 0.4,
    pacingP99Ms: 2.5,
    pacingMaxMs: 7.25,
    speechSource: 'espeak:en-us',
    ...overrides,
  };
}

/** `count` agent.audio-like events, 20 ms apart. */
export function eventRows(sessionId: string, count: number): EventRow[] {
  return Array.from({ length: count }, (_, i) => ({
    sessionId,
    tMs: i * 20,
    source: 'agent',
    type: 'agent.audio',
    payload: { samples: 480, sampleRate: 24_000, durationMs: 20, seq: i },
  }));
}
