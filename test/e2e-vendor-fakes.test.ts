/**
 * The core suite end to end, in real time, against each vendor adapter talking to its fake
 * server (the vendor's wire protocol on loopback, planted response and stop delays). Every
 * session must complete; turn-taking latency must come out near the fake's planted delay,
 * measured on what was played, after the adapter's and the runner's whole path.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadSuite } from '../harness/scenario/load.ts';
import { runSuite } from '../harness/runner/run.ts';
import { Store } from '../harness/store/store.ts';
import { quantile } from '../harness/stats.ts';
import type { Adapter } from '../harness/adapter.ts';
import { createMediaSource } from '../datasets/media-source.ts';
import { createOpenAIRealtimeAdapter } from '../adapters/openai-realtime/adapter.ts';
import { startFakeOpenAIServer } from '../adapters/openai-realtime/fake-server.ts';
import { createGeminiLiveAdapter } from '../adapters/gemini-live/adapter.ts';
import { startFakeGeminiServer } from '../adapters/gemini-live/fake-server.ts';
import { createMoshiAdapter } from '../adapters/moshi/adapter.ts';
import { startFakeMoshiServer } from '../adapters/moshi/fake-server.ts';

const root = resolve(import.meta.dirname, '..');
const KEY = 'sentinel-key-e2e-0001';
const PLANTED_RESPONSE_MS = 500;
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'crosstalk-vendors-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Fake {
  adapter: Adapter;
  options: Record<string, unknown>;
  stop(): Promise<void>;
}

const vendors: Record<string, () => Promise<Fake>> = {
  'openai-realtime': async () => {
    const fake = await startFakeOpenAIServer({ apiKey: KEY, responseDelayMs: PLANTED_RESPONSE_MS, speechStartedDelayMs: 150, responseAudioMs: 5000 });
    return { adapter: createOpenAIRealtimeAdapter(), options: { apiKey: KEY, url: fake.url, silenceDurationMs: 300 }, stop: () => fake.stop() };
  },
  'gemini-live': async () => {
    const fake = await startFakeGeminiServer({ apiKey: KEY, responseDelayMs: PLANTED_RESPONSE_MS, interruptDelayMs: 200, responseAudioMs: 5000 });
    return { adapter: createGeminiLiveAdapter(), options: { apiKey: KEY, url: fake.url }, stop: () => fake.stop() };
  },
  moshi: async () => {
    const fake = await startFakeMoshiServer({ apiKey: KEY, responseDelayMs: PLANTED_RESPONSE_MS, stopDelayMs: 160, responseAudioMs: 5000 });
    return { adapter: createMoshiAdapter(), options: { apiKey: KEY, url: fake.url }, stop: () => fake.stop() };
  },
};

describe('core suite against each vendor fake, real time', () => {
  for (const [name, start] of Object.entries(vendors)) {
    it(`${name}: every session completes, latency near the planted ${PLANTED_RESPONSE_MS} ms`, async () => {
      const fake = await start();
      const store = await Store.open(join(tmp, `${name}.duckdb`));
      try {
        const scenarios = loadSuite('core', join(root, 'scenarios'));
        const result = await runSuite({ scenarios, adapter: fake.adapter, adapterOptions: fake.options, media: createMediaSource(), clock: 'real', workers: 8, recordingsDir: join(tmp, name), store, suite: 'core' });
        const errored = result.sessions.filter((s) => s.status === 'errored');
        expect(errored.map((s) => `${s.scenario.key}: ${s.outcome.error}`)).toEqual([]);
        const latencies = result.sessions.flatMap((s) => s.scored?.metrics.filter((m) => m.name === 'turn_taking.latency_ms' && m.value !== null).map((m) => m.value!) ?? []);
        expect(latencies.length).toBeGreaterThan(40);
        const median = quantile(latencies, 0.5);
        // The fakes time their answer from their own VAD's view of the end of speech (a 20 ms
        // window, ~300 ms of silence for server VAD): the median sits at or a little above the
        // planted delay. The bound is loose on purpose: this is the plumbing, not the fake's VAD.
        expect(median).toBeGreaterThanOrEqual(PLANTED_RESPONSE_MS - 40);
        expect(median).toBeLessThan(PLANTED_RESPONSE_MS + 600);
        const stops = result.sessions.flatMap((s) => s.scored?.metrics.filter((m) => m.name === 'interruption.stop_latency_ms' && m.value !== null).map((m) => m.value!) ?? []);
        expect(stops.length).toBeGreaterThan(0);
        console.log(`${name}: turn-taking median ${median.toFixed(1)} ms (n=${latencies.length}), stop median ${quantile(stops, 0.5).toFixed(1)} ms (n=${stops.length})`);
      } finally {
        await store.close();
        await fake.stop();
      }
    }, 600_000);
  }
});
