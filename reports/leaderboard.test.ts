/**
 * Leaderboard and compare over real stores: two systems (the scripted agent, fast and polite vs
 * slower and grabbing the turn in pauses), ranked with known answers; the page opened in Chromium.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScriptedAdapter } from '../adapters/scripted/adapter.ts';
import type { Store } from '../harness/store/store.ts';
import { compareStores } from '../harness/compare.ts';
import { FIXTURE_SCENARIOS, playIntoStore, USER_BACKCHANNEL_SCENARIO } from '../harness/store/testing/played-stores.ts';
import { buildLeaderboard } from './leaderboard.ts';
import { leaderboardCharts, leaderboardHtml, leaderboardMarkdown, tradeoffPoints, yieldSelectivityPoints } from './leaderboard-render.ts';
import { compareHtml, compareMarkdown, compareText } from './compare.ts';
import { chartMarkCounts, chromiumMissing, launchChromium, openPage } from './testing/browser.ts';
import { writeCharts } from './charts/render.ts';

let dir: string;
let fast: Store;
let slow: Store;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crosstalk-leaderboard-'));
  fast = (await playIntoStore(join(dir, 'fast.duckdb'), createScriptedAdapter({}), { repeat: 2, label: 'fast', recordingsDir: join(dir, 'rec-fast') })).store;
  slow = (
    await playIntoStore(join(dir, 'slow.duckdb'), createScriptedAdapter({ answerDelayMs: 900, pauseTakeoverDelayMs: 500, answerMs: 1500 }), {
      repeat: 2,
      label: 'grabby',
      recordingsDir: join(dir, 'rec-slow'),
    })
  ).store;
});
afterAll(async () => {
  await fast?.close();
  await slow?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('leaderboard', () => {
  it('ranks systems per metric on the same scenarios, with known answers', async () => {
    const lb = await buildLeaderboard([slow, fast]);
    expect(lb.systems.map((s) => s.system)).toEqual(['scripted (fast)', 'scripted (grabby)']);
    expect(lb.scenarios).toEqual(['fixture/ask-time', 'fixture/barge', 'fixture/mid-pause']);
    const latency = lb.boards.find((b) => b.metric === 'turn_taking.latency_ms')!;
    expect(latency.entries.map((e) => [e.rank, e.system])).toEqual([
      [1, 'scripted (fast)'],
      [2, 'scripted (grabby)'],
    ]);
    expect(latency.entries[0].summary.value!).toBeCloseTo(430, 0);
    const takeover = lb.boards.find((b) => b.metric === 'pause.takeover')!;
    // Lower is better: the polite system never takes the turn in the pause, the other always does.
    expect(takeover.entries.map((e) => [e.system, e.summary.centre, e.summary.value])).toEqual([
      ['scripted (fast)', 'rate', 0],
      ['scripted (grabby)', 'rate', 1],
    ]);
    expect(tradeoffPoints(lb).map((p) => [p.label, p.y])).toEqual([
      ['scripted (fast)', 0],
      ['scripted (grabby)', 1],
    ]);
  });

  it('writes Markdown with chart PNGs beside it', async () => {
    const lb = await buildLeaderboard([fast, slow]);
    const links = writeCharts(join(dir, 'lb-charts'), await leaderboardCharts(lb), dir);
    const md = leaderboardMarkdown(lb, (n) => links.get(n));
    expect(md).toContain('![Latency against pause takeover](lb-charts/tradeoff.png)');
    expect(md).toMatch(/\| 1 \| scripted \(fast\) \| 6 \| 430 ms \|/);
    const png = readFileSync(join(dir, 'lb-charts', 'tradeoff.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });
});

describe('compare', () => {
  it('pairs per scenario: the slower system is significantly worse on latency by 470 ms', async () => {
    const comparisons = await compareStores(fast, slow);
    const latency = comparisons.find((c) => c.metric === 'turn_taking.latency_ms')!;
    expect(latency.units).toBe(3);
    expect(latency.delta).toBeCloseTo(470, 0);
    expect(latency.change).toBe('worse');
    const view = { baseline: 'fast.duckdb', candidate: 'slow.duckdb', comparisons };
    expect(compareText(view)).toMatch(/turn_taking\.latency_ms\s+3\s+430 ms\s+900 ms\s+\+470 ms/);
    expect(compareMarkdown(view)).toContain('🔴 worse');
    expect(compareHtml(view, null)).toContain('class="text worse"');
  });
});

describe.skipIf(chromiumMissing !== null)(`leaderboard in Chromium${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
  it('opens with no console errors and every chart has marks', async () => {
    const lb = await buildLeaderboard([fast, slow]);
    const path = join(dir, 'leaderboard.html');
    writeFileSync(path, leaderboardHtml(lb, await leaderboardCharts(lb)));
    const browser = await launchChromium();
    try {
      const { page, errors } = await openPage(browser.browser, path);
      const marks = await chartMarkCounts(page);
      expect(marks.length).toBe(lb.boards.length + 1); // one per metric and the trade-off scatter (no backchannels: no yield against selectivity)
      expect(marks.every((n) => n > 0)).toBe(true);
      expect(await page.locator('figure[data-chart="tradeoff"] text', { hasText: 'scripted (grabby)' }).count()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

/** A barge-in and a user backchannel over a long answer: where yielding and talking on trade off. */
const TRADE_OFF_SCENARIOS: Record<string, string> = { barge: FIXTURE_SCENARIOS.barge, 'user-bc': USER_BACKCHANNEL_SCENARIO };

