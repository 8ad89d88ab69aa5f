/** Test adapters wrapped around an inner one (the scripted agent, passed in: harness imports no adapter). */
import { AdapterError, type Adapter } from '../../adapter.ts';

/** Sessions of the scenario keys in `erroring` fail to open with a 429 (infrastructure). */
export function withErrors(inner: Adapter, erroring: readonly string[]): Adapter {
  return {
    name: inner.name,
    capabilities: inner.capabilities,
    open: async (ctx) => {
      if (erroring.includes(ctx.scenarioId)) throw new AdapterError('HTTP 429 Too Many Requests', 'infrastructure', true);
      return inner.open(ctx);
    },
  };
}

/** Also emits a vendor event and an agent transcript (whose text the test chooses) at open. */
export function withTranscript(inner: Adapter, text: string): Adapter {
  return {
    name: inner.name,
    capabilities: { ...inner.capabilities, transcripts: true },
    open: async (ctx) => {
      const session = await inner.open(ctx);
      ctx.emit({ type: 'vendor', name: 'session.created', payload: { id: 'v1' } });
      ctx.emit({ type: 'transcript', role: 'agent', text, final: true });
      return session;
    },
  };
}
