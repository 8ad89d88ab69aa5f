/**
 * Test and screenshot support: Debian's Chromium driven by playwright-core (no browser download).
 * Pages are checked in a real browser: console errors, rendered charts, playable audio.
 */
import type { Browser, Page } from 'playwright-core';
import { findChromium, launchChromium as launch } from '../../harness/chromium.ts';

export const chromiumMissing = findChromium() ? null : 'no Chromium found (install it with `node scripts/setup.mjs --browser`)';

export interface OpenBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/** The project's one Chromium launcher (harness/chromium.ts); every launch gets a fresh temporary profile. */
export async function launchChromium(): Promise<OpenBrowser> {
  const browser = await launch(undefined);
  return { browser, close: () => browser.close() };
}

/** Open a local file; collect console errors and uncaught page errors. */
export async function openPage(browser: Browser, file: string, viewport = { width: 1200, height: 900 }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`file://${file}`);
  return { page, errors };
}

/** Data marks drawn in each chart's SVG (vega's role-mark groups; axes and legends do not count). */
export async function chartMarkCounts(page: Page, selector = 'figure.chart svg'): Promise<number[]> {
  return page.$$eval(selector, (svgs) => svgs.map((svg) => svg.querySelectorAll('g.role-mark > path, g.role-mark > line, g.role-mark > rect').length));
}
