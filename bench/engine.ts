/**
 * Engine benchmarks (issue: pacing, measured-latency error, virtual-time speed, scoring
 * speed). Every figure is measured in this run and printed; nothing is asserted here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSession, type SessionOutcome } from '../harness/runner/session.ts';
import { parseScenario, loadSuite } from '../harness/scenario/load.ts';
import { readRecording } from '../harness/recording/reader.ts';
import { score } from '../harness/scoring/score.ts';
import { quantile } from '../harness/stats.ts';
import { createScriptedAdapter } from '../adapters/scripted/adapter.ts';
import { createReferenceAdapter } from '../adapters/reference/adapter.ts';
import { createMediaSource } from '../datasets/media-source.ts';
import type { MediaSource } from '../harness/media.ts';
import type { Adapter } from '../harness/adapter.ts';
import type { LoadedScenario } from '../harness/scenario/load.ts';

const PLANTED_MS = 430;

const KAT = `
version: 1
id: bench-turn
family: turn_taking
noise: { kind: pink, level_dbfs: -60 }
tail_ms: 1500
timeline:
  - id: q1
    at_ms: 300
    speak: { text: "Could you tell me how long it takes to walk to the station from here?" }
    expect: [ { take_turn: { within_ms: 1500 } } ]
  - id: q2
    after: { event: agent_speech_end, delay_ms: 400, timeout_ms: 10000 }
    speak: { text: "And is there a bus as well?" }
    expect: [ { take_turn: { within_ms: 1500 } } ]
`;

export interface Row {
  [k: string]: string | number;
}

async function runMany(
  n: number,
  loaded: LoadedScenario,
  adapter: Adapter,
  media: MediaSource,
  dir: string,
  clock: 'real' | 'virtual',
): Promise<SessionOutcome[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      runSession({ loaded, sessionId: `b${i}`, dir: join(dir, `${n}-${i}`), adapter, media, clock, harnessVersion: 'bench' }),
    ),
  );
}

/** Pacing error and latency error vs the planted 430 ms at 1, 16 and 64 real-time sessions. */
export async function pacingBench(media: MediaSource): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'crosstalk-bench-'));
  const rows: Row[] = [];
  try {
    const loaded = parseScenario(KAT, join(dir, 'bench.yaml'), 'bench');
    for (const n of [1, 16, 64]) {
      const adapter = createScriptedAdapter({ answerDelayMs: PLANTED_MS, answerMs: 2500, delivery: 'stream' });
      const outcomes = await runMany(n, loaded, adapter, media, dir, 'real');
      const lateness: number[] = [];
      const errors: number[] = [];
      for (const o of outcomes) {
        const rec = readRecording(o.dir);
        for (const e of rec.events) if (e.type === 'frame.sent') lateness.push(e.t - e.deadlineMs);
        for (const m of score(rec).metrics) if (m.name === 'turn_taking.latency_ms' && m.value !== null) errors.push(Math.abs(m.value - PLANTED_MS));
      }
      rows.push({
        sessions: n,
        frames: lateness.length,
        'pacing p50 ms': quantile(lateness, 0.5).toFixed(3),
        'pacing p99 ms': quantile(lateness, 0.99).toFixed(3),
        'pacing max ms': Math.max(...lateness).toFixed(2),
        'latency error p50 ms': quantile(errors, 0.5).toFixed(3),
        'latency error p99 ms': quantile(errors, 0.99).toFixed(3),
        turns: errors.length,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/** The whole core suite in virtual time: speed as a multiple of real time; then scoring speed. */
export async function virtualAndScoringBench(media: MediaSource, scenariosRoot: string): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'crosstalk-bench-'));
  const rows: Row[] = [];
  try {
    const suite = loadSuite('core', scenariosRoot);
    // Render (and cache) the media first: synthesis is a one-off cost, not engine speed.
    for (const s of suite)
      for (const a of s.scenario.timeline) {
        const sp = a.speak ?? a.backchannel;
        if (sp) await media.renderSpeech(sp, { voice: s.scenario.voice, seed: s.scenario.seed ?? 0 }, s.file);
      }
    for (const [name, adapter] of [
      ['scripted', createScriptedAdapter()],
      ['reference (in-process)', createReferenceAdapter({ mode: 'in-process' })],
    ] as const) {
      let audioMs = 0;
      const recDirs: string[] = [];
      const t0 = performance.now();
      for (const s of suite) {
        const d = join(dir, name.split(' ')[0], s.scenario.id);
        const o = await runSession({ loaded: s, sessionId: s.key, dir: d, adapter, media, clock: 'virtual', harnessVersion: 'bench' });
        audioMs += o.durationMs;
        recDirs.push(d);
      }
      const wallMs = performance.now() - t0;
      await adapter.dispose?.();
      rows.push({
        what: `core suite, virtual time, ${name}`,
        sessions: suite.length,
        'audio s': (audioMs / 1000).toFixed(1),
        'wall s': (wallMs / 1000).toFixed(2),
        'x real time': (audioMs / wallMs).toFixed(1),
      });
      if (name === 'scripted') {
        const recordings = recDirs.map((d) => readRecording(d));
        const t1 = performance.now();
        for (const r of recordings) score(r);
        const scoreMs = performance.now() - t1;
        rows.push({
          what: 'scoring (VAD + metrics), core suite recordings',
          sessions: recordings.length,
          'audio s': (audioMs / 1000).toFixed(1),
          'wall s': (scoreMs / 1000).toFixed(3),
          'x real time': (audioMs / scoreMs).toFixed(0),
        });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

export { createMediaSource };
