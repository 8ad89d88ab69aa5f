/**
 * The shared conformance suite for every adapter but `browser` (conformance.browser.alone.test.ts,
 * which needs Chromium and the cores to itself): the vendor adapters against their fake servers,
 * the in-process and loopback reference agent, the scripted agent, and `chaos:` with the faults
 * a session lives through.
 */
import { createChaosAdapter } from './chaos/adapter.ts';
import { parseInlinePlan } from './chaos/plan.ts';
import { createGeminiLiveAdapter } from './gemini-live/adapter.ts';
import { startFakeGeminiServer } from './gemini-live/testing/fake-server.ts';
import { createMoshiAdapter } from './moshi/adapter.ts';
import { startFakeMoshiServer } from './moshi/testing/fake-server.ts';
import { createOpenAIRealtimeAdapter } from './openai-realtime/adapter.ts';
import { startFakeOpenAIServer } from './openai-realtime/testing/fake-server.ts';
import { describeAdapterConformance } from './testing/conformance.ts';
import { createScriptedAdapter } from './scripted/adapter.ts';
import { createReferenceAdapter } from './reference/adapter.ts';
import { createWsAdapter } from './ws/adapter.ts';
import { startReferenceServer } from '../reference-impl/server.ts';

const OPENAI_KEY = 'sk-CONFORMANCE-SENTINEL-42';
const GEMINI_KEY = 'AIza-CONFORMANCE-SENTINEL-42';
const MOSHI_KEY = 'kyutai-CONFORMANCE-SENTINEL-42';

describeAdapterConformance('openai-realtime', async () => {
  const fake = await startFakeOpenAIServer({ apiKey: OPENAI_KEY, responseDelayMs: 300 });
  return {
    adapter: createOpenAIRealtimeAdapter(),
    options: { apiKey: OPENAI_KEY, url: fake.url, silenceDurationMs: 300 },
    secrets: [OPENAI_KEY],
    cleanup: () => fake.stop(),
  };
});

describeAdapterConformance('gemini-live', async () => {
  const fake = await startFakeGeminiServer({ apiKey: GEMINI_KEY, responseDelayMs: 300 });
  return { adapter: createGeminiLiveAdapter(), options: { apiKey: GEMINI_KEY, url: fake.url }, secrets: [GEMINI_KEY], cleanup: () => fake.stop() };
});

describeAdapterConformance('moshi', async () => {
  const fake = await startFakeMoshiServer({ apiKey: MOSHI_KEY, responseDelayMs: 300 });
  return { adapter: createMoshiAdapter(), options: { apiKey: MOSHI_KEY, url: fake.url }, secrets: [MOSHI_KEY], cleanup: () => fake.stop() };
});

describeAdapterConformance('scripted', async () => ({ adapter: createScriptedAdapter({ answerDelayMs: 200 }), options: {} }));

describeAdapterConformance('reference (in-process)', async () => {
  const adapter = createReferenceAdapter({ mode: 'in-process' });
  return { adapter, options: {}, cleanup: async () => adapter.dispose?.() };
});

describeAdapterConformance('ws (reference server on loopback, token in the query)', async () => {
  const server = await startReferenceServer({ port: 0 });
  const token = 'ws-CONFORMANCE-SENTINEL-42';
  return { adapter: createWsAdapter({ url: `${server.url}?token=${token}` }), options: {}, secrets: [token], cleanup: () => server.close() };
});

describeAdapterConformance('chaos:openai-realtime (the faults a session lives through)', async () => {
  const fake = await startFakeOpenAIServer({ apiKey: OPENAI_KEY, responseDelayMs: 300 });
  // Every fault that leaves the session open (disconnect and close end it; truncate may cut a
  // chunk to nothing), on the session clock, over the whole exchange.
  const plan = parseInlinePlan('malformed_json@300; stall@800+400; slow_read@1200+600=60; corrupt@0+60000; wrong_rate@0+60000=16000');
  return {
    adapter: createChaosAdapter(createOpenAIRealtimeAdapter(), plan),
    options: { apiKey: OPENAI_KEY, url: fake.url, silenceDurationMs: 300 },
    secrets: [OPENAI_KEY],
    cleanup: () => fake.stop(),
  };
});
