/**
 * The report's and the leaderboard's breakdown by speech source (sessions.speech_source,
 * `run --voices`): per engine, sessions passed of those judged, per family, and every metric's
 * centre per engine, read from the pages in real Chromium and from the Markdown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../harness/store/store.ts';
import type { StoredMetric } from '../harness/store/rows.ts';
import { runRow, sessionRow } from '../harness/store/testing/rows.ts';
import { buildReport } from './report.ts';
import { buildLeaderboard } from './leaderboard.ts';
import { leaderboardHtml, leaderboardMarkdown } from './leaderboard-render.ts';
import { chromiumMissing, launchChromium, openPage, type OpenBrowser } from './testing/browser.ts';

let dir: string;
let htmlPath: string;
let boardPath: string;
let markdown: string;
let browser: OpenBrowser | undefined;

// espeak: pause 1/2 passed, turn_taking 1/1; flite: pause 2/2, turn_taking 0/1 (+1 errored, not judged).
const SESSIONS: [string, string, 'passed' | 'failed' | 'errored', string][] = [
  ['a', 'pause', 'passed', 'espeak:en-us'],
  ['b', 'pause', 'failed', 'espeak:en-gb+f3'],
  ['c', 'turn_taking', 'passed', 'espeak:en-us'],
  ['d', 'pause', 'passed', 'flite:slt'],
  ['e', 'pause', 'passed', 'flite:rms'],
  ['f', 'turn_taking', 'failed', 'flite:slt'],
  ['g', 'turn_taking', 'errored', 'flite:slt'],
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crosstalk-sources-'));
  const store = await Store.open(join(dir, 'run.duckdb'));
  await store.beginRun(runRow('run-1'));
  for (const [i, [id, family, status, speechSource]] of SESSIONS.entries()) {
    // A latency per session: 200 + 100 i ms (espeak sessions a-c: 200, 300, 400; flite d-f: 500, 600, 700).
    const latency: StoredMetric = { name: 'turn_taking.latency_ms', family: 'turn_taking', value: 200 + 100 * i, unit: 'ms', passed: null, subject: 'q1' };
    await store.appendSession(
      sessionRow(id, { scenarioKey: `core/${id}`, scenarioId: id, family, status, speechSource, recordingPath: null }),
      [],
      [],
      [latency],
    );
  }
  htmlPath = join(dir, 'report.html');
  writeFileSync(htmlPath, (await buildReport(store, { htmlDir: dir })).html);
  // A second system on the same scenarios, all rendered by gnuspeech, all passed (core/g, errored in
  // the first store, is left out of the leaderboard: not completed by every system).
  const other = await Store.open(join(dir, 'other.duckdb'));
  await other.beginRun(runRow('run-2', { adapter: 'ws', label: null }));
  for (const [id, family] of SESSIONS) {
    await other.appendSession(
      sessionRow(`o-${id}`, {
        runId: 'run-2',
        scenarioKey: `core/${id}`,
        scenarioId: id,
        family,
        status: 'passed',
        speechSource: 'gnuspeech:male',
        recordingPath: null,
      }),
      [],
      [],
      [{ name: 'turn_taking.latency_ms', family: 'turn_taking', value: 600, unit: 'ms', passed: null, subject: 'q1' }],
    );
  }
  const lb = await buildLeaderboard([store, other]);
  boardPath = join(dir, 'leaderboard.html');
  writeFileSync(boardPath, leaderboardHtml(lb, []));
  markdown = leaderboardMarkdown(lb, () => undefined);
  await store.close();
  await other.close();
  if (!chromiumMissing) browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('leaderboard by speech source (Markdown)', () => {
  it('has a row per system and engine', () => {
    expect(markdown).toContain('### By speech source');
    expect(markdown).toMatch(/\| reference \(nightly\) \| flite +\| +2\/2 \(100% \[34–100%\]\) \| +0\/1 \(0% \[0–79%\]\) \| +2\/3 \(67% \[21–94%\]\) \|/);
    expect(markdown).toMatch(/\| ws +\| gnuspeech +\| +4\/4 \(100% \[51–100%\]\) \| +2\/2 \(100% \[34–100%\]\) \| +6\/6 \(100% \[61–100%\]\) \|/);
    // Every metric by source too: the first store's latency per engine (a-f, g errored), the second's all gnuspeech.
    expect(markdown).toMatch(/\| reference \(nightly\) +\|.*\| espeak 300 ms \(3\) · flite 600 ms \(3\) +\|/);
    expect(markdown).toMatch(/\| ws +\|.*\| gnuspeech 600 ms \(6\) +\|/);
  });
});

describe.skipIf(chromiumMissing !== null)(`report by speech source in Chromium${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
  it('shows each engine with its voices and its verdict rate per family', async () => {
    const { page, errors } = await openPage(browser!.browser, htmlPath);
    await page.waitForSelector('body[data-ready="1"]');
    const rows = await page
      .locator('#speech-sources tr:has(td)')
      .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => (td as unknown as { innerText: string }).innerText)));
    expect(rows).toEqual([
      ['espeak', 'en-gb+f3, en-us', '1/2 (50% [9–91%])', '1/1 (100% [21–100%])', '2/3 (67% [21–94%])'],
      ['flite', 'rms, slt', '2/2 (100% [34–100%])', '0/1 (0% [0–79%])', '2/3 (67% [21–94%])'],
    ]);
    // Every metric by source: the latency median per engine, with its count (errored session g left out).
    const latency = page.locator('#metrics tr:has(td:text-is("turn_taking.latency_ms")) td.by-source');
    expect(await latency.innerText()).toBe('espeak 300 ms (3) · flite 600 ms (3)');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the leaderboard shows each system by engine', async () => {
    const { page, errors } = await openPage(browser!.browser, boardPath);
    const rows = await page
      .locator('#speech-sources tr:has(td)')
      .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => (td as unknown as { innerText: string }).innerText)));
    expect(rows).toEqual([
      ['reference (nightly)', 'espeak', '1/2 (50% [9–91%])', '1/1 (100% [21–100%])', '2/3 (67% [21–94%])'],
      ['reference (nightly)', 'flite', '2/2 (100% [34–100%])', '0/1 (0% [0–79%])', '2/3 (67% [21–94%])'],
      ['ws', 'gnuspeech', '4/4 (100% [51–100%])', '2/2 (100% [34–100%])', '6/6 (100% [61–100%])'],
    ]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
