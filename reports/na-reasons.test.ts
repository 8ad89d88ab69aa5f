/**
 * Typed N/A reasons wherever results are shown, with known answers: stores written row by row
 * (values and reasons planted), then the terminal summary, the HTML report (opened in real
 * Chromium: the metric's n/a split by reason, each session row's reason, a failed check without
 * a value) and the leaderboard (a system with only N/A rows listed, unranked, with its reasons).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NaReason } from '../harness/scoring/types.ts';
import { Store, type StoredMetric } from '../harness/store/store.ts';
import { runRow, sessionRow } from '../harness/store/testing/rows.ts';
import { summaryTable } from './terminal.ts';
import { buildReport } from './report.ts';
import { buildLeaderboard } from './leaderboard.ts';
import { leaderboardCharts, leaderboardHtml, leaderboardMarkdown } from './leaderboard-render.ts';
import { chromiumMissing, launchChromium, openPage, type OpenBrowser } from './testing/browser.ts';

const latency = (subject: string, value: number | null, reason?: NaReason): StoredMetric => ({
  name: 'turn_taking.latency_ms',
  family: 'turn_taking',
  unit: 'ms',
  value,
  passed: value === null ? false : value < 1500,
  subject,
  expectation: 'take_turn within 1500 ms',
  ...(reason ? { reason } : {}),
});
const stopped = (value: 0 | 1 | null, reason?: NaReason): StoredMetric => ({
  name: 'interruption.stopped',
  family: 'turn_taking',
  unit: 'bool',
  value,
  passed: value === 1,
  subject: 'barge',
  expectation: 'stop within 1000 ms',
  ...(reason ? { reason } : {}),
});

/**
 * steady: 3 sessions; latency values 300, 400, 500 on q1, N/A on q2 (no_response x2, trigger_missed x1),
 * and one row with no reason (a store before reasons: unknown); interruption.stopped 1, 1 and one
 * failed without a value (agent_silent_at_onset). silent: the same scenarios, every latency N/A.
 */
const PLAN: Record<string, StoredMetric[][]> = {
  steady: [
    [latency('q1', 300), latency('q2', null, 'no_response'), stopped(1)],
    [latency('q1', 400), latency('q2', null, 'no_response'), stopped(1)],
    [latency('q1', 500), latency('q2', null, 'trigger_missed'), latency('q3', null), stopped(null, 'agent_silent_at_onset')],
  ],
  silent: [
    [latency('q1', null, 'no_response'), latency('q2', null, 'no_response'), stopped(0)],
    [latency('q1', null, 'no_response'), latency('q2', null, 'no_response'), stopped(0)],
    [latency('q1', null, 'no_response'), latency('q2', null, 'not_played'), stopped(0)],
  ],
};

let dir: string;
const stores: Record<string, Store> = {};
let browser: OpenBrowser | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crosstalk-na-'));
  for (const [label, sessions] of Object.entries(PLAN)) {
    const store = await Store.open(join(dir, `${label}.duckdb`));
    await store.beginRun(runRow(label, { label, adapter: 'planted' }));
    for (const [i, metrics] of sessions.entries()) {
      const failed = metrics.some((m) => m.passed === false);
      await store.appendSession(
        sessionRow(`${label}-${i}`, {
          runId: label,
          scenarioKey: `fx/s${i}`,
          scenarioId: `s${i}`,
          suite: 'fx',
          tags: [],
          status: failed ? 'failed' : 'passed',
          recordingPath: null,
        }),
        [],
        [],
        metrics,
      );
    }
    stores[label] = store;
  }
  if (!chromiumMissing) browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  for (const s of Object.values(stores)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('terminal summary', () => {
  it('counts N/A rows per metric by reason, under the table', async () => {
    const text = await summaryTable(stores.steady);
    const lines = text.split('\n');
    const at = lines.indexOf('n/a by reason (why a value could not be computed):');
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 3)).toEqual([
      '  interruption.stopped: agent_silent_at_onset 1',
      '  turn_taking.latency_ms: no_response 2, trigger_missed 1, unknown 1',
    ]);
    // And the table's n/a column agrees: 3 values, 4 N/A.
    expect(
      lines
        .find((l) => l.trimStart().startsWith('turn_taking.latency_ms '))
        ?.trim()
        .split(/\s{2,}/)
        .slice(0, 3),
    ).toEqual(['turn_taking.latency_ms', '3', '4']);
  });
});

