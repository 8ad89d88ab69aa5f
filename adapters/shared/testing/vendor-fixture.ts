/**
 * The set-up every vendor adapter test file shares: its fake server started once for the file,
 * a collecting context per session (the key, the fake's URL, fast retries), and at the end the
 * check that no event or error of any of those sessions carries the key.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import type { RealClock } from '../../../harness/clock.ts';
import { collectingContext, eventsText, type CollectingContext } from './collect.ts';

/**
 * Wall-clock checks across two event loops (adapter and fake) while other test files load the
 * 2 cores: measured 0-3 ms on a quiet machine, up to ~65 ms under full load. 100 ms still
 * tells a planted delay from a missing or doubled one (every planted delay checked is over 100 ms).
 */
export const WALL_CLOCK_TOLERANCE_MS = 100;

/** What the adapter adds to a planted delay, each leg from the event that really happened (ms). */
export interface AdapterLegsMs {
  /** The fake got the chunk holding the user's edge, less when the frame holding it was handed to the adapter. */
  outMs: number;
  /** The adapter emitted the reply, less when the fake sent it. */
  inMs: number;
  /** The fake's own delay between the two (its timer: never early, late when the event loop was busy). */
  plantedMs: number;
}

/**
 * A planted delay measured end to end also holds the test's frame timer and the fake's delay
 * timer, and a loaded machine makes either late (a CI run saw 845 ms for a planted 500). The
 * adapter's own legs are measured from the events themselves, so only what the adapter does
 * counts. Fake times are performance.now(); the collecting clock is a RealClock.
 */
export function adapterLegsMs(
  clock: RealClock,
  x: { handedAtMs: number; fakeArrivedAtPerfMs: number; fakeSentAtPerfMs: number; emittedAtMs: number },
): AdapterLegsMs {
  const originPerfMs = clock.originEpochMs - performance.timeOrigin;
  return {
    outMs: x.fakeArrivedAtPerfMs - originPerfMs - x.handedAtMs,
    inMs: x.emittedAtMs - (x.fakeSentAtPerfMs - originPerfMs),
    plantedMs: x.fakeSentAtPerfMs - x.fakeArrivedAtPerfMs,
  };
}

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
