/**
 * A finished session gives the same rows wherever it is finished: in the process's finishing
 * thread (the default, off the live loop) or on the calling thread. Two runs of the same
 * sessions in virtual time, one finished each way, store identical rows. A recording the thread
 * cannot read comes back as an error with its reason, not a hang.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createScriptedAdapter } from '../../adapters/scripted/adapter.ts';
import { parseScenario } from '../scenario/load.ts';
import { Store } from '../store/store.ts';
import { runSuite } from './run.ts';
import { toneMediaSource } from './testing/tone-media.ts';
import { decodeFinished, finishInThread, finishInThreadEncoded, finishRecording } from './finish.ts';
import { storedRows } from './test-rows.ts';

const dir = mkdtempSync(join(tmpdir(), 'crosstalk-finish-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scenario = (id: string, family: string, body: string) =>
  parseScenario(`version: 1\nid: ${id}\nfamily: ${family}\ntail_ms: 1500\ntimeline:\n${body}`, join(dir, `${id}.yaml`), 'finish');
const SCENARIOS = [
  scenario('turn', 'turn_taking', `  - id: q\n    at_ms: 500\n    speak: { text: "one two three four" }\n    expect: [ { take_turn: { within_ms: 1500 } } ]\n`),
  scenario('late', 'turn_taking', `  - id: q\n    at_ms: 300\n    speak: { text: "one two three" }\n    expect: [ { take_turn: { within_ms: 200 } } ]\n`),
  scenario(
    'barge',
    'interruption',
    `  - id: q\n    at_ms: 300\n    speak: { text: "one two three" }\n  - id: cut\n    after: { action: q, event: agent_speech_start, delay_ms: 800 }\n    speak: { text: "wait wait" }\n    expect: [ { stop: { within_ms: 1000 } } ]\n`,
  ),
];

async function runOnce(name: string, finishIn: 'thread' | 'loop') {
  const store = await Store.open(join(dir, `${name}.duckdb`));
  try {
    const result = await runSuite({
      scenarios: SCENARIOS,
      adapter: createScriptedAdapter({ answerDelayMs: 430, answerMs: 3000 }),
      media: toneMediaSource(),
      clock: 'virtual',
      repeat: 2,
      workers: 3,
      recordingsDir: join(dir, name),
      store,
      suite: 'finish',
      finishIn,
    });
    return { result, rows: await storedRows(store) };
  } finally {
    await store.close();
  }
}

describe('finishing a session off the live loop', () => {
  it('stores the same rows finished in the thread as on the loop', async () => {
    const inThread = await runOnce('thread', 'thread');
    const onLoop = await runOnce('loop', 'loop');
    expect(inThread.result.counts).toEqual(onLoop.result.counts);
    expect(inThread.result.counts.passed + inThread.result.counts.failed).toBe(6);
    expect(inThread.rows.sessions).toHaveLength(6);
    expect(inThread.rows.metrics.length).toBeGreaterThan(6);
    expect(inThread.rows.events.length).toBeGreaterThan(6);
    expect(inThread.rows).toEqual(onLoop.rows);
    // The planted answer is measured to the sample, however it was finished.
    const latency = inThread.rows.metrics.filter((m) => m.name === 'turn_taking.latency_ms').map((m) => m.value);
    expect(latency).toEqual([430, 430, 430, 430]);
  });

  it('gives the same result as finishRecording, encoded or not, and an unreadable recording fails with its reason', async () => {
    const { result } = await runOnce('again', 'thread');
    const s = result.sessions[0];
    const req = { dir: s.outcome.dir, sessionId: s.outcome.sessionId, score: true };
    expect(await finishInThread(req)).toEqual(finishRecording(req));
    // As a runner process forwards it: bytes out of the thread, decoded by the storing process.
    expect(decodeFinished(await finishInThreadEncoded(req))).toEqual(finishRecording(req));
    await expect(finishInThread({ dir: join(dir, 'no-such-session'), sessionId: 'x', score: true })).rejects.toThrow(
      /not a recording: .*events\.jsonl is missing/,
    );
  });
});
