/**
 * The HTML report over a real store (scripted agent, virtual time), opened in real Chromium:
 * no console errors, every chart has marks, the audio plays and moves the cursor, a failure's
 * link opens and scrolls to its timeline, and text holding HTML is shown as text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScriptedAdapter } from '../adapters/scripted/adapter.ts';
import type { Store } from '../harness/store/store.ts';
import { FIXTURE_SCENARIOS, playIntoStore } from '../harness/store/testing/played-stores.ts';
import { withErrors, withTranscript } from '../harness/runner/testing/wrapped-adapters.ts';
import { buildReport } from './report.ts';
import { chartMarkCounts, chromiumMissing, launchChromium, openPage, type OpenBrowser } from './testing/browser.ts';

const EVIL = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

/** The fixture scenarios plus one the default agent fails (200 ms budget) whose texts hold HTML. */
const SCENARIOS = {
  ...FIXTURE_SCENARIOS,
  'too-fast': `
version: 1
id: too-fast
family: turn_taking
tags: ['<b>bold-tag</b>']
tail_ms: 2000
timeline:
  - id: ask
    at_ms: 300
    speak: { text: '${EVIL.replaceAll("'", "''")}' }
    expect: [ { take_turn: { within_ms: 200 } } ]
`,
};

/** The part of HTMLMediaElement used here (the project compiles without the DOM lib). */
interface Media {
  play(): Promise<void>;
  pause(): void;
  currentTime: number;
}

let dir: string;
let store: Store;
let htmlPath: string;
let browser: OpenBrowser | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crosstalk-report-'));
  const adapter = withErrors(withTranscript(createScriptedAdapter({}), EVIL), ['fixture/barge']);
  ({ store } = await playIntoStore(join(dir, 'run.duckdb'), adapter, { repeat: 2, scenarios: SCENARIOS, recordingsDir: join(dir, 'recordings') }));
  htmlPath = join(dir, 'report.html');
  // A small embedding budget: one failed session's audio embedded, the rest linked.
  const built = await buildReport(store, { htmlDir: dir, embedAudioBytes: 300_000 });
  writeFileSync(htmlPath, built.html);
  if (!chromiumMissing) browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('report HTML (no browser needed)', () => {
  it('escapes every text from the store and loads nothing from the network', async () => {
    const { html } = await buildReport(store, { htmlDir: dir });
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>bold-tag</b>');
    expect(html).toContain('&lt;b&gt;bold-tag&lt;/b&gt;');
    expect(html).not.toMatch(/(src|href)="https?:/);
    // The transcript sits in the JSON block with '<' escaped, so it cannot close the script.
    expect(html).toContain('\\u003cscript>window.__pwned=2\\u003c/script>');
  });
});

describe.skipIf(chromiumMissing !== null)(`report in Chromium${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
  it('renders with no console errors, and every chart has marks', async () => {
    const { page, errors } = await openPage(browser!.browser, htmlPath);
    await page.waitForSelector('body[data-ready="1"]');
    const marks = await chartMarkCounts(page);
    // One chart per metric row; turn taking and pause metrics at least (barge sessions errored).
    expect(marks.length).toBe(await page.locator('#metrics table tr:has(td)').count());
    expect(marks.length).toBeGreaterThanOrEqual(5);
    expect(marks.every((n) => n > 0)).toBe(true);
    // The interaction panel leads: every answered turn of the 6 non-errored sessions, a small sample, marked.
    expect(await page.locator('header + section').getAttribute('id')).toBe('panel');
    const response = page.locator('#panel tr[data-panel="response_rate"] td');
    expect([await response.nth(1).innerText(), await response.nth(2).innerText()]).toEqual(['6*', '1']);
    expect(await page.locator('#panel tr[data-panel="response_rate"] td.small-sample').count()).toBe(1);
    // Failures next: the failed sessions are listed and linked; errored ones apart.
    expect(await page.locator('#failures ul.failures').first().locator('li').count()).toBe(2);
    expect(await page.locator('#failures .error-text').count()).toBe(2);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('clicking a failure opens and scrolls to its timeline, which shows HTML text as text', async () => {
    const { page, errors } = await openPage(browser!.browser, htmlPath);
    await page.waitForSelector('body[data-ready="1"]');
    const link = page.locator('a.to-session').first();
    const target = (await link.getAttribute('href'))!;
    await link.click();
    const details = page.locator(target);
    expect(await details.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(true);
    const svg = details.locator('svg.timeline');
    await svg.waitFor();
    const box = (await svg.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeLessThan(900);
    // Lanes drawn: user and agent speech segments, and the action marker.
    expect(await svg.locator('rect.seg.user').count()).toBeGreaterThan(0);
    expect(await svg.locator('rect.seg.agent').count()).toBeGreaterThan(0);
    expect(await svg.locator('g.m-vendor').count()).toBe(1);
    // The transcript and the scenario text, shown literally; nothing ran.
    expect(await details.locator('ul.transcripts').innerText()).toContain(EVIL);
    expect(await details.locator('ul.actions').innerText()).toContain(EVIL);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('summary', { hasText: '<b>bold-tag</b>' }).count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the recording plays (embedded and linked) and the cursor moves along the timeline', async () => {
    const { page, errors } = await openPage(browser!.browser, htmlPath);
    await page.waitForSelector('body[data-ready="1"]');
    const sources: string[] = [];
    for (const index of [0, (await page.locator('details.session').count()) - 1]) {
      const details = page.locator(`details.session[data-index="${index}"]`);
      await details.locator('summary').click();
      const audio = details.locator('audio');
      sources.push((await audio.getAttribute('src'))!.slice(0, 10));
      const cursorX = () => details.locator('line.cursor').getAttribute('x1');
      const before = await cursorX();
      await audio.evaluate((a) => (a as unknown as Media).play());
      await page.waitForFunction((a) => (a as unknown as Media).currentTime > 0.3, await audio.elementHandle());
      await audio.evaluate((a) => (a as unknown as Media).pause());
      expect(Number(await cursorX())).toBeGreaterThan(Number(before));
    }
    // The first (failed) session's audio is embedded; the last (passed) one is linked.
    expect(sources[0]).toBe('data:audio');
    expect(sources[1]).not.toMatch(/^data:/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
