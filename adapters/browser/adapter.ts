/**
 * The `browser` adapter: a web voice agent under test in a real Chromium (playwright-core).
 * The page gets the scenario's user audio as its microphone and the agent channel is what the
 * page played; see README.md for how and how well. One browser per adapter, one fresh browser
 * context per session.
 */
import type { Browser } from 'playwright-core';
import type { Adapter, AdapterCapabilities, SessionContext } from '../../harness/adapter.ts';
import { USER_SAMPLE_RATE } from '../../harness/media.ts';
import { launchChromium } from '../../harness/chromium.ts';
import { startLinkServer, type LinkServer } from './link.ts';
import { readBrowserOptions } from './options.ts';
import { openPageSession } from './page-session.ts';

export function createBrowserAdapter(raw: Record<string, unknown>): Adapter {
  const opts = readBrowserOptions(raw);
  const capabilities: AdapterCapabilities = {
    inputSampleRate: USER_SAMPLE_RATE,
    video: true,
    transcripts: false,
    serverTurnDetection: true,
    virtualTime: false,
    truncation: false,
  };
  let shared: Promise<{ browser: Browser; links: LinkServer }> | undefined;
  const start = () =>
    (shared ??= (async () => {
      const links = await startLinkServer();
      try {
        const browser = await launchChromium(opts.chromiumPath, opts.chromiumArgs);
        // A browser that dies is launched again by the next session.
        browser.on('disconnected', () => {
          shared = undefined;
          void links.close();
        });
        return { browser, links };
      } catch (e) {
        await links.close();
        throw e;
      }
    })().catch((e) => {
      shared = undefined;
      throw e;
    }));
  return {
    name: 'browser',
    capabilities,
    async open(ctx: SessionContext) {
      const { browser, links } = await start();
      return openPageSession(browser, links, opts, capabilities.inputSampleRate, ctx);
    },
    async dispose() {
      const s = shared;
      shared = undefined;
      if (!s) return;
      const { browser, links } = await s.catch(() => ({ browser: undefined, links: undefined }));
      await browser?.close();
      await links?.close();
    },
  };
}
