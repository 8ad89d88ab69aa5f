/**
 * The scoring thread gives what score() gives on the main thread, and reports a bad recording
 * with its message (a run stores it as the session's error).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createScriptedAdapter } from '../../adapters/scripted/adapter.ts';
import { readRecording } from '../recording/reader.ts';
import { toneMediaSource } from '../runner/testing/tone-media.ts';
import { runSession } from '../runner/session.ts';
import { parseScenario } from '../scenario/load.ts';
import { score } from './score.ts';
import { scoreInThread } from './score-thread.ts';

const dir = mkdtempSync(join(tmpdir(), 'crosstalk-score-thread-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const YAML = `version: 1
id: thread
family: turn_taking
timeline:
  - id: q
    at_ms: 500
    speak: { text: "one two three four" }
    expect: [ { take_turn: { within_ms: 1500 } } ]
`;

describe('scoreInThread', () => {
  it('scores a recording exactly as score() does', async () => {
    const out = join(dir, 'ok');
    const outcome = await runSession({
      loaded: parseScenario(YAML, join(dir, 'thread.yaml'), 'kat'),
      sessionId: 'ok',
      dir: out,
      adapter: createScriptedAdapter({ answerDelayMs: 430 }),
      media: toneMediaSource(),
      clock: 'virtual',
      harnessVersion: 'test',
    });
    expect(outcome.status).toBe('completed');
    const inThread = await scoreInThread(out);
    expect(inThread).toEqual(score(readRecording(out)));
    expect(inThread.metrics.find((m) => m.name === 'turn_taking.latency_ms')?.value).toBe(430);
  });

  it('rejects with the reason when the recording cannot be read', async () => {
    const bad = join(dir, 'bad');
    rmSync(bad, { recursive: true, force: true });
    await expect(scoreInThread(bad)).rejects.toThrow(/events\.jsonl|no such file|ENOENT/i);
    writeFileSync(join(dir, 'not-a-dir'), 'x');
    await expect(scoreInThread(join(dir, 'not-a-dir'))).rejects.toThrow();
  });
});
