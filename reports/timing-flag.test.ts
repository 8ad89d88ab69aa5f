/**
 * Sessions whose timing is flagged (sessions.timing_flagged: the harness itself was late where a
 * latency is measured) are never shown as if nothing happened: the report lists them with the
 * harness's error and badges them, and the terminal summary says how many and how late.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../harness/store/store.ts';
import { runRow, sessionRow } from '../harness/store/testing/rows.ts';
import { buildReport } from './report.ts';
import { summaryTable } from './terminal.ts';

let dir: string;
let html: string;
let summary: string;
let cleanSummary: string;

// a: on time; b: flagged (harness 23.5 ms late); c: flagged but errored (left out with its session).
const SESSIONS: [string, 'passed' | 'errored', number, boolean][] = [
  ['a', 'passed', 1.2, false],
  ['b', 'passed', 23.5, true],
  ['c', 'errored', 40, true],
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crosstalk-timing-flag-'));
  const store = await Store.open(join(dir, 'run.duckdb'));
  await store.beginRun(runRow('run-1'));
  for (const [id, status, harnessErrorMs, timingFlagged] of SESSIONS) {
    await store.appendSession(
      sessionRow(id, { scenarioKey: `core/${id}`, scenarioId: id, family: 'turn_taking', status, harnessErrorMs, timingFlagged, recordingPath: null }),
      [],
      [],
      [{ name: 'turn_taking.latency_ms', family: 'turn_taking', value: 300, unit: 'ms', passed: true, subject: 'q1' }],
    );
  }
  html = (await buildReport(store, { htmlDir: dir })).html;
  summary = await summaryTable(store);
  await store.close();
  const clean = await Store.open(':memory:');
  await clean.beginRun(runRow('run-1'));
  await clean.appendSession(sessionRow('a', { harnessErrorMs: 1.2, timingFlagged: false }), [], [], []);
  cleanSummary = await summaryTable(clean);
  await clean.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('flagged timing in the report and the summary', () => {
  it('the report lists the completed flagged session with its harness error and badges it', () => {
    expect(html).toContain('Timing flagged (1): the harness itself was late, beyond 10 ms, where a latency is measured');
    expect(html).toMatch(/core\/b r0<\/a> <span class="error-text">harness late by 23\.5 ms<\/span>/);
    expect(html.match(/class="badge timing-flagged"/g)).toHaveLength(2);
  });

  it('the terminal summary counts completed flagged sessions and says how late; a clean store says nothing', () => {
    expect(summary).toContain('Timing flagged in 1 session: the harness itself was late by up to 23.5 ms (bound 10 ms)');
    expect(cleanSummary).not.toContain('Timing flagged');
  });
});
