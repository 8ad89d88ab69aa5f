/**
 * `crosstalk run --processes N`: the sessions are played in N runner processes (cli/run-child.ts)
 * and the parent stores what they hand back. The same sessions store the same rows as when
 * played in the run's own process (virtual time, so every session is exact), and a real-time
 * run in runner processes measures the planted answer as the in-process runner does.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../datasets/audio/wav.ts';
import { vowelVoice } from '../harness/audio/vowel-voice.ts';
import { Store } from '../harness/store/store.ts';
import { storedRows } from '../harness/runner/test-rows.ts';
import { runCommand, type RunArgs } from './commands/run.ts';

let tmp: string;
let suite: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'crosstalk-run-processes-'));
  suite = join(tmp, 'spread');
  mkdirSync(suite);
  // Speech-like user audio (the detector takes no tone for speech), as in resume.test.ts.
  writeFileSync(join(suite, 'voice.wav'), encodeWav(vowelVoice(2000 + 1200).subarray(32_000), 16_000));
  for (let i = 0; i < 3; i++) {
    writeFileSync(
      join(suite, `s${i}.yaml`),
      `version: 1\nid: s${i}\nfamily: turn_taking\ntail_ms: 1500\ntimeline:\n  - id: q\n    at_ms: ${300 + 100 * i}\n    speak: { clip: voice.wav }\n    expect: [ { take_turn: { within_ms: 1500 } } ]\n  - id: q2\n    after: { event: agent_speech_end, delay_ms: 300, timeout_ms: 5000 }\n    speak: { clip: voice.wav }\n`,
    );
  }
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function args(out: string, extra: Partial<RunArgs>): RunArgs {
  return { suite, adapter: 'scripted', 'adapter-option': ['answerMs=1500'], repeat: 2, workers: 3, clock: 'virtual', out, check: false, quiet: true, replace: true, 'transcribe-model': 'whisper-1', ...extra };
}

async function rowsOf(out: string) {
  const store = await Store.open(out);
  try {
    return await storedRows(store);
  } finally {
    await store.close();
  }
}

describe('run --processes', () => {
  it('stores the same rows from runner processes as from the run process (virtual time)', async () => {
    const here = join(tmp, 'here.duckdb');
    const spread = join(tmp, 'spread.duckdb');
    expect(await runCommand(args(here, { processes: 0 }))).toBe(0);
    expect(await runCommand(args(spread, { processes: 2 }))).toBe(0);
    const a = await rowsOf(here);
    const b = await rowsOf(spread);
    expect(a.sessions).toHaveLength(6);
    expect(b).toEqual(a);
  });

  it('measures the planted answer in real time from runner processes', async () => {
    const out = join(tmp, 'real.duckdb');
    expect(await runCommand(args(out, { clock: 'real', repeat: 1, processes: 2, 'adapter-option': ['answerMs=1500', 'answerDelayMs=430', 'delivery=stream'] }))).toBe(0);
    const { metrics, sessions } = await rowsOf(out);
    expect(sessions.map((s) => s.status)).toEqual(['passed', 'passed', 'passed']);
    const latency = metrics.filter((m) => m.name === 'turn_taking.latency_ms').map((m) => m.value as number);
    expect(latency).toHaveLength(3);
    // Within a frame of the plant: the runner processes pace as the run's own process does.
    for (const ms of latency) expect(Math.abs(ms - 430)).toBeLessThanOrEqual(20);
  });
});
