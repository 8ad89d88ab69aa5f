/**
 * Report speed at scale: a store of N synthetic sessions (written straight into DuckDB with
 * Store.appendSession, shaped like real ones: segments, marked events, metrics with
 * expectations), then `report` and `gate` over it, timed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store, type EventRow, type StoredMetric } from '../harness/store/store.ts';
import type { Segment } from '../harness/scoring/types.ts';
import { seededRandom } from '../harness/stats.ts';
import { buildReport } from '../reports/report.ts';
import { runGate } from '../harness/gate/gate.ts';
import { parseGateConfig } from '../harness/gate/config.ts';
import type { Row } from './engine.ts';

const FAMILIES = ['turn_taking', 'pause', 'interruption'] as const;

/** One synthetic session: a question, an answer after a random latency, sometimes a barge-in. */
function* syntheticSessions(count: number, runId: string) {
  const random = seededRandom(7);
  for (let i = 0; i < count; i++) {
    const family = FAMILIES[i % FAMILIES.length];
    const sessionId = `${runId}:bench/s${i % 200}:r${Math.floor(i / 200)}`;
    const latencyMs = 250 + random() * 900;
    const stopMs = 80 + random() * 400;
    const pauseTakeover = random() < 0.2 ? 1 : 0;
    const speechEnd = 2200;
    const answerStart = speechEnd + latencyMs;
    const events: EventRow[] = [
      {
        sessionId,
        tMs: 300,
        source: 'action',
        type: 'action.start',
        payload: { id: 'ask', kind: 'speak', text: 'what time is it', expect: [{ take_turn: { within_ms: 1000 } }] },
      },
      { sessionId, tMs: 300, source: 'vendor', type: 'vendor', payload: { name: 'response.created' } },
      { sessionId, tMs: answerStart, source: 'transcript', type: 'transcript', payload: { role: 'agent', text: 'It is ten past four.', final: true } },
      ...Array.from({ length: 20 }, (_, k): EventRow => ({
        sessionId,
        tMs: answerStart + k * 20,
        source: 'agent',
        type: 'agent.audio',
        payload: { samples: 480, sampleRate: 24_000, durationMs: 20 },
      })),
    ];
    const segments: Segment[] = [
      { channel: 'user', kind: 'speech', startMs: 300, endMs: 1200 },
      { channel: 'user', kind: 'pause', startMs: 1200, endMs: 1500 },
      { channel: 'user', kind: 'speech', startMs: 1500, endMs: speechEnd },
      { channel: 'agent', kind: 'speech', startMs: answerStart, endMs: answerStart + 3000 },
    ];
    const metrics: StoredMetric[] = [
      {
        name: 'turn_taking.latency_ms',
        family: 'turn_taking',
        value: latencyMs,
        unit: 'ms',
        passed: latencyMs <= 1000,
        subject: 'ask',
        expectation: 'take_turn within 1000 ms',
      },
      { name: 'turn_taking.takeover', family: 'turn_taking', value: 1, unit: 'bool', passed: null, subject: 'ask' },
      { name: 'turn_taking.early', family: 'turn_taking', value: 0, unit: 'bool', passed: null, subject: 'ask' },
      {
        name: 'pause.takeover',
        family: 'pause',
        value: pauseTakeover,
        unit: 'bool',
        passed: pauseTakeover === 0,
        subject: 'ask#pause1',
        expectation: 'no_takeover',
      },
    ];
    if (family === 'interruption') {
      metrics.push({
        name: 'interruption.stop_latency_ms',
        family: 'interruption',
        value: stopMs,
        unit: 'ms',
        passed: stopMs <= 400,
        subject: 'barge',
        expectation: 'stop within 400 ms',
      });
      events.push({
        sessionId,
        tMs: answerStart + 800,
        source: 'action',
        type: 'action.start',
        payload: { id: 'barge', kind: 'speak', text: 'wait', expect: [{ stop: { within_ms: 400 } }] },
      });
    }
    const failed = metrics.some((m) => m.passed === false);
    yield {
      row: {
        sessionId,
        runId,
        scenarioKey: `bench/s${i % 200}`,
        scenarioId: `s${i % 200}`,
        suite: 'bench',
        family,
        tags: ['bench'],
        repeat: Math.floor(i / 200),
        status: failed ? ('failed' as const) : ('passed' as const),
        startedAt: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
        durationMs: answerStart + 4000,
        recordingPath: null,
      },
      events,
      segments,
      metrics,
    };
  }
}

export async function reportsBench(sessions = 10_000): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'crosstalk-bench-reports-'));
  const store = await Store.open(join(dir, 'bench.duckdb'));
  try {
    const runId = 'bench-run';
    await store.beginRun({ runId, startedAt: '2025-01-01T00:00:00Z', harnessVersion: 'bench', adapter: 'synthetic', suite: 'bench', clock: 'virtual' });
    let t = performance.now();
    for (const s of syntheticSessions(sessions, runId)) await store.appendSession(s.row, s.events, s.segments, s.metrics);
    const writeS = (performance.now() - t) / 1000;
    t = performance.now();
    const report = await buildReport(store, { htmlDir: dir });
    const reportS = (performance.now() - t) / 1000;
    t = performance.now();
    await runGate(store, parseGateConfig('thresholds:\n  - turn_taking.latency_ms p90 < 800\n  - family:pause pause.takeover rate < 0.3\n', 'bench-gate.yaml'));
    const gateS = (performance.now() - t) / 1000;
    return [
      {
        sessions,
        'store write (s)': writeS.toFixed(1),
        'report (s)': reportS.toFixed(2),
        'report HTML (MiB)': (report.html.length / 2 ** 20).toFixed(1),
        charts: report.charts.length,
        'gate, 2 thresholds (s)': gateS.toFixed(2),
      },
    ];
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
