/**
 * `crosstalk run --processes N`: the sessions are played in N runner processes (cli/run-child.ts)
 * and the parent stores what they hand back. The same sessions store the same rows as when
 * played in the run's own process (virtual time, so every session is exact), and a real-time
 * run in runner processes measures the planted answer as the in-process runner does. Runner
 * processes follow their parent: an interrupted run ends its sessions and exits 130, a killed
 * one leaves no runner process behind.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../datasets/audio/wav.ts';
import { vowelVoice } from '../harness/audio/vowel-voice.ts';
import { Store } from '../harness/store/store.ts';
import { storedRows } from '../harness/runner/test-rows.ts';
import { runCommand, type RunArgs } from './commands/run.ts';
import { recordingsDirFor } from './paths.ts';
import { readRecording } from '../harness/recording/reader.ts';

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
  return {
    suite,
    adapter: 'scripted',
    'adapter-option': ['answerMs=1500'],
    repeat: 2,
    workers: 3,
    clock: 'virtual',
    out,
    check: false,
    quiet: true,
    replace: true,
    'transcribe-model': 'whisper-1',
    ...extra,
  };
}

/** The clock origin (epoch ms) of every real-time recording under `dir`, from its session.end. */
function clockOrigins(dir: string): number[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('events.jsonl'))
    .flatMap((f) =>
      readRecording(dirname(join(dir, f))).events.flatMap((e) =>
        e.type === 'session.end' && e.timing?.clockOriginEpochMs !== undefined ? [e.timing.clockOriginEpochMs] : [],
      ),
    );
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
    expect(
      await runCommand(args(out, { clock: 'real', repeat: 1, processes: 2, 'adapter-option': ['answerMs=1500', 'answerDelayMs=430', 'delivery=stream'] })),
    ).toBe(0);
    const { metrics, sessions } = await rowsOf(out);
    const store = await Store.open(out);
    try {
      expect(await store.query("SELECT config->>'processes' AS processes FROM runs")).toEqual([{ processes: '2' }]);
    } finally {
      await store.close();
    }
    expect(sessions.map((s) => s.status)).toEqual(['passed', 'passed', 'passed']);
    const latency = new Map(metrics.filter((m) => m.name === 'turn_taking.latency_ms').map((m) => [m.session_id, m.value as number]));
    expect(latency.size).toBe(3);
    // Within a frame of the plant, as in-process; on a machine too busy for that, the session says
    // so (timing_flagged) and by how much the harness itself was late, which bounds the error.
    for (const s of sessions) {
      const error = Math.abs(latency.get(s.session_id)! - 430);
      if (s.timing_flagged) expect(error).toBeLessThanOrEqual((s.harness_error_ms as number) + 20);
      else expect(error).toBeLessThanOrEqual(20);
    }
    // The run spread the three sessions' frame deadlines over the 20 ms period (FramePhases: 0,
    // 10, 5 ms) across both runner processes: each clock origin, on the machine's clock, falls on
    // its phase.
    const origins = clockOrigins(recordingsDirFor(out));
    expect(origins).toHaveLength(3);
    const phases = origins.map((o) => o % 20);
    for (const p of phases) expect(Math.abs(p - Math.round(p))).toBeLessThan(0.01);
    expect(phases.map((p) => Math.round(p) % 20).sort((a, b) => a - b)).toEqual([0, 5, 10]);
  });
});

const root = resolve(import.meta.dirname, '..');

/** Start a real-time CLI run in runner processes; resolves once it has said what it plays, with its runner processes' pids. */
async function startRun(out: string) {
  const child = spawn(
    process.execPath,
    [
      join(root, 'bin', 'crosstalk.mjs'),
      'run',
      '--suite',
      suite,
      '--adapter',
      'scripted',
      '--adapter-option',
      'answerMs=1500',
      '--clock',
      'real',
      '--workers',
      '3',
      '--repeat',
      '4',
      '--processes',
      '2',
      '--out',
      out,
    ],
    { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let text = '';
  child.stdout.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr.on('data', (d: Buffer) => (text += d.toString()));
  const closed = new Promise<{ code: number | null; signal: string | null }>((done) => child.on('close', (code, signal) => done({ code, signal })));
  // The first stored session: the runner processes are up and playing.
  while (!/^\[\s*1\/12\]/m.test(text)) {
    if (child.exitCode !== null) throw new Error(`the run ended early: ${text}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  // Its runner processes by their entry (another child, such as a media tool, may come and go).
  const runners = execFileSync('pgrep', ['-P', String(child.pid), '-f', 'run-child-entry'], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map(Number);
  return { child, closed, runners, text: () => text };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function gone(pids: number[], withinMs: number): Promise<boolean> {
  for (const t0 = Date.now(); Date.now() - t0 < withinMs; await new Promise((r) => setTimeout(r, 100))) if (!pids.some(alive)) return true;
  return false;
}

describe('runner processes follow the run', () => {
  it('an interrupted run ends its sessions in flight, exits 130, and its runner processes exit', async () => {
    const run = await startRun(join(tmp, 'interrupted.duckdb'));
    expect(run.runners).toHaveLength(2);
    run.child.kill('SIGINT');
    const { code } = await run.closed;
    expect(code, run.text()).toBe(130);
    expect(await gone(run.runners, 10_000)).toBe(true);
  });

  it('a killed run leaves no runner process behind', async () => {
    const run = await startRun(join(tmp, 'killed.duckdb'));
    run.child.kill('SIGKILL');
    await run.closed;
    expect(await gone(run.runners, 10_000)).toBe(true);
  });
});
