/** A SessionContext that collects what an adapter emits, with arrival times, for tests. */
import type { AdapterEvent, SessionContext } from '../../../harness/adapter.ts';
import { RealClock } from '../../../harness/clock.ts';

export interface Collected {
  t: number;
  event: AdapterEvent;
}

export interface CollectingContext {
  ctx: SessionContext;
  clock: RealClock;
  events: Collected[];
  abort: AbortController;
  /** Resolves with the first collected event (already seen or future) matching `pred`. */
  waitFor<T extends AdapterEvent>(pred: (e: AdapterEvent) => e is T, timeoutMs?: number): Promise<{ t: number; event: T }>;
  waitFor(pred: (e: AdapterEvent) => boolean, timeoutMs?: number): Promise<Collected>;
  of<K extends AdapterEvent['type']>(type: K): Array<{ t: number; event: Extract<AdapterEvent, { type: K }> }>;
}

export function collectingContext(options: Record<string, unknown>, scenarioId = 'test'): CollectingContext {
  const clock = new RealClock();
  const events: Collected[] = [];
  const waiters: Array<{ pred: (e: AdapterEvent) => boolean; resolve: (c: Collected) => void }> = [];
  const abort = new AbortController();
  const ctx: SessionContext = {
    clock,
    scenarioId,
    options,
    signal: abort.signal,
    emit(event) {
      const c = { t: clock.nowMs(), event };
      events.push(c);
      for (const w of [...waiters]) {
        if (w.pred(event)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(c);
        }
      }
    },
  };
  function waitFor(pred: (e: AdapterEvent) => boolean, timeoutMs = 10_000): Promise<Collected> {
    const seen = events.find((c) => pred(c.event));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w = {
        pred,
        resolve: (c: Collected) => {
          clearTimeout(timer);
          resolve(c);
        },
      };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(w), 1);
        reject(new Error(`no matching event within ${timeoutMs} ms; got: ${events.map((c) => c.event.type).join(', ')}`));
      }, timeoutMs);
      waiters.push(w);
    });
  }
  return {
    ctx,
    clock,
    events,
    abort,
    waitFor: waitFor as CollectingContext['waitFor'],
    of: (type) => events.filter((c) => c.event.type === type) as never,
  };
}

/** Every collected event as text (audio as its length), for scanning for secrets. */
export function eventsText(events: Collected[]): string {
  return events.map((c) => JSON.stringify(c.event, (_k, v: unknown) => (v instanceof Int16Array ? `pcm[${v.length}]` : v))).join('\n');
}
