/**
 * Finding and launching Chromium: Debian's package, never a downloaded browser. One launcher
 * for the browser adapter and for the report pages' checks and screenshots.
 * Order: an explicit path (the browser adapter's `chromiumPath`), then $CROSSTALK_CHROMIUM,
 * then the usual paths.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { AdapterError } from './adapter.ts';

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** Launch flags: quiet and offline (no updates, no sync), headless without a GPU. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // Pages may start audio without a click, as a user who had clicked would let them.
  '--autoplay-policy=no-user-gesture-required',
  // The browser's own getUserMedia is asked first (so permission works as for a user); it
  // needs a device to exist. Its fake device is never what the page gets.
  '--use-fake-device-for-media-stream',
  // Background tabs and timers are not throttled: the page runs as if in front of the user.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

/** The Chromium to use, or undefined when none is found. */
export function findChromium(explicit?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (explicit) return explicit;
  if (env.CROSSTALK_CHROMIUM) return env.CROSSTALK_CHROMIUM;
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p));
}

export async function launchChromium(explicit: string | undefined, extraArgs: readonly string[] = []): Promise<Browser> {
  const executablePath = findChromium(explicit);
  if (!executablePath) {
    throw new AdapterError(
      `browser: no Chromium found (looked at ${CHROMIUM_CANDIDATES.join(', ')}). Install Debian's chromium (\`node scripts/setup.mjs --browser\` or \`apt-get install chromium\`), or give its path with $CROSSTALK_CHROMIUM (or the browser adapter's --adapter-option chromiumPath=...).`,
      'config',
    );
  }
  if (!existsSync(executablePath)) {
    throw new AdapterError(`browser: Chromium not found at ${executablePath}; fix chromiumPath or $CROSSTALK_CHROMIUM.`, 'config');
  }
  try {
    return await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS, ...extraArgs], headless: true });
  } catch (e) {
    throw new AdapterError(
      `browser: Chromium at ${executablePath} did not start: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
      'infrastructure',
    );
  }
}
