/**
 * The set-up every vendor adapter test file shares: its fake server started once for the file,
 * a collecting context per session (the key, the fake's URL, fast retries), and at the end the
 * check that no event or error of any of those sessions carries the key.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { collectingContext, eventsText, type CollectingContext } from './collect.ts';

/**
 * Wall-clock checks across two event loops (adapter and fake) while other test files load the
 * 2 cores: measured 0-3 ms on a quiet machine, up to ~65 ms under full load. 100 ms still
 * tells a planted delay from a missing or doubled one (every planted delay checked is over 100 ms).
 */
export const WALL_CLOCK_TOLERANCE_MS = 100;

export interface VendorFixture<F> {
  /** The file's fake server (started in beforeAll). */
  readonly fake: F;
  /** A context for one session against the fake (or `options.url`), kept for the key check. */
  ctxFor(options?: Record<string, unknown>): CollectingContext;
}

export function vendorFixture<F extends { url: string; stop(): Promise<void> }>(key: string, start: () => Promise<F>): VendorFixture<F> {
  let fake: F | undefined;
  const contexts: CollectingContext[] = [];
  beforeAll(async () => {
    fake = await start();
  });
  afterAll(async () => {
    await fake?.stop();
    // No event or error of any session in this file may carry the key.
    for (const c of contexts) expect(eventsText(c.events)).not.toContain(key);
  });
  const started = (): F => {
    if (!fake) throw new Error('the fake starts in beforeAll');
    return fake;
  };
  return {
    get fake() {
      return started();
    },
    ctxFor: (options = {}) => {
      const c = collectingContext({ apiKey: key, url: started().url, retryBaseDelayMs: 5, ...options });
      contexts.push(c);
      return c;
    },
  };
}
