/**
 * Runner processes that fail surface as errors that name them; nothing waits forever. (That the
 * sessions they play give the same rows as in-process is checked through the CLI, which builds
 * their adapter: cli/run-processes.test.ts.)
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createScriptedAdapter } from '../../adapters/scripted/adapter.ts';
import { parseScenario } from '../scenario/load.ts';
import { Store } from '../store/store.ts';
import { runSuite } from './run.ts';
import { toneMediaSource } from './testing/tone-media.ts';
import { runnerProcessCount, SESSIONS_PER_PROCESS } from './processes.ts';

const dir = mkdtempSync(join(tmpdir(), 'crosstalk-processes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const loaded = parseScenario(
  `version: 1\nid: one\nfamily: turn_taking\ntimeline:\n  - id: q\n    at_ms: 300\n    speak: { text: "one two" }\n`,
  join(dir, 'one.yaml'),
  'p',
);

/** A runner process written as plain JS: `body` answers the parent's messages. */
function child(name: string, body: string): () => ReturnType<typeof fork> {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, body);
  return () => fork(file, [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

async function run(start: () => ReturnType<typeof fork>) {
  const store = await Store.open(join(dir, `${Math.random()}.duckdb`));
  try {
    return await runSuite({
      scenarios: [loaded],
      adapter: createScriptedAdapter(),
      media: toneMediaSource(),
      clock: 'real',
      repeat: 3,
      workers: 2,
      recordingsDir: join(dir, 'rec'),
      store,
      suite: 'p',
      processes: { count: 2, start },
    });
  } finally {
    await store.close();
  }
}

describe('runner processes', () => {
  it('a runner process that dies mid-session fails the run with its name and exit code', async () => {
    const start = child('dies', `process.send({ type: 'ready' }); process.on('message', (m) => { if (m.type === 'play') process.exit(3); });`);
    await expect(run(start)).rejects.toThrow(/runner process \d \(pid \d+\) exited with code 3 with 1 session\(s\) in flight/);
  });

  it('a runner process that cannot set up says why', async () => {
    const start = child('setup', `process.send({ type: 'setup-failed', message: 'no such adapter: nope' }, () => process.exit(1));`);
    await expect(run(start)).rejects.toThrow(/runner process \d could not start: no such adapter: nope/);
  });

  it('a job that throws in a runner process comes back as its error', async () => {
    const start = child(
      'throws',
      `process.send({ type: 'ready' }); process.on('message', (m) => { if (m.type === 'play') process.send({ type: 'failed', id: m.id, message: 'bad media: clip.wav' }); if (m.type === 'close') process.exit(0); });`,
    );
    await expect(run(start)).rejects.toThrow(/runner process \d: bad media: clip\.wav/);
  });

  it('starts no more runner processes than there are sessions to play', async () => {
    const body = `import { serialize } from 'node:v8'; process.send({ type: 'ready' }); process.on('message', (m) => { if (m.type === 'play') process.send({ type: 'played', id: m.id, played: { outcome: { status: 'aborted', sessionId: m.job.sessionId, dir: m.job.dir }, encoded: serialize({ eventRows: [] }) } }); if (m.type === 'close') process.exit(0); });`;
    const fork1 = child('aborts', body);
    let started = 0;
    const store = await Store.open(join(dir, 'few.duckdb'));
    try {
      const result = await runSuite({
        scenarios: [loaded],
        adapter: createScriptedAdapter(),
        media: toneMediaSource(),
        clock: 'real',
        repeat: 2,
        workers: 2,
        recordingsDir: join(dir, 'few'),
        store,
        suite: 'p',
        processes: { count: 6, start: () => (started++, fork1()) },
      });
      expect(result.counts.aborted).toBe(2);
    } finally {
      await store.close();
    }
    expect(started).toBe(2);
  });

  it('a result that cannot be read fails the run with the runner process named', async () => {
    const start = child(
      'garbled',
      `process.send({ type: 'ready' }); process.on('message', (m) => { if (m.type === 'play') process.send({ type: 'played', id: m.id, played: { outcome: {}, encoded: new Uint8Array([1, 2, 3]) } }); if (m.type === 'close') process.exit(0); });`,
    );
    await expect(run(start)).rejects.toThrow(/runner process \d handed back a result that cannot be read/);
  });

  it('plays real-time runs in one process per SESSIONS_PER_PROCESS sessions, never the storing one; virtual time stays in-process', () => {
    expect(SESSIONS_PER_PROCESS).toBe(16);
    expect(runnerProcessCount(1, 'real')).toBe(1);
    expect(runnerProcessCount(8, 'real')).toBe(1);
    expect(runnerProcessCount(16, 'real')).toBe(1);
    expect(runnerProcessCount(8, 'real', 0)).toBe(0);
    expect(runnerProcessCount(17, 'real')).toBe(2);
    expect(runnerProcessCount(64, 'real')).toBe(4);
    expect(runnerProcessCount(64, 'virtual')).toBe(0);
    expect(runnerProcessCount(4, 'virtual', 2)).toBe(2);
    expect(runnerProcessCount(1, 'real', 3)).toBe(1);
  });
});
