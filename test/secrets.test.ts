/**
 * API keys never reach a byte crosstalk writes. Real `crosstalk run`s with sentinel keys go
 * through every adapter that takes a credential (OpenAI Realtime, Gemini Live, Moshi against
 * their fake servers, which accept only the sentinel; ws with a token in the URL query; the
 * reference agent given a key-named option), plus a refused key (the 401 path, whose error
 * message is printed and stored). Then every byte of the store, its WAL, the recordings, the
 * HTML report and its assets, and the captured stdout/stderr is scanned for each sentinel, raw,
 * URL-encoded and base64-encoded.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../adapters/openai-realtime/testing/fake-server.ts';
import { startFakeGeminiServer, type FakeGeminiServer } from '../adapters/gemini-live/testing/fake-server.ts';
import { startFakeMoshiServer, type FakeMoshiServer } from '../adapters/moshi/testing/fake-server.ts';
import { startScriptedServer, type Scripted } from '../adapters/ws/testing/scripted-server.ts';

const root = resolve(import.meta.dirname, '..');
const scenario = join(root, 'test', 'fixtures', 'ok', 'one-turn.yaml');
const SENTINEL = {
  openai: 'sk-proj-SENTINEL0penai7f3a9c2e41d8',
  gemini: 'AIzaSENTINELgemini5b7d1e9c3a2f60',
  moshi: 'kyutai-SENTINEL-moshi-4c8e2a6f1b',
  ws: 'wstoken-SENTINEL-9e1d3b5a7c2f4',
  reference: 'ref-SENTINEL-key-3a5c7e9b1d',
  refused: 'sk-proj-SENTINELrefused2b4d6f8a0c',
};

let tmp: string;
let openai: FakeOpenAIServer;
let gemini: FakeGeminiServer;
let moshi: FakeMoshiServer;
let ws: Scripted;
const logs: string[] = [];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'crosstalk-secrets-'));
  openai = await startFakeOpenAIServer({ apiKey: SENTINEL.openai, responseDelayMs: 300, responseAudioMs: 800 });
  gemini = await startFakeGeminiServer({ apiKey: SENTINEL.gemini, responseDelayMs: 300, responseAudioMs: 800 });
  moshi = await startFakeMoshiServer({ apiKey: SENTINEL.moshi, responseDelayMs: 300, responseAudioMs: 800 });
  ws = await startScriptedServer();
});
afterAll(async () => {
  await Promise.all([openai.stop(), gemini.stop(), moshi.stop(), ws.close()]);
  rmSync(tmp, { recursive: true, force: true });
});

/** A one-turn run takes about 5 s; past this the child is interrupted (SIGINT: it stores what it has and exits 130). */
const RUN_LIMIT_MS = 45_000;

/** `crosstalk run` in a child process (async: the fake servers live in this process). */
function run(name: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  const argv = [
    join(root, 'bin', 'crosstalk.mjs'),
    'run',
    '--suite',
    scenario,
    '--out',
    join(tmp, `${name}.duckdb`),
    '--report',
    join(tmp, `${name}-report`, 'report.html'),
    '--workers',
    '1',
    ...args,
  ];
  const child = spawn(process.execPath, argv, { cwd: tmp, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const limit = setTimeout(() => child.kill('SIGINT'), RUN_LIMIT_MS);
  return new Promise((done) =>
    child.on('close', (code) => {
      clearTimeout(limit);
      logs.push(`$ ${name}\n${out}\n${err}`);
      done({ code, out, err });
    }),
  );
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => statSync(f).isFile());
}

describe('secrets', () => {
  it('no sentinel key in the store, recordings, reports or logs of runs through every adapter', async () => {
    const runs = [
      await run('openai', ['--adapter', 'openai-realtime', '--url', openai.url], { OPENAI_API_KEY: SENTINEL.openai }),
      await run('gemini', ['--adapter', 'gemini-live', '--url', gemini.url], { GEMINI_API_KEY: SENTINEL.gemini }),
      await run('moshi', ['--adapter', 'moshi', '--url', moshi.url], { KYUTAI_API_KEY: SENTINEL.moshi }),
      await run('ws', ['--adapter', 'ws', '--url', `${ws.url}?token=${SENTINEL.ws}`]),
      await run('reference', ['--adapter', 'reference', '--adapter-option', `apiKey=${SENTINEL.reference}`]),
      await run('refused', ['--adapter', 'openai-realtime', '--url', openai.url], { OPENAI_API_KEY: SENTINEL.refused }),
    ];
    // The keys were really used: each fake server accepted its sentinel and served a session.
    expect(openai.record.connections).toBeGreaterThanOrEqual(1);
    expect(gemini.record.setups.length).toBeGreaterThanOrEqual(1);
    expect(moshi.record.connections).toBeGreaterThanOrEqual(1);
    for (const r of runs.slice(0, 4)) expect(r.out, r.err).toMatch(/: (1 passed|0 passed, 1 failed)/);
    // The reference run only carries the key as an option (it must be redacted from the run config);
    // whatever its session did, the run row was written.
    expect(runs[4].out).toMatch(/crosstalk: 1 sessions of ok against reference/);
    // The refused key is a configuration error, reported without the key.
    expect(runs[5].code).toBe(2);
    expect(runs[5].err).toMatch(/401|key/i);

    const files = filesUnder(tmp);
    expect(files.some((f) => f.endsWith('.duckdb'))).toBe(true);
    expect(files.some((f) => f.endsWith('audio.wav'))).toBe(true);
    expect(files.some((f) => f.endsWith('events.jsonl'))).toBe(true);
    expect(files.some((f) => f.endsWith('report.html'))).toBe(true);
    const blobs = [...files.map((f) => ({ where: f, bytes: readFileSync(f) })), { where: 'stdout/stderr', bytes: Buffer.from(logs.join('\n')) }];
    const needles = Object.values(SENTINEL).flatMap((s) => [s, encodeURIComponent(s), Buffer.from(s).toString('base64').replace(/=+$/, '')]);
    let scannedBytes = 0;
    for (const { where, bytes } of blobs) {
      scannedBytes += bytes.length;
      for (const needle of needles) expect(bytes.includes(needle), `${needle} found in ${where}`).toBe(false);
    }
    // Guard against a vacuous scan: the redacted marks are there instead.
    expect(Buffer.concat(blobs.map((b) => b.bytes)).includes('[redacted]')).toBe(true);
    console.log(`secrets: scanned ${blobs.length} files/streams, ${(scannedBytes / 1e6).toFixed(1)} MB, for ${needles.length} sentinel forms: none found`);
    // Six CLI runs in real time: 46 s alone, past the default 120 s on a two-core machine shared with other work.
  }, 300_000);
});
