/**
 * Long-session benchmark: the 30- and 60-minute scenarios of scenarios/long_session against the
 * scripted agent, in virtual time (as fast as the CPU allows) and, when asked, the 30-minute one
 * in real time (it takes 30 minutes). Reports wall time, the harness's memory over the session
 * (from the recording's once-a-minute harness.sample events), pacing, and scoring time.
 * Measured here, asserted nowhere.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScriptedAdapter } from '../adapters/scripted/adapter.ts';
import type { MediaSource } from '../harness/media.ts';
import { readRecording } from '../harness/recording/reader.ts';
import { runSession } from '../harness/runner/session.ts';
import { loadSuite } from '../harness/scenario/load.ts';
import { score } from '../harness/scoring/score.ts';
import type { Row } from './engine.ts';

const MB = 2 ** 20;

export async function longSessionBench(media: MediaSource, scenariosRoot: string, opts: { realTime?: boolean } = {}): Promise<Row[]> {
  const rows: Row[] = [];
  const runs: { loaded: ReturnType<typeof loadSuite>[number]; clock: 'real' | 'virtual' }[] = loadSuite('long_session', scenariosRoot).map((loaded) => ({
    loaded,
    clock: 'virtual',
  }));
  if (opts.realTime) runs.push({ loaded: runs[0].loaded, clock: 'real' });
  for (const { loaded, clock } of runs) {
    const dir = mkdtempSync(join(tmpdir(), 'crosstalk-bench-long-'));
    try {
      const adapter = createScriptedAdapter({ video: true, visualReactionDelayMs: 700, timeDueDelayMs: 300, deliverDelayMs: 400 });
      const started = performance.now();
      const outcome = await runSession({ loaded, sessionId: 'bench', dir, adapter, media, clock, harnessVersion: 'bench' });
      const wallS = (performance.now() - started) / 1000;
      const recording = readRecording(dir);
      const scoreStarted = performance.now();
      score(recording);
      const scoreMs = performance.now() - scoreStarted;
      const samples = recording.events.flatMap((e) => (e.type === 'harness.sample' ? [e] : []));
      const first = samples[Math.min(4, samples.length - 1)];
      const last = samples[samples.length - 1];
      rows.push({
        scenario: loaded.key,
        clock,
        status: outcome.status,
        session_min: +(outcome.durationMs / 60_000).toFixed(1),
        wall_s: +wallS.toFixed(1),
        rss_min5_MB: +(first.rssBytes / MB).toFixed(0),
        rss_end_MB: +(last.rssBytes / MB).toFixed(0),
        heap_max_MB: +(Math.max(...samples.map((s) => s.heapUsedBytes)) / MB).toFixed(0),
        pacing_p99_ms: +outcome.pacing.p99Ms.toFixed(2),
        pacing_max_ms: +outcome.pacing.maxMs.toFixed(2),
        score_ms: +scoreMs.toFixed(0),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}
