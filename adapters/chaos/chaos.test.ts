/**
 * Every chaos fault through the real runner and store: the session ends with the right status
 * and reason, the run goes on, and the recording is kept. The scripted agent answers a planted
 * 430 ms after the turn (virtual time), so what a fault does to the measurement is known.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChaosAdapter } from './adapter.ts';
import { parseInlinePlan, readChaosPlan, type ChaosPlan } from './plan.ts';
import { createScriptedAdapter } from '../scripted/adapter.ts';
import { runSuite, type SessionResult } from '../../harness/runner/run.ts';
import { parseScenario, type LoadedScenario } from '../../harness/scenario/load.ts';
import { toneMediaSource, TONE_GAP_MS, TONE_WORD_MS } from '../../harness/runner/testing/tone-media.ts';
import { readRecording } from '../../harness/recording/reader.ts';
import { Store } from '../../harness/store/store.ts';
import type { Adapter, AdapterEvent, AdapterSession } from '../../harness/adapter.ts';
import { VirtualClock } from '../../harness/clock.ts';
import { InputError } from '../../harness/errors.ts';
import { createOpenAIRealtimeAdapter } from '../openai-realtime/adapter.ts';
import { startFakeOpenAIServer } from '../openai-realtime/testing/fake-server.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crosstalk-chaos-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const AT_MS = 500;
/** "what time is it now": 5 tone words. */
const TURN_END_MS = AT_MS + 5 * TONE_WORD_MS + 4 * TONE_GAP_MS;
const ANSWER_DELAY_MS = 430;
const ANSWER_MS = 1000;

function scenario(id: string, withinMs = 1500): LoadedScenario {
  const yaml = `
version: 1
id: ${id}
family: turn_taking
tail_ms: 3000
timeline:
  - id: ask
    at_ms: ${AT_MS}
    speak: { text: "what time is it now" }
    expect: [ { take_turn: { within_ms: ${withinMs} } } ]
`;
  return parseScenario(yaml, join(dir, `${id}.yaml`), 'chaos');
}

async function run(scenarios: LoadedScenario[], adapter: Adapter): Promise<{ results: SessionResult[]; rows: Record<string, unknown>[] }> {
  const store = await Store.open(':memory:');
  try {
    const r = await runSuite({
      scenarios,
      adapter,
      media: toneMediaSource(),
      clock: 'virtual',
      recordingsDir: join(dir, 'rec'),
      store,
      suite: 'chaos',
      workers: 1,
    });
    const rows = await store.query('SELECT scenario_id, status, error FROM sessions ORDER BY scenario_id');
    return { results: r.sessions, rows };
  } finally {
    await store.close();
  }
}

const scripted = () => createScriptedAdapter({ answerDelayMs: ANSWER_DELAY_MS, answerMs: ANSWER_MS });

async function one(id: string, plan: ChaosPlan | string, withinMs?: number) {
  const { results, rows } = await run([scenario(id, withinMs)], createChaosAdapter(scripted(), typeof plan === 'string' ? parseInlinePlan(plan) : plan));
  expect(results).toHaveLength(1);
  expect(rows).toHaveLength(1);
  const result = results[0];
  const recording = readRecording(result.outcome.dir);
  const latency = result.scored?.metrics.find((m) => m.name === 'turn_taking.latency_ms');
  return { result, row: rows[0], recording, latency };
}

/** Agent-channel samples above a small threshold: how much agent audio was played. */
function loudSamples(pcm: Int16Array): number {
  let n = 0;
  for (const s of pcm) if (Math.abs(s) > 200) n++;
  return n;
}

const SAMPLE_MS = 1000 / 16_000;

describe('chaos: infrastructure faults end the session errored, recording kept', () => {
  it('disconnect: errored with the reason; the recording runs up to the drop and ends with session.end', async () => {
    const { result, row, recording } = await one('disconnect', 'disconnect@1500');
    expect(result.status).toBe('errored');
    expect(row).toMatchObject({ status: 'errored' });
    expect(row.error).toMatch(/connection lost at 1500 ms \(chaos disconnect\)/);
    expect(recording.events.some((e) => e.type === 'vendor' && e.name === 'chaos')).toBe(true);
    const end = recording.events[recording.events.length - 1];
    expect(end).toMatchObject({ type: 'session.end', reason: 'errored' });
    // Frames were recorded up to the fault (20 ms frames): nothing before it is lost.
    expect(recording.user.length / 16).toBeGreaterThanOrEqual(1500);
    expect(recording.user.length / 16).toBeLessThanOrEqual(1500 + 40);
  });

  it('vendor close codes: errored, the code and its name in the reason', async () => {
    for (const [code, name] of [
      [1011, 'internal error'],
      [1013, 'try again later'],
      [4408, 'application code'],
    ] as const) {
      const { result, row } = await one(`close-${code}`, `close@1800=${code}`);
      expect(result.status).toBe('errored');
      expect(row.error).toContain(`close code ${code} (${name})`);
    }
  });
});

