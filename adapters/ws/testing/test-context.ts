/**
 * A SessionContext for adapter tests that keeps what the adapter emits: the shared collecting
 * context (adapters/shared/testing/collect.ts) seen as the context itself, events without times.
 */
import type { AdapterEvent, SessionContext } from '../../../harness/adapter.ts';
import { collectingContext } from '../../shared/testing/collect.ts';

export interface TestContext extends SessionContext {
  /** What was emitted so far, in order. */
  readonly events: AdapterEvent[];
  /** Resolves with the first emitted event (already seen or future) that matches. */
  waitFor(match: (e: AdapterEvent) => boolean): Promise<AdapterEvent>;
  abort(): void;
}

export function testContext(scenarioId = 'test/scenario'): TestContext {
  const c = collectingContext({}, scenarioId);
  return {
    ...c.ctx,
    get events() {
      return c.events.map((x) => x.event);
    },
    waitFor: async (match) => (await c.waitFor(match)).event,
    abort: () => c.abort.abort(),
  };
}
