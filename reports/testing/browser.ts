/**
 * Test and screenshot support: Debian's Chromium driven by playwright-core (no browser download).
 * Pages are checked in a real browser: console errors, rendered charts, playable audio.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM_PATH = '/usr/bin/chromium';
export const chromiumMissing = existsSync(CHROMIUM_PATH) ? null : `${CHROMIUM_PATH} is absent (install it with \`node scripts/setup.mjs --browser\`)`;

export interface OpenBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/** Playwright gives every launch a fresh temporary profile (its own --user-data-dir). */
export async function launchChromium(): Promise<OpenBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      // The tests start playback from script; a user would press play.
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
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
