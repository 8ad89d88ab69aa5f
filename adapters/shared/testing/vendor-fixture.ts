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
  /** The fake's own delay between the two (its timer: never early by more than a millisecond, late when the event loop was busy). */
  fakeDelayMs: number;
}

/** One planted delay of a session against a fake: fake times are performance.now(), the others the collecting clock's. */
export interface PlantedDelay {
  name: string;
  plantedMs: number;
  /** When the frame holding the user's edge was handed to the adapter (playFrames). */
  handedAtMs: number;
  fakeArrivedAtPerfMs: number;
  fakeSentAtPerfMs: number;
  /** When the adapter emitted the reply. */
  emittedAtMs: number;
  /** The reply less the edge's nominal send time: logged, not checked. */
  endToEndMs: number;
}

/**
 * A planted delay measured end to end also holds the test's frame timer and the fake's delay
 * timer, and a loaded machine makes either late (a CI run saw 845 ms for a planted 500). The
 * adapter's own legs are measured from the events themselves, so only what the adapter does
 * counts.
 */
export function adapterLegsMs(clock: RealClock, d: PlantedDelay): AdapterLegsMs {
  const originPerfMs = clock.originEpochMs - performance.timeOrigin;
  return {
    outMs: d.fakeArrivedAtPerfMs - originPerfMs - d.handedAtMs,
    inMs: d.emittedAtMs - (d.fakeSentAtPerfMs - originPerfMs),
    fakeDelayMs: d.fakeSentAtPerfMs - d.fakeArrivedAtPerfMs,
  };
}

/** Logs each planted delay end to end and by leg; checks that the fake planted it and that the adapter added next to nothing. */
export function expectAdapterLegs(label: string, clock: RealClock, delays: PlantedDelay[]): void {
  const legs = delays.map((d) => ({ d, ...adapterLegsMs(clock, d) }));
  const line = legs.map(
    ({ d, outMs, inMs }) =>
      `planted ${d.name} ${d.plantedMs} ms, end to end ${d.endToEndMs.toFixed(1)} ms (adapter out ${outMs.toFixed(1)}, in ${inMs.toFixed(1)})`,
  );
  console.log(`${label} ${line.join('; ')}`);
  for (const { d, outMs, inMs, fakeDelayMs } of legs) {
    expect(fakeDelayMs, `${d.name}: the fake's delay`).toBeGreaterThanOrEqual(d.plantedMs - 2);
    expect(Math.abs(outMs), `${d.name}: adapter out`).toBeLessThan(WALL_CLOCK_TOLERANCE_MS);
    expect(Math.abs(inMs), `${d.name}: adapter in`).toBeLessThan(WALL_CLOCK_TOLERANCE_MS);
  }
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
