/**
 * `crosstalk run --perturb` through the real CLI: a bad spec is bad input (exit 2) naming the
 * item; a run stores the canonical spec per session (sessions.perturbation) and in the run
 * config, and --resume refuses a different one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Store } from '../harness/store/store.ts';

const root = resolve(import.meta.dirname, '..');
let tmp: string;
const crosstalk = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, 'bin', 'crosstalk.mjs'), ...args], { encoding: 'utf8', timeout: 240_000, cwd: tmp });

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'crosstalk-perturb-'));
  writeFileSync(
    join(tmp, 'ask.yaml'),
    'version: 1\nid: ask\nfamily: turn_taking\nseed: 3\nnoise: { kind: room_tone, level_dbfs: -60 }\ntail_ms: 1500\ntimeline:\n  - id: q\n    at_ms: 300\n    speak: { text: "Could you tell me the time please?" }\n    expect: [ { take_turn: { within_ms: 1500 } } ]\n',
  );
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('crosstalk run --perturb', () => {
  it('a bad spec is bad input (exit 2) naming the item and the grammar', () => {
    const r = crosstalk('run', '--suite', join(tmp, 'ask.yaml'), '--perturb', 'reverb:0.4', '--out', join(tmp, 'never.duckdb'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--perturb: reverb RT60 "0.4" is not a number in ms/);
    expect(r.stderr).toMatch(/Grammar: rate:1\.1, reverb:400ms/);
  });

  it('stores the canonical spec per session and in the run config; --resume with another spec is refused', async () => {
    const out = join(tmp, 'run.duckdb');
    const base = ['run', '--suite', join(tmp, 'ask.yaml'), '--adapter', 'scripted', '--clock', 'virtual', '--quiet', '--out', out];
    const r = crosstalk(...base, '--perturb', 'telephone:opus@8kbps, rate:1.1');
    expect(r.status, r.stderr).toBe(0);
    const store = await Store.open(out);
    try {
      expect(await store.query('SELECT perturbation FROM sessions')).toEqual([{ perturbation: 'rate:1.1,telephone:opus@8kbps' }]);
      expect(await store.query("SELECT config->>'perturb' AS perturb FROM runs")).toEqual([{ perturb: 'rate:1.1,telephone:opus@8kbps' }]);
    } finally {
      await store.close();
    }
    const again = crosstalk(...base.filter((a) => a !== '--out' && a !== out), '--resume', out, '--perturb', 'rate:1.2');
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/--perturb rate:1\.1,telephone:opus@8kbps/);
  }, 240_000);
});
