/**
 * Kill and resume, for real: a child `crosstalk run` is SIGKILLed mid-run (twice), and
 * `--resume` finishes the run. Counts what each kill lost (sessions started but not stored,
 * which must be at most the sessions in flight) and checks the finished run has every session
 * exactly once, in one run, with a readable recording.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Store } from '../../harness/store/store.ts';
import { readRecording } from '../../harness/recording/reader.ts';
import { encodeWav } from '../../datasets/audio/wav.ts';
import { vowelVoice } from '../../harness/audio/vowel-voice.ts';

const root = resolve(import.meta.dirname, '..', '..');
const SESSIONS = 16;
const WORKERS = 3;
let tmp: string;
let suite: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'crosstalk-resume-'));
  suite = join(tmp, 'killme');
  mkdirSync(suite);
  // A speech-like clip (the speech detector trims the user's clips; a tone is no speech), taken
  // 2 s into the vowel voice: the scripted agent answers with its start, and the same audio
  // back would be an echo of the user, no answer.
  writeFileSync(join(suite, 'voice.wav'), encodeWav(vowelVoice(2000 + 1200).subarray(32_000), 16_000));
  for (let i = 0; i < SESSIONS; i++) {
    const turns = Array.from({ length: 6 }, (_, k) =>
      k === 0
        ? `  - id: t0\n    at_ms: 500\n    speak: { clip: voice.wav }\n    expect: [ { take_turn: { within_ms: 1500 } } ]\n`
        : `  - id: t${k}\n    after: { event: agent_speech_end, delay_ms: 300, timeout_ms: 10000 }\n    speak: { clip: voice.wav }\n`,
    ).join('');
    writeFileSync(
      join(suite, `s${String(i).padStart(2, '0')}.yaml`),
      `version: 1\nid: s${String(i).padStart(2, '0')}\nfamily: turn_taking\ntail_ms: 1500\ntimeline:\n${turns}`,
    );
  }
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const store = () => join(tmp, 'run.duckdb');
const args = [
  'run',
  '--suite',
  () => suite,
  '--adapter',
  'scripted',
  '--adapter-option',
  'answerMs=1500',
  '--clock',
  'virtual',
  '--workers',
  String(WORKERS),
] as const;

/** Run the CLI; SIGKILL it once `killAfter` sessions have been reported (if given). */
function crosstalk(extra: string[], killAfter?: number): Promise<{ code: number | null; signal: string | null; out: string; err: string }> {
  const argv = [join(root, 'bin', 'crosstalk.mjs'), ...args.map((a) => (typeof a === 'function' ? a() : a)), ...extra];
  const child = spawn(process.execPath, argv, { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const reported = out.match(/^\[\s*\d+\/\d+\]/gm)?.length ?? 0;
    if (killAfter !== undefined && reported >= killAfter && child.exitCode === null) child.kill('SIGKILL');
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((done) => child.on('close', (code, signal) => done({ code, signal, out, err })));
}

/** Sessions stored, and sessions started (a recording folder exists) in the store's run. */
async function census(): Promise<{ runs: number; stored: string[]; started: string[] }> {
  const s = await Store.open(store());
  try {
    const runs = await s.query<{ run_id: string }>('SELECT run_id FROM runs');
    const rows = await s.query<{ scenario_id: string }>('SELECT scenario_id FROM sessions ORDER BY scenario_id');
    const base = join(tmp, 'run.recordings', runs[0].run_id, 'killme');
    const started = existsSync(base)
      ? readdirSync(base)
          .filter((id) => existsSync(join(base, id, 'r0', 'events.jsonl')))
          .sort()
      : [];
    return { runs: runs.length, stored: rows.map((r) => r.scenario_id), started };
  } finally {
    await s.close();
  }
}

describe('SIGKILL and --resume', () => {
  it('each kill loses at most the sessions in flight; resuming completes the run with every session once', async () => {
    const lost: number[] = [];
    const first = await crosstalk(['--out', store()], 4);
    expect(first.signal).toBe('SIGKILL');
    let c = await census();
    expect(c.runs).toBe(1);
    expect(c.stored.length).toBeGreaterThanOrEqual(4);
    lost.push(c.started.filter((id) => !c.stored.includes(id)).length);

    const second = await crosstalk(['--resume', store()], 4);
    expect(second.signal).toBe('SIGKILL');
    expect(second.out).toMatch(new RegExp(`resuming run \\S+ \\(${c.stored.length} sessions already stored\\)`));
    const before = c.stored.length;
    c = await census();
    expect(c.runs).toBe(1);
    expect(c.stored.length).toBeGreaterThanOrEqual(before + 4);
    lost.push(c.started.filter((id) => !c.stored.includes(id)).length);

    const last = await crosstalk(['--resume', store()]);
    expect(last.code, last.err).toBe(0);
    expect(last.out).toMatch(new RegExp(`crosstalk: ${SESSIONS - c.stored.length} sessions of killme`));
    c = await census();
    expect(c.runs).toBe(1);
    expect(c.stored).toEqual(Array.from({ length: SESSIONS }, (_, i) => `s${String(i).padStart(2, '0')}`));
    expect(c.started).toEqual(c.stored);
    for (const l of lost) expect(l).toBeLessThanOrEqual(WORKERS);
    // Re-run sessions were recorded afresh: every recording reads back whole.
    const s = await Store.open(store());
    const paths = await s.query<{ recording_path: string; status: string }>('SELECT recording_path, status FROM sessions');
    await s.close();
    for (const p of paths) {
      expect(p.status).toBe('passed');
      const rec = readRecording(p.recording_path);
      expect(rec.events.at(-1)).toMatchObject({ type: 'session.end', reason: 'completed' });
    }
    console.log(`SIGKILL census: ${SESSIONS} sessions, ${WORKERS} workers; sessions lost per kill (in flight, re-run on resume): ${lost.join(', ')}`);
  });

  it('refuses to resume with other selection flags, or a store with no such run', async () => {
    const r = await crosstalk(['--resume', store(), '--repeat', '2']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/run \S+ was started with other flags than this resumption\n  Resume it with the flags it was started with: --repeat 1/);
    // Another voice set would mix speech sources in one run.
    const voices = await crosstalk(['--resume', store(), '--voices', 'flite:slt']);
    expect(voices.code).toBe(2);
    expect(voices.err).toMatch(/Resume it with the flags it was started with: no --voices/);
    const none = await crosstalk(['--resume', join(tmp, 'nope.duckdb')]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/nope\.duckdb: --resume: no store to resume/);
    expect(`${r.err}${none.err}`).not.toMatch(/at .*\.ts:\d+/);
  });
});
