/**
 * The main job, as a test: the whole core suite in real time against the reference agent,
 * a real crosstalk-ws server on loopback, scored into a real DuckDB file. A smoke run: every
 * session completes, every family yields its metrics, the store holds what the run saw.
 * (Behaviour targets of the agent are tested in reference-impl/.)
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadSuite } from '../harness/scenario/load.ts';
import { runSuite } from '../harness/runner/run.ts';
import { Store } from '../harness/store/store.ts';
import { createMediaSource } from '../datasets/media-source.ts';
import { startReferenceServer } from '../reference-impl/server.ts';
import { createWsAdapter } from '../adapters/ws/adapter.ts';

const root = resolve(import.meta.dirname, '..');
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'crosstalk-e2e-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('core suite, real time, reference agent over WebSocket', () => {
  it('every session completes and is scored into DuckDB', async () => {
    const server = await startReferenceServer({ port: 0 });
    const store = await Store.open(join(tmp, 'core.duckdb'));
    try {
      const scenarios = loadSuite('core', join(root, 'scenarios'));
      const result = await runSuite({
        scenarios,
        adapter: createWsAdapter({ url: server.url }),
        media: createMediaSource(),
        clock: 'real',
        workers: 16,
        recordingsDir: join(tmp, 'recordings'),
        store,
        suite: 'core',
      });
      expect(result.sessions).toHaveLength(scenarios.length);
      expect(
        result.counts.errored,
        result.sessions
          .filter((s) => s.status === 'errored')
          .map((s) => `${s.scenario.key}: ${s.outcome.error}`)
          .join('\n'),
      ).toBe(0);
      for (const s of result.sessions) expect(existsSync(join(s.outcome.dir, 'audio.wav'))).toBe(true);

      const families = await store.query<{ family: string; n: number }>(
        `SELECT m.family, count(*)::INTEGER AS n FROM metrics m JOIN sessions s USING (session_id) WHERE s.run_id = $1 AND m.value IS NOT NULL GROUP BY 1 ORDER BY 1`,
        [result.runId],
      );
      expect(families.map((f) => f.family)).toEqual(['backchannel', 'interaction', 'interruption', 'pause', 'turn_taking', 'user_backchannel']);
      const sessions = await store.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM sessions WHERE run_id = $1`, [result.runId]);
      expect(sessions[0].n).toBe(scenarios.length);
      // Pacing was measured for every session, and a session whose frames mostly went out late
      // (the machine was busy: this file shares two cores with the rest of the suite) is flagged,
      // never scored silently.
      const pacing = await store.query<{ unmeasured: number; lateUnflagged: number }>(
        `SELECT count(*) FILTER (WHERE pacing_p50_ms IS NULL)::INTEGER AS unmeasured,
                count(*) FILTER (WHERE pacing_p50_ms >= 20 AND timing_flagged IS NOT TRUE)::INTEGER AS lateUnflagged
         FROM sessions WHERE run_id = $1`,
        [result.runId],
      );
      expect(pacing[0]).toEqual({ unmeasured: 0, lateUnflagged: 0 });
    } finally {
      await store.close();
      await server.close();
    }
  }, 600_000);
});
