/**
 * A long run does not hold every session's result (RunOptions.keepSessions false, as the CLI and
 * the soak run): each still reaches onSession, the counts and the store, and RunResult.sessions
 * stays empty.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createScriptedAdapter } from '../../adapters/scripted/adapter.ts';
import { parseScenario } from '../scenario/load.ts';
import { Store } from '../store/store.ts';
import { runSuite, type SessionResult } from './run.ts';
import { toneMediaSource } from './testing/tone-media.ts';

const dir = mkdtempSync(join(tmpdir(), 'crosstalk-keep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCENARIO = parseScenario(
  `version: 1\nid: turn\nfamily: turn_taking\ntail_ms: 1500\ntimeline:\n  - id: q\n    at_ms: 500\n    speak: { text: "one two three four" }\n    expect: [ { take_turn: { within_ms: 1500 } } ]\n`,
  join(dir, 'turn.yaml'),
  'keep',
);

async function run(name: string, keepSessions: boolean | undefined) {
  const store = await Store.open(join(dir, `${name}.duckdb`));
  const seen: SessionResult[] = [];
  try {
    const result = await runSuite({
      scenarios: [SCENARIO],
      adapter: createScriptedAdapter({ answerDelayMs: 430, answerMs: 2000 }),
      media: toneMediaSource(),
      clock: 'virtual',
      repeat: 4,
      workers: 2,
      recordingsDir: join(dir, name),
      store,
      suite: 'keep',
      keepSessions,
      onSession: (r) => seen.push(r),
    });
    const [{ stored }] = await store.query<{ stored: number }>(`SELECT count(*)::INTEGER AS stored FROM sessions WHERE run_id = '${result.runId}'`);
    return { result, seen, stored };
  } finally {
    await store.close();
  }
}

describe('keepSessions', () => {
  it('false: every session is told, counted and stored, none is kept in the result', async () => {
    const { result, seen, stored } = await run('dropped', false);
    expect(result.sessions).toEqual([]);
    expect(seen).toHaveLength(4);
    expect(result.counts.passed).toBe(4);
    expect(stored).toBe(4);
  });

  it('by default the result holds the same sessions onSession was told of', async () => {
    const { result, seen } = await run('kept', undefined);
    expect(result.sessions).toHaveLength(4);
    expect(result.sessions).toEqual(seen);
  });
});