describe('chaos: misbehaviour is measured (completed sessions, scored)', () => {
  it('stall over the answer delays it to the end of the stall: latency is known', async () => {
    const stallAtMs = TURN_END_MS + 200;
    const stallMs = 1000;
    const { result, latency, recording } = await one('stall', `stall@${stallAtMs}+${stallMs}`, 1000);
    expect(result.outcome.status).toBe('completed');
    expect(Math.abs(latency!.value! - (stallAtMs + stallMs - TURN_END_MS))).toBeLessThanOrEqual(20 + SAMPLE_MS);
    // 1170 ms > the 1000 ms budget: the system misbehaved, so the session failed (not errored).
    expect(result.status).toBe('failed');
    expect(recording.events.find((e) => e.type === 'vendor' && e.name === 'chaos')).toMatchObject({ payload: { fault: 'stall', forMs: stallMs } });
  });

  it('corrupt: the agent audio is damaged, not dropped, and the same on every run (seeded)', async () => {
    const window = `corrupt@${TURN_END_MS}+2000`;
    const clean = await one('clean', 'malformed_json@100');
    const a = await one('corrupt-a', window);
    const b = await one('corrupt-b', window);
    expect(a.result.outcome.status).toBe('completed');
    let differ = 0;
    for (let i = 0; i < a.recording.agent.length; i++) if (a.recording.agent[i] !== clean.recording.agent[i]) differ++;
    // One sample in eight is replaced (a few replacements equal the original by chance).
    expect(differ / (ANSWER_MS * 16)).toBeGreaterThan(0.1);
    expect(differ / (ANSWER_MS * 16)).toBeLessThan(0.15);
    expect(Buffer.from(a.recording.agent.buffer).equals(Buffer.from(b.recording.agent.buffer))).toBe(true);
  });

  it('truncate: each cut message is a recoverable error event; the session completes with less audio', async () => {
    const clean = await one('clean-2', 'malformed_json@100');
    const { result, recording } = await one('truncate', `truncate@${TURN_END_MS}+1000`);
    expect(result.outcome.status).toBe('completed');
    const errors = recording.events.filter((e) => e.type === 'adapter.error');
    expect(errors.length).toBe(1); // the scripted agent sends its answer as one burst
    expect(errors[0]).toMatchObject({ recoverable: true, code: 'truncated_frame' });
    expect(loudSamples(recording.agent)).toBeLessThan(loudSamples(clean.recording.agent));
  });

  it('truncate: a chunk cut to nothing is dropped, its error kept', async () => {
    const clock = new VirtualClock();
    const events: AdapterEvent[] = [];
    let emitFromAgent: (e: AdapterEvent) => void = () => {};
    const oneSampleAgent: Adapter = {
      name: 'one-sample',
      capabilities: scripted().capabilities,
      async open(ctx) {
        emitFromAgent = ctx.emit;
        return { sendAudio: () => {}, close: async () => {} };
      },
    };
    const adapter = createChaosAdapter(oneSampleAgent, parseInlinePlan('truncate@0+1000'));
    await adapter.open({ clock, emit: (e) => events.push(e), scenarioId: 'chaos/empty', options: {}, signal: new AbortController().signal });
    // One sample cut at a point drawn in [0, 1): none of it is left.
    emitFromAgent({ type: 'audio', pcm: Int16Array.from([1000]), sampleRate: 16_000 });
    expect(events).toEqual([
      {
        type: 'error',
        message: 'agent audio message cut short: 0 of 1 samples arrived (chaos truncate at 0 ms)',
        recoverable: true,
        code: 'truncated_frame',
      },
    ]);
  });

  it('wrong_rate: audio labelled 8 kHz instead of 16 kHz plays twice as long', async () => {
    const clean = await one('clean-3', 'malformed_json@100');
    const { result, recording } = await one('rate', `wrong_rate@${TURN_END_MS}+1000=8000`);
    expect(result.outcome.status).toBe('completed');
    const ratio = loudSamples(recording.agent) / loudSamples(clean.recording.agent);
    expect(ratio).toBeGreaterThan(1.9);
    expect(ratio).toBeLessThan(2.1);
  });

  it('malformed JSON: a recoverable error event with the parser message; the session completes and passes', async () => {
    const { result, recording, latency } = await one('json', 'malformed_json@1000');
    expect(result.status).toBe('passed');
    const error = recording.events.find((e) => e.type === 'adapter.error');
    expect(error).toMatchObject({ recoverable: true, code: 'malformed_json' });
    expect(error?.type === 'adapter.error' && error.message).toMatch(/unparsable message from the system, skipped: .*JSON/);
    expect(Math.abs(latency!.value! - ANSWER_DELAY_MS)).toBeLessThanOrEqual(SAMPLE_MS);
  });

  it('slow_read: the system gets user frames `delay` ms late inside the window, on time outside it', async () => {
    const seen: { sentMs: number; gotMs: number }[] = [];
    const listener: Adapter = {
      name: 'listener',
      capabilities: { inputSampleRate: 16_000, video: false, transcripts: false, serverTurnDetection: false, virtualTime: true, truncation: false },
      async open(ctx): Promise<AdapterSession> {
        return { sendAudio: (_pcm, tMs) => void seen.push({ sentMs: tMs, gotMs: ctx.clock.nowMs() }), close: async () => undefined };
      },
    };
    const { results } = await run([scenario('slow')], createChaosAdapter(listener, parseInlinePlan('slow_read@1000+500=40')));
    expect(results[0].outcome.status).toBe('completed');
    const lag = (s: { sentMs: number; gotMs: number }) => s.gotMs - s.sentMs;
    const inside = seen.filter((s) => s.sentMs >= 1000 && s.sentMs < 1500);
    const outside = seen.filter((s) => s.sentMs < 1000 || s.sentMs >= 1500);
    expect(inside.length).toBe(25);
    expect(inside.every((s) => lag(s) === 40)).toBe(true);
    expect(outside.every((s) => lag(s) === 0)).toBe(true);
  });
});

