/**
 * The view commands end to end on real stores: files written by extension, exit codes, errors
 * that name the file and line. (cli/main.ts wires these functions to their verbs.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScriptedAdapter } from '../../adapters/scripted/adapter.ts';
import { playIntoStore } from '../../harness/store/testing/played-stores.ts';
import { exitCodeFor, describeError } from '../exit.ts';
import { gateCommand } from './gate.ts';
import { reportCommand } from './report.ts';
import { compareCommand } from './compare.ts';
import { leaderboardCommand } from './leaderboard.ts';

let dir: string;
const at = (name: string) => join(dir, name);
const GATE = `thresholds:
  - turn_taking.latency_ms p90 < 500
baseline:
  tolerance:
    default: 50
`;

/** Run a command, capturing stdout; errors become their exit code and message, as cli/main does. */
async function run(body: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const write = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((chunk: string) => ((out += chunk), true)) as typeof process.stdout.write;
  try {
    return { code: await body(), out, err: '' };
  } catch (e) {
    return { code: exitCodeFor(e), out, err: describeError(e) };
  } finally {
    process.stdout.write = write;
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crosstalk-views-'));
  for (const [name, delay] of [
    ['base', 430],
    ['same', 430],
    ['slower', 580],
  ] as const) {
    const { store } = await playIntoStore(at(`${name}.duckdb`), createScriptedAdapter({ answerDelayMs: delay }), {
      repeat: 2,
      recordingsDir: at(`${name}.recordings`),
      label: name,
    });
    await store.close();
  }
  writeFileSync(at('gate.yaml'), GATE);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('crosstalk gate', () => {
  it('holds for the same agent (exit 0) and writes JUnit, JSON, Markdown and the step summary', async () => {
    writeFileSync(at('summary.md'), '# earlier step\n');
    process.env.GITHUB_STEP_SUMMARY = at('summary.md');
    try {
      const r = await run(() =>
        gateCommand({
          store: at('same.duckdb'),
          config: at('gate.yaml'),
          baseline: at('base.duckdb'),
          o: [at('out/gate.xml'), at('out/gate.json'), at('out/gate.md')],
        }),
      );
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^crosstalk gate: all gates held \(6 sessions: 6 passed, 0 failed, 0 errored\)/);
    } finally {
      delete process.env.GITHUB_STEP_SUMMARY;
    }
    const junit = readFileSync(at('out/gate.xml'), 'utf8');
    expect(junit).toMatch(/<testsuite name="thresholds" tests="1" failures="0" errors="0" skipped="0">/);
    expect(junit).toContain('<testcase classname="crosstalk.gate.thresholds" name="turn_taking.latency_ms p90 &lt; 500"/>');
    expect(JSON.parse(readFileSync(at('out/gate.json'), 'utf8'))).toMatchObject({ outcome: 'held', thresholds: [{ status: 'held', line: 2, count: 6 }] });
    expect(readFileSync(at('out/gate.md'), 'utf8')).toMatch(/^## ✅ crosstalk gate: all gates held/);
    expect(readFileSync(at('summary.md'), 'utf8')).toMatch(/^# earlier step\n## ✅ crosstalk gate/);
  });

  it('fails on the agent made 150 ms slower: exit 3, failures in JUnit', async () => {
    const r = await run(() => gateCommand({ store: at('slower.duckdb'), config: at('gate.yaml'), baseline: at('base.duckdb'), o: [at('out/slower.xml')] }));
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/FAILED turn_taking\.latency_ms p90 < 500: p90 580 over 6 values does not hold/);
    expect(r.out).toMatch(/REGRESSED turn_taking\.latency_ms vs baseline: worse by 150 ms/);
    expect(readFileSync(at('out/slower.xml'), 'utf8')).toMatch(/<failure message="p90 580/);
  });

  it('a malformed config is exit 2 with file and line', async () => {
    writeFileSync(at('bad.yaml'), 'thresholds:\n  - turn_taking.latency_ms p90 < 500\n  - turn_taking.latency_ms p90 < fast\n');
    const r = await run(() => gateCommand({ store: at('same.duckdb'), config: at('bad.yaml'), o: [] }));
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${at('bad.yaml')}:3: thresholds[1]: value "fast" is not a number`);
  });

  it('a missing store or an unknown output extension is exit 2', async () => {
    expect((await run(() => gateCommand({ store: at('nope.duckdb'), config: at('gate.yaml'), o: [] }))).err).toMatch(/nope\.duckdb: no such store/);
    expect(existsSync(at('nope.duckdb'))).toBe(false);
    const r = await run(() => gateCommand({ store: at('same.duckdb'), config: at('gate.yaml'), o: [at('gate.txt')] }));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/-o: cannot tell what to write/);
  });
});

describe('crosstalk report, compare, leaderboard', () => {
  it('report writes the page and its charts as SVG and PNG', async () => {
    const r = await run(() => reportCommand({ store: at('base.duckdb'), o: at('out/report.html'), 'embed-audio-mb': 32, charts: true }));
    expect(r.code).toBe(0);
    expect(readFileSync(at('out/report.html'), 'utf8')).toMatch(/^<!doctype html>/);
    const charts = readdirSync(at('out/report-charts'));
    expect(charts).toContain('turn_taking.latency_ms.svg');
    expect(charts).toContain('turn_taking.latency_ms.png');
  });

  it('compare prints the paired table and writes Markdown, HTML and JSON', async () => {
    const r = await run(() =>
      compareCommand({ baseline: at('base.duckdb'), candidate: at('slower.duckdb'), o: [at('out/cmp.md'), at('out/cmp.html'), at('out/cmp.json')] }),
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/turn_taking\.latency_ms\s+3\s+430 ms\s+580 ms\s+\+150 ms\s+\+150 ms … \+150 ms\s+worse/);
    expect(JSON.parse(readFileSync(at('out/cmp.json'), 'utf8')).comparisons.length).toBeGreaterThan(3);
    expect(readFileSync(at('out/cmp.md'), 'utf8')).toContain('![Change against the baseline](cmp-charts/compare.png)');
  });

  it('leaderboard writes HTML and Markdown', async () => {
    const r = await run(() => leaderboardCommand({ stores: [at('base.duckdb'), at('slower.duckdb')], o: [at('out/lb.html'), at('out/lb.md')] }));
    expect(r.code).toBe(0);
    expect(r.out).toContain('2 systems on 3 common scenarios');
    expect(readFileSync(at('out/lb.md'), 'utf8')).toMatch(/\| 1 \| scripted \(base\) \|/);
  });
});
