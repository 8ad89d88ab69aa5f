/** A SessionContext for adapter tests that keeps what the adapter emits. */
import { RealClock } from '../../../harness/clock.ts';
import type { AdapterEvent, SessionContext } from '../../../harness/adapter.ts';

export interface TestContext extends SessionContext {
  events: AdapterEvent[];
  /** Resolves with the first emitted event that matches. */
  waitFor(match: (e: AdapterEvent) => boolean): Promise<AdapterEvent>;
  abort(): void;
}

export function testContext(scenarioId = 'test/scenario'): TestContext {
  const events: AdapterEvent[] = [];
  const waiters: (() => void)[] = [];
  const controller = new AbortController();
  return {
    clock: new RealClock(),
    scenarioId,
    options: {},
    signal: controller.signal,
    events,
    emit(e) {
      events.push(e);
      for (const w of waiters.splice(0)) w();
    },
    async waitFor(match) {
      for (;;) {
        const hit = events.find(match);
        if (hit) return hit;
        await new Promise<void>((r) => waiters.push(r));
      }
    },
    abort: () => controller.abort(),
  };
}