describe('chaos: the run goes on', () => {
  it('one disturbed session among three: the others pass, every session has a row and a reason', async () => {
    const plan = readChaosPlan({ faults: [{ kind: 'close', at_ms: 1000, code: 1011 }], match: 'chaos/b$' });
    const { rows } = await run([scenario('a'), scenario('b'), scenario('c')], createChaosAdapter(scripted(), plan));
    expect(rows).toEqual([
      { scenario_id: 'a', status: 'passed', error: null },
      { scenario_id: 'b', status: 'errored', error: expect.stringContaining('close code 1011') },
      { scenario_id: 'c', status: 'passed', error: null },
    ]);
  });

  it('a networked system really loses its connection: the OpenAI Realtime fake server sees the socket close', async () => {
    const fake = await startFakeOpenAIServer({ apiKey: 'sk-chaos-test-key' });
    const adapter = createChaosAdapter(createOpenAIRealtimeAdapter({ url: fake.url, apiKey: 'sk-chaos-test-key' }), parseInlinePlan('disconnect@600'));
    const store = await Store.open(':memory:');
    try {
      const r = await runSuite({
        scenarios: [scenario('ws')],
        adapter,
        media: toneMediaSource(),
        clock: 'real',
        recordingsDir: join(dir, 'rec-ws'),
        store,
        suite: 'chaos',
      });
      expect(fake.record.connections).toBe(1);
      expect(r.sessions[0].status).toBe('errored');
      expect(r.sessions[0].outcome.error).toContain('chaos disconnect');
      // 600 ms of stereo 16-bit frames at 16 kHz were kept (give or take a frame).
      expect(statSync(join(r.sessions[0].outcome.dir, 'audio.wav')).size).toBeGreaterThanOrEqual(44 + (600 - 20) * 16 * 4);
      await expect.poll(() => fake.server.sockets.size).toBe(0);
    } finally {
      await store.close();
      await fake.stop();
    }
  });
});

describe('chaos plans', () => {
  it('reads inline plans and refuses mistakes with what to write', () => {
    expect(parseInlinePlan('stall@2000+1500; close@6000=1011').faults).toEqual([
      { kind: 'stall', atMs: 2000, forMs: 1500 },
      { kind: 'close', atMs: 6000, forMs: 0, value: 1011 },
    ]);
    for (const bad of ['', 'stall@2000', 'close@100', 'close@100=99', 'explode@1', 'disconnect@100+5', 'wrong_rate@0+100=0', 'stall 2000']) {
      expect(() => parseInlinePlan(bad), bad).toThrow(InputError);
    }
  });
});
