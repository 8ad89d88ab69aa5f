/**
 * The shared conformance suite for the `browser` adapter: a real Chromium (Debian's, through
 * playwright-core) on the echo page, which plays the injected microphone back, so speech is
 * answered with audio the page really played. Its own file, run alone like the other browser
 * tests (`*.alone.test.ts`): a browser and real-time audio want the two cores to themselves.
 * Skipped where no Chromium is installed, except in CI, where set-up installs it and its
 * absence fails here (testing/ci.ts).
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { inCi } from '../testing/ci.ts';
import { createBrowserAdapter } from './browser/adapter.ts';
import { findChromium } from '../harness/chromium.ts';
import { describeAdapterConformance } from './testing/conformance.ts';

const PAGE = join(import.meta.dirname, 'browser', 'test', 'pages', 'echo.html');

/** The echo page over loopback HTTP, as a web agent is served. */
async function servePage(): Promise<{ url: string; close(): Promise<void> }> {
  const html = await readFile(PAGE);
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/echo.html`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

if (findChromium() || inCi) {
  describeAdapterConformance('browser (echo page in Chromium)', async () => {
    const page = await servePage();
    const adapter = createBrowserAdapter({ url: page.url });
    return {
      adapter,
      options: {},
      cleanup: async () => {
        await adapter.dispose?.();
        await page.close();
      },
    };
  });
} else {
  describe('adapter conformance: browser', () => {
    it.skip('needs Chromium (node scripts/setup.mjs --browser)', () => {});
  });
}
