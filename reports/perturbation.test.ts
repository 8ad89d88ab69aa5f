/**
 * Perturbations (`run --perturb`, sessions.perturbation) in the report and the leaderboard: shown
 * next to the speech source, as `engine + perturbation`, in the verdicts by source and in every
 * metric's split; clean sessions stay under the bare engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../harness/store/store.ts';
import { runRow, sessionRow } from '../harness/store/testing/rows.ts';
import { buildReport } from './report.ts';
import { buildLeaderboard } from './leaderboard.ts';
import { leaderboardMarkdown } from './leaderboard-render.ts';

let dir: string;
let html: string;
let markdown: string;

// Clean espeak: 2/2 passed, latency 300 and 400 ms; espeak over a telephone line: 1/2, 500 and 600 ms.
const SESSIONS: [string, 'passed' | 'failed', string | null, number][] = [
  ['a', 'passed', null, 300],
  ['b', 'passed', null, 400],
  ['c', 'passed', 'telephone:g711', 500],
  ['d', 'failed', 'telephone:g711', 600],
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crosstalk-perturb-report-'));
  const store = await Store.open(join(dir, 'run.duckdb'));
  await store.beginRun(runRow('run-1'));
  for (const [id, status, perturbation, latencyMs] of SESSIONS) {
    await store.appendSession(
      sessionRow(id, { scenarioKey: `core/${id}`, scenarioId: id, family: 'turn_taking', status, perturbation, recordingPath: null }),
      [],
      [],
      [{ name: 'turn_taking.latency_ms', family: 'turn_taking', value: latencyMs, unit: 'ms', passed: null, subject: 'q1' }],
    );
  }
  html = (await buildReport(store, { htmlDir: dir })).html;
  markdown = leaderboardMarkdown(await buildLeaderboard([store]), () => undefined);
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('perturbation next to the speech source', () => {
  it('the report has a verdict row per engine and perturbation, and splits every metric by them', () => {
    expect(html).toMatch(/<tr><td>espeak<\/td><td class="text">en-us<\/td><td data-source="espeak" data-family="turn_taking">2\/2 \(100% \[34–100%\]\)<\/td>/);
    expect(html).toMatch(
      /<tr><td>espeak \+ telephone:g711<\/td><td class="text">en-us<\/td><td data-source="espeak \+ telephone:g711" data-family="turn_taking">1\/2 \(50% \[9–91%\]\)<\/td>/,
    );
    expect(html).toContain('espeak + telephone:g711 550 ms (2)');
  });

  it('the leaderboard has a row per system, engine and perturbation', () => {
    expect(markdown).toMatch(/\| reference \(nightly\) \| espeak +\| +2\/2 \(100% \[34–100%\]\) \|/);
    expect(markdown).toMatch(/\| reference \(nightly\) \| espeak \+ telephone:g711 +\| +1\/2 \(50% \[9–91%\]\) \|/);
    expect(markdown).toMatch(/espeak 350 ms \(2\) · espeak \+ telephone:g711 550 ms \(2\)/);
  });
});
