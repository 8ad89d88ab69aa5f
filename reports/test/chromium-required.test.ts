/**
 * Every page is checked in a real Chromium (reports, leaderboards, the demo pages); those tests
 * skip where Chromium is absent. In CI, where set-up installs it, its absence fails here instead
 * of leaving the page checks silently skipped.
 */
import { describe, expect, it } from 'vitest';
import { inCi } from '../../testing/ci.ts';
import { chromiumMissing } from '../testing/browser.ts';

describe.runIf(inCi)('Chromium in CI', () => {
  it('is installed, so the page tests run', () => {
    if (chromiumMissing !== null)
      expect.fail(`${chromiumMissing}; CI=${process.env.CI} says this is CI, where set-up installs it (as root). Without it every page test is skipped.`);
  });
});