describe('the interaction panel on the leaderboard', () => {
  let yielder: Store;
  let talker: Store;
  beforeAll(async () => {
    const long = { answerMs: 6000 };
    yielder = (
      await playIntoStore(join(dir, 'yielder.duckdb'), createScriptedAdapter({ ...long, stopDelayMs: 300, stopOnBackchannel: true }), {
        repeat: 3,
        label: 'yields to all',
        scenarios: TRADE_OFF_SCENARIOS,
        recordingsDir: join(dir, 'rec-yielder'),
      })
    ).store;
    talker = (
      await playIntoStore(join(dir, 'talker.duckdb'), createScriptedAdapter({ ...long, stopDelayMs: null }), {
        repeat: 3,
        label: 'talks on',
        scenarios: TRADE_OFF_SCENARIOS,
        recordingsDir: join(dir, 'rec-talker'),
      })
    ).store;
  });
  afterAll(async () => {
    await yielder?.close();
    await talker?.close();
  });

  it('puts each system at its known corner of yield against backchannel selectivity, small samples marked', async () => {
    const lb = await buildLeaderboard([yielder, talker]);
    expect(yieldSelectivityPoints(lb).map((p) => [p.label, p.x, p.y])).toEqual([
      ['scripted (talks on) (n<10)', 0, 1],
      ['scripted (yields to all) (n<10)', 1, 0],
    ]);
    const md = leaderboardMarkdown(lb, (name) => `charts/${name}.png`);
    expect(md).toContain('![Yield against backchannel selectivity](charts/yield-selectivity.png)');
    expect(md).toContain('| yield rate | 0 [0–0.56] n=3* | 1 [0.44–1] n=3* |');
    expect(md).toContain('| longest dead air | 430 ms n=6 | 430 ms n=6 |');

    if (chromiumMissing !== null) return;
    const path = join(dir, 'panel-leaderboard.html');
    writeFileSync(path, leaderboardHtml(lb, await leaderboardCharts(lb)));
    const browser = await launchChromium();
    try {
      const { page, errors } = await openPage(browser.browser, path);
      const chart = page.locator('figure[data-chart="yield-selectivity"]');
      expect(await chart.locator('text', { hasText: 'scripted (talks on)' }).count()).toBe(1);
      expect(await chart.locator('text', { hasText: 'scripted (yields to all)' }).count()).toBe(1);
      expect(await page.locator('table.panel td.small-sample').count()).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
