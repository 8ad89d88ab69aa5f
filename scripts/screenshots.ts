/**
 * Screenshots for the README: a demo report and leaderboard (the scripted agent in virtual
 * time: two systems, some failures, the interaction panel first), rendered and opened in Chromium, saved to docs/screenshots/.
 *
 *     node --import tsx scripts/screenshots.ts
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScriptedAdapter } from '../adapters/scripted/adapter.ts';
import { FIXTURE_SCENARIOS, playIntoStore, USER_BACKCHANNEL_SCENARIO } from '../harness/store/testing/played-stores.ts';
import { withTranscript } from '../harness/runner/testing/wrapped-adapters.ts';
import { buildReport } from '../reports/report.ts';
import { buildLeaderboard } from '../reports/leaderboard.ts';
import { leaderboardCharts, leaderboardHtml } from '../reports/leaderboard-render.ts';
import { chromiumMissing, launchChromium, openPage } from '../reports/testing/browser.ts';

const OUT = join(import.meta.dirname, '..', 'docs', 'screenshots');

if (chromiumMissing) {
  process.stderr.write(`screenshots: ${chromiumMissing}\n`);
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'crosstalk-screenshots-'));
try {
  const polite = withTranscript(createScriptedAdapter({ answerDelayMs: 520, answerMs: 4000 }), 'Sure, it is ten past four.');
  // Eager: fast, but takes the turn 400 ms into a mid-utterance pause and stops for every "mm-hmm".
  const grabby = createScriptedAdapter({ answerDelayMs: 260, pauseTakeoverDelayMs: 400, answerMs: 4000, stopOnBackchannel: true });
  const scenarios = { ...FIXTURE_SCENARIOS, 'mid-pause': FIXTURE_SCENARIOS['mid-pause'].replace('ms: 1200', 'ms: 2500'), 'user-bc': USER_BACKCHANNEL_SCENARIO };
  const a = await playIntoStore(join(dir, 'polite.duckdb'), polite, { repeat: 4, label: 'polite', recordingsDir: join(dir, 'rec-polite'), scenarios });
  const b = await playIntoStore(join(dir, 'grabby.duckdb'), grabby, { repeat: 4, label: 'eager', recordingsDir: join(dir, 'rec-grabby'), scenarios });
  const reportPath = join(dir, 'report.html');
  writeFileSync(reportPath, (await buildReport(b.store, { htmlDir: dir, title: 'crosstalk report: demo (scripted agent, eager)' })).html);
  const lb = await buildLeaderboard([a.store, b.store]);
  const lbPath = join(dir, 'leaderboard.html');
  writeFileSync(lbPath, leaderboardHtml(lb, await leaderboardCharts(lb)));
  await a.store.close();
  await b.store.close();

  mkdirSync(OUT, { recursive: true });
  const browser = await launchChromium();
  try {
    const { page } = await openPage(browser.browser, reportPath, { width: 1200, height: 1000 });
    await page.screenshot({ path: join(OUT, 'report.png') });
    await page.locator('#metrics').screenshot({ path: join(OUT, 'report-metrics.png') });
    await page.locator('a.to-session').first().click();
    const opened = page.locator('details.session[open]').first();
    await opened.locator('audio').evaluate((el) => {
      const audio = el as unknown as { currentTime: number };
      audio.currentTime = 2.4;
    });
    await page.waitForTimeout(300); // let the seek land and the cursor move (screenshot only)
    await opened.screenshot({ path: join(OUT, 'report-timeline.png') });
    const lbPage = (await openPage(browser.browser, lbPath, { width: 1200, height: 1000 })).page;
    await lbPage.screenshot({ path: join(OUT, 'leaderboard.png'), fullPage: false });
  } finally {
    await browser.close();
  }
  process.stdout.write(`screenshots written to ${OUT}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
