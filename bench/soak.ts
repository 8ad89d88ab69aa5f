/**
 * Soak: `concurrency` real-time sessions at once (default 32) through the whole engine (runner,
 * recordings, scoring, DuckDB store) for `minutes` (default 60) of wall time, against the
 * scripted agent streaming its answers. Memory (RSS, heap) is sampled every few seconds and
 * pacing error (how late each 20 ms user frame was sent) is bucketed by wall-clock minute, so
 * growth and drift over the hour show as rows. Nothing is asserted; every figure is measured.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSuite } from '../harness/runner/run.ts';
import { parseScenario } from '../harness/scenario/load.ts';
import { Store } from '../harness/store/store.ts';
import { quantile } from '../harness/stats.ts';
import { createScriptedAdapter } from '../adapters/scripted/adapter.ts';
import type { MediaSource } from '../harness/media.ts';
import type { Row } from './engine.ts';

export interface SoakOptions {
  minutes?: number;
  concurrency?: number;
  sampleEveryMs?: number;
}

/** About 50 s: five questions, each answered (4 s of streamed audio) before the next. */
const SOAK_SCENARIO = `
version: 1
id: soak
family: long_session
noise: { kind: room_tone, level_dbfs: -60 }
tail_ms: 2000
timeline:
  - id: q0
    at_ms: 300
    speak: { text: "Could you tell me how long it takes to walk to the station from here?" }
    expect: [ { take_turn: { within_ms: 1500 } } ]
${[1, 2, 3, 4]
  .map((k) => `  - id: q${k}\n    after: { event: agent_speech_end, delay_ms: 600, timeout_ms: 15000 }\n    speak: { text: "And what about the bus, is it any faster at this time of day?" }\n    expect: [ { take_turn: { within_ms: 1500 } } ]`)
  .join('\n')}
`;

interface Minute {
  rssMaxBytes: number;
  heapUsedBytes: number;
  latenessMs: number[];
  sessions: number;
}

export async function soakBench(media: MediaSource, opts: SoakOptions = {}): Promise<Row[]> {
  const minutes = opts.minutes ?? 60;
  const concurrency = opts.concurrency ?? 32;
  const sampleEveryMs = opts.sampleEveryMs ?? 5_000;
  const dir = mkdtempSync(join(tmpdir(), 'crosstalk-soak-'));
  const buckets: Minute[] = [];
  const t0 = Date.now();
  const bucket = (wallMs: number): Minute => {
    const i = Math.max(0, Math.floor((wallMs - t0) / 60_000));
    while (buckets.length <= i) buckets.push({ rssMaxBytes: 0, heapUsedBytes: 0, latenessMs: [], sessions: 0 });
    return buckets[i];
  };
  const sample = () => {
    const m = process.memoryUsage();
    const b = bucket(Date.now());
    b.rssMaxBytes = Math.max(b.rssMaxBytes, m.rss);
    b.heapUsedBytes = m.heapUsed;
  };
  const timer = setInterval(sample, sampleEveryMs);
  const stop = new AbortController();
  setMaxListeners(concurrency + 10, stop.signal);
  // At the soak time the sessions in flight are interrupted (aborted, not stored) and the bench ends.
  const deadline = setTimeout(() => stop.abort(), minutes * 60_000);
  const store = await Store.open(join(dir, 'soak.duckdb'));
  try {
    const loaded = parseScenario(SOAK_SCENARIO, join(dir, 'soak.yaml'), 'soak');
    // Render the speech once before the clock matters (synthesis is a one-off cost).
    for (const a of loaded.scenario.timeline) if (a.speak) await media.renderSpeech(a.speak, { seed: 0 }, loaded.file);
    sample();
    await runSuite({
      scenarios: [loaded],
      adapter: createScriptedAdapter({ answerDelayMs: 430, answerMs: 4_000, delivery: 'stream' }),
      media,
      clock: 'real',
      // More sessions than the soak has time for; the deadline ends it.
      repeat: Math.ceil((minutes * 60) / 40) * concurrency,
      workers: concurrency,
      recordingsDir: join(dir, 'recordings'),
      store,
      suite: 'soak',
      signal: stop.signal,
      onSession: (r) => {
        const startWallMs = Date.parse(r.outcome.startedAt);
        bucket(Date.now()).sessions++;
        for (const line of readFileSync(join(r.outcome.dir, 'events.jsonl'), 'utf8').split('\n')) {
          if (!line.includes('"frame.sent"')) continue;
          const e = JSON.parse(line) as { t: number; deadlineMs: number };
          bucket(startWallMs + e.t).latenessMs.push(e.t - e.deadlineMs);
        }
        // Keep the disk bounded over an hour: the recording has been scored and stored.
        rmSync(r.outcome.dir, { recursive: true, force: true });
      },
    });
  } finally {
    clearInterval(timer);
    clearTimeout(deadline);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const mb = (bytes: number) => (bytes / 1_048_576).toFixed(0);
  const firstRss = buckets.find((b) => b.rssMaxBytes > 0)?.rssMaxBytes ?? 0;
  return buckets.map((b, i) => ({
    minute: i + 1,
    'sessions done': b.sessions,
    'rss max MB': mb(b.rssMaxBytes),
    'rss vs minute 1 MB': mb(b.rssMaxBytes - firstRss),
    'heap used MB': mb(b.heapUsedBytes),
    frames: b.latenessMs.length,
    'pacing p50 ms': b.latenessMs.length ? quantile(b.latenessMs, 0.5).toFixed(2) : '',
    'pacing p99 ms': b.latenessMs.length ? quantile(b.latenessMs, 0.99).toFixed(2) : '',
    'pacing max ms': b.latenessMs.length ? Math.max(...b.latenessMs).toFixed(1) : '',
  }));
}