describe('leaderboard', () => {
  it('lists a system with only N/A rows, unranked, with its reasons; ranked ones carry theirs', async () => {
    const lb = await buildLeaderboard([stores.steady, stores.silent]);
    const board = lb.boards.find((b) => b.metric === 'turn_taking.latency_ms')!;
    expect(board.entries.map((e) => [e.system, e.rank, e.summary.count, e.na])).toEqual([
      ['planted (steady)', 1, 3, { no_response: 2, trigger_missed: 1, unknown: 1 }],
      ['planted (silent)', null, 0, { no_response: 5, not_played: 1 }],
    ]);
    const md = leaderboardMarkdown(lb, () => undefined);
    expect(md).toContain('| 1 | planted (steady) | 3 | 400 ms | 300 ms – 500 ms | 4: no_response 2, trigger_missed 1, unknown 1 |');
    expect(md).toContain('| – | planted (silent) | 0 | – | – | 6: no_response 5, not_played 1 |');
  });
});

describe('report HTML (no browser needed)', () => {
  it("puts each metric's N/A reasons beside its n/a count and each row's reason in the session data", async () => {
    const { html } = await buildReport(stores.steady, { htmlDir: dir });
    expect(html).toContain(
      '<span class="na" data-reason="no_response">no_response 2</span>, <span class="na" data-reason="trigger_missed">trigger_missed 1</span>, <span class="na" data-reason="unknown">unknown 1</span>',
    );
    expect(html).toContain('"q3",null,"ms",false,"take_turn within 1500 ms",null,"unknown"');
  });
});

describe.skipIf(chromiumMissing !== null)(`N/A reasons in Chromium${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
  it('the report shows every N/A with its reason: per metric, per failed check, per session row', async () => {
    const path = join(dir, 'report.html');
    writeFileSync(path, (await buildReport(stores.steady, { htmlDir: dir })).html);
    const { page, errors } = await openPage(browser!.browser, path);
    await page.waitForSelector('body[data-ready="1"]');
    const row = page.locator('#metrics tr', { has: page.locator('td', { hasText: /^turn_taking\.latency_ms$/ }) });
    expect((await row.locator('td.na-cell').innerText()).replace(/\s+/g, ' ').trim()).toBe('4 no_response 2, trigger_missed 1, unknown 1');
    const stoppedRow = page.locator('#metrics tr', { has: page.locator('td', { hasText: /^interruption\.stopped$/ }) });
    expect((await stoppedRow.locator('td.na-cell').innerText()).replace(/\s+/g, ' ').trim()).toBe('1 agent_silent_at_onset 1');
    // The failed checks of the third session: values shown as N/A with their reason.
    const failures = await page.locator('#failures ul.failures').first().innerText();
    expect(failures).toContain('interruption.stopped [barge] = N/A (agent_silent_at_onset) (expected stop within 1000 ms)');
    expect(failures).toContain('turn_taking.latency_ms [q2] = N/A (trigger_missed)');
    expect(failures).toContain('turn_taking.latency_ms [q3] = N/A (unknown)');
    // A session's metric table: a reason column, N/A in the value column.
    const link = page.locator('a.to-session', { hasText: 'fx/s2 r0' });
    await link.click();
    const table = page.locator(`${await link.getAttribute('href')} table.session-metrics`);
    await table.waitFor();
    const cells = await table
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => Array.from((r as unknown as { cells: { textContent: string }[] }).cells, (c) => c.textContent)));
    expect(cells).toEqual([
      ['interruption.stopped', 'barge', 'N/A', 'stop within 1000 ms', 'FAILED', 'agent_silent_at_onset', ''],
      ['turn_taking.latency_ms', 'q1', '500 ms', 'take_turn within 1500 ms', 'held', '', ''],
      ['turn_taking.latency_ms', 'q2', 'N/A', 'take_turn within 1500 ms', 'FAILED', 'trigger_missed', ''],
      ['turn_taking.latency_ms', 'q3', 'N/A', 'take_turn within 1500 ms', 'FAILED', 'unknown', ''],
    ]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the leaderboard page shows the N/A column, the unranked system included', async () => {
    const lb = await buildLeaderboard([stores.steady, stores.silent]);
    const path = join(dir, 'leaderboard.html');
    writeFileSync(path, leaderboardHtml(lb, await leaderboardCharts(lb)));
    const { page, errors } = await openPage(browser!.browser, path);
    const table = page.locator('h3', { hasText: 'turn_taking.latency_ms' }).locator('xpath=following-sibling::table[1]');
    expect(await table.locator('td.na').allInnerTexts()).toEqual(['4: no_response 2, trigger_missed 1, unknown 1', '6: no_response 5, not_played 1']);
    expect(errors).toEqual([]);
    await page.close();
  });
});
