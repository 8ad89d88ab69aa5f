/**
 * The gate fails closed, with known answers: stores written row by row (values and typed N/A
 * reasons planted), so every count, stat and verdict below is known before the gate runs.
 * - min_count: a threshold backed by too few values fails;
 * - no data: a threshold with no value in scope fails, unless allowed (flag or per threshold);
 * - baseline: a metric with values in the baseline and none in the candidate fails (missing);
 * - timing: a completed session whose harness-made timing error passed the bound makes the
 *   outcome errored (exit 1) unless allowed: a loaded machine neither passes nor fails a latency.
 * - confident: a threshold that must hold at the far end of its stat's 95% CI fails on a
 *   sample too small to show it, and holds once the sample does.
 * The same verdicts through the real CLI (`node bin/crosstalk.mjs gate`): exit 3, 0, 1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { NaReason } from '../scoring/types.ts';
import { Store, type SessionVerdict, type StoredMetric } from '../store/store.ts';
import { runRow, sessionRow } from '../store/testing/rows.ts';
import { parseGateConfig } from './config.ts';
import { gateExitCode, runGate } from './gate.ts';
import { gateJunit, gateMarkdown, gateText } from '../../reports/gate-output.ts';

const root = resolve(import.meta.dirname, '..', '..');
let dir: string;
const stores: Store[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crosstalk-fail-closed-'));
});
afterAll(async () => {
  for (const s of stores) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

const latency = (value: number | null, reason?: NaReason): StoredMetric => ({
  name: 'turn_taking.latency_ms',
  family: 'turn_taking',
  unit: 'ms',
  value,
  passed: value === null ? false : true,
  subject: 'q1',
  ...(reason ? { reason } : {}),
});
const takeover = (value: 0 | 1): StoredMetric => ({ name: 'pause.takeover', family: 'pause', unit: 'bool', value, passed: value === 0, subject: 'say#pause1' });

interface Planted {
  scenario: string;
  status?: SessionVerdict;
  metrics: StoredMetric[];
  /** The harness-made timing error of the session (ms); flagged past 10 ms. */
  harnessErrorMs?: number;
}

/** A store with one session per entry (scenario `fx/<scenario>`, repeats numbered in order). */
async function plant(name: string, sessions: Planted[], file = false): Promise<Store> {
  const store = await Store.open(file ? join(dir, `${name}.duckdb`) : ':memory:');
  await store.beginRun(runRow(name));
  const repeats = new Map<string, number>();
  for (const [i, s] of sessions.entries()) {
    const repeat = repeats.get(s.scenario) ?? 0;
    repeats.set(s.scenario, repeat + 1);
    const family = s.metrics[0]?.family ?? 'turn_taking';
    await store.appendSession(
      sessionRow(`${name}-${i}`, {
        runId: name,
        scenarioKey: `fx/${s.scenario}`,
        scenarioId: s.scenario,
        suite: 'fx',
        family,
        tags: [],
        repeat,
        status: s.status ?? 'passed',
        error: s.status === 'errored' ? 'vendor 429' : null,
        ...(s.harnessErrorMs === undefined ? {} : { harnessErrorMs: s.harnessErrorMs, timingFlagged: s.harnessErrorMs > 10 }),
      }),
      [],
      [],
      s.metrics,
    );
  }
  if (file) await store.close();
  else stores.push(store);
  return store;
}

const LATENCIES = [100, 200, 300, 400, 500];
const measured = () => LATENCIES.map((v, i): Planted => ({ scenario: `t${i}`, metrics: [latency(v)] }));
const takeovers = (): Planted[] => [0, 0, 1, 0].map((v, i) => ({ scenario: `p${i}`, metrics: [takeover(v as 0 | 1)] }));
const gate = (text: string) => parseGateConfig(text, 'gate.yaml');

describe('min_count', () => {
  it('a threshold backed by fewer values than min_count fails, naming the count; enough values judge the limit', async () => {
    const store = await plant('five', [...measured(), { scenario: 'x', metrics: [latency(null, 'no_response')] }]);
    const result = await runGate(
      store,
      gate(
        'thresholds:\n  - turn_taking.latency_ms p90 < 800 min_count 10\n  - turn_taking.latency_ms p90 < 800 min_count 5\n  - turn_taking.latency_ms median < 250 min_count 5\n',
      ),
    );
    const [few, enough, slow] = result.thresholds;
    // p90 of 100..500 (type 7): h = 3.6, 400 + 0.6 * 100 = 460.
    expect(few).toMatchObject({ status: 'failed', cause: 'min_count', count: 5, minCount: 10, na: { no_response: 1 } });
    expect(few.observed).toBeCloseTo(460, 9);
    expect(few.reason).toBe('p90 460 over 5 values in scope, fewer than min_count 10; 1 N/A: no_response 1: too few to judge, so it fails');
    expect(enough).toMatchObject({ status: 'held', count: 5, minCount: 5 });
    expect(slow).toMatchObject({ status: 'failed', cause: 'limit', observed: 300 });
    expect(slow.reason).toBe('median 300 over 5 values does not hold < 250; 1 N/A: no_response 1');
    expect(gateExitCode(result)).toBe(3);
    expect(gateText(result)).toContain('  FAILED turn_taking.latency_ms p90 < 800 min_count 10: p90 460 over 5 values in scope, fewer than min_count 10');
  });
});

describe('no data', () => {
  const config = gate('thresholds:\n  - family:pause pause.takeover rate <= 0.3\n  - turn_taking.latency_ms p90 < 800\n');
  const naOnly = (): Planted[] => [
    { scenario: 't0', metrics: [latency(null, 'no_response')] },
    { scenario: 't1', metrics: [latency(null, 'no_response')] },
    { scenario: 't2', metrics: [latency(null, 'trigger_missed')] },
    { scenario: 't3', metrics: [latency(null)] }, // a row without a reason (older stores): unknown
    { scenario: 't3', metrics: [latency(null, 'no_response')] },
  ];

  it('a threshold whose metric has no values fails, naming the metric and the N/A rows by reason', async () => {
    const store = await plant('silent', [...takeovers(), ...naOnly()]);
    const result = await runGate(store, config);
    expect(result.thresholds[0]).toMatchObject({ status: 'held', observed: 0.25, count: 4 });
    const none = result.thresholds[1];
    expect(none).toMatchObject({ status: 'failed', cause: 'no_data', observed: null, count: 0, na: { no_response: 3, trigger_missed: 1, unknown: 1 } });
    expect(none.reason).toBe(
      'no values in scope (no completed session measured turn_taking.latency_ms; 5 N/A: no_response 3, trigger_missed 1, unknown 1); a threshold without data fails (allow it with allow_no_data or --allow-no-data)',
    );
    expect(result.outcome).toBe('failed');
    expect(gateExitCode(result)).toBe(3);
    expect(gateText(result)).toContain('  FAILED turn_taking.latency_ms p90 < 800: no values in scope');
    const md = gateMarkdown(result);
    expect(md).toContain('| turn_taking.latency_ms p90 &lt; 800 | all | **FAILED** | – | 0 | 1 | no_response 3, trigger_missed 1, unknown 1 |');
    expect(md).toContain('- FAILED `turn_taking.latency_ms p90 < 800`: no values in scope');
    expect(gateJunit(result)).toMatch(
      /<testsuite name="thresholds" tests="2" failures="1" errors="0" skipped="0">[\s\S]*<failure message="no values in scope \(no completed session measured turn_taking\.latency_ms; 5 N\/A: no_response 3/,
    );
  });

  it('a metric that was never stored at all fails the same way (no rows, no sessions of its family)', async () => {
    const store = await plant('pause-only', takeovers());
    const result = await runGate(store, gate('thresholds:\n  - interruption.stop_latency_ms median < 300\n'));
    expect(result.thresholds[0]).toMatchObject({ status: 'failed', cause: 'no_data', na: {} });
    expect(result.thresholds[0].reason).toBe(
      'no values in scope (no completed session measured interruption.stop_latency_ms); a threshold without data fails (allow it with allow_no_data or --allow-no-data)',
    );
    expect(gateExitCode(result)).toBe(3);
  });

  it('allowed by --allow-no-data or by allow_no_data on the threshold, it passes as no data (skipped in JUnit)', async () => {
    const store = await plant('silent-allowed', [...takeovers(), ...naOnly()]);
    const flag = await runGate(store, config, undefined, { allowNoData: true });
    expect(flag.thresholds[1]).toMatchObject({ status: 'no_data', observed: null });
    expect(flag.thresholds[1].reason).toMatch(/; passes as no data \(--allow-no-data\)$/);
    expect(gateExitCode(flag)).toBe(0);
    expect(gateJunit(flag)).toMatch(/tests="2" failures="0" errors="0" skipped="1"/);
    const own = await runGate(store, gate('thresholds:\n  - turn_taking.latency_ms p90 < 800 allow_no_data\n  - turn_taking.latency_ms median < 800\n'));
    expect(own.thresholds.map((t) => [t.status, t.cause ?? null])).toEqual([
      ['no_data', null],
      ['failed', 'no_data'],
    ]);
    expect(own.thresholds[0].reason).toMatch(/passes as no data \(allow_no_data\)$/);
    expect(gateExitCode(own)).toBe(3);
    // Allowing no data does not allow too few values.
    const few = await plant('one-value', [{ scenario: 't0', metrics: [latency(120)] }]);
    const short = await runGate(few, gate('thresholds:\n  - turn_taking.latency_ms p90 < 800 min_count 3 allow_no_data\n'), undefined, { allowNoData: true });
    expect(short.thresholds[0]).toMatchObject({ status: 'failed', cause: 'min_count', count: 1 });
  });

  it('no data where sessions in scope errored is errored (exit 1): infrastructure is neither a pass nor a failure', async () => {
    const store = await plant('flaky', [
      ...takeovers(),
      { scenario: 't0', status: 'errored', metrics: [] },
      { scenario: 't1', metrics: [latency(null, 'no_response')] },
    ]);
    const result = await runGate(store, config);
    expect(result.thresholds[1]).toMatchObject({ status: 'errored', count: 0 });
    expect(result.thresholds[1].reason).toBe(
      'no values in scope (no completed session measured turn_taking.latency_ms; 1 N/A: no_response 1); 1 session in scope errored (infrastructure), so it cannot be judged',
    );
    expect(result.outcome).toBe('errored');
    expect(gateExitCode(result)).toBe(1);
    expect(gateJunit(result)).toMatch(/tests="2" failures="0" errors="1" skipped="0"/);
  });
});

describe('confident', () => {
  const noTakeovers = (n: number): Planted[] => Array.from({ length: n }, (_, i) => ({ scenario: `p${i}`, metrics: [takeover(0)] }));

  it('a rate of 0 over 3 values does not show rate <= 0.1 (Wilson CI 0 to 0.56); over 40 values (CI 0 to 0.088) it does', async () => {
    const config = gate('thresholds:\n  - family:pause pause.takeover rate <= 0.1 confident\n  - family:pause pause.takeover rate <= 0.1\n');
    const few = await runGate(await plant('three-clean', noTakeovers(3)), config);
    const [sure, plain] = few.thresholds;
    expect(plain).toMatchObject({ status: 'held', observed: 0 });
    expect(sure).toMatchObject({ status: 'failed', cause: 'uncertain', observed: 0, count: 3 });
    expect(sure.interval!.low).toBe(0);
    expect(sure.interval!.high).toBeCloseTo(0.5615, 4);
    expect(sure.reason).toBe(
      'rate 0.000 over 3 values (95% CI 0.000 to 0.561): its upper end does not hold <= 0.1, so the limit is not shown at this sample size',
    );
    expect(gateExitCode(few)).toBe(3);
    expect(gateText(few)).toContain('  FAILED family:pause pause.takeover rate <= 0.1 confident: rate 0.000 over 3 values (95% CI 0.000 to 0.561)');

    const many = await runGate(await plant('forty-clean', noTakeovers(40)), config);
    expect(many.thresholds[0]).toMatchObject({ status: 'held', observed: 0 });
    expect(many.thresholds[0].interval!.high).toBeCloseTo(0.0876, 4);
    expect(many.thresholds[0].reason).toBe('rate 0.000 over 40 values (95% CI 0.000 to 0.088): its upper end holds <= 0.1');
    expect(gateExitCode(many)).toBe(0);
  });

  it('a median near its limit needs a tight interval; > and >= are judged at the lower end; a point outside the limit fails as limit', async () => {
    const store = await plant('medians', measured());
    const result = await runGate(
      store,
      gate(
        'thresholds:\n  - turn_taking.latency_ms median < 450 confident\n  - turn_taking.latency_ms median < 600 confident\n  - turn_taking.latency_ms median > 50 confident\n  - turn_taking.latency_ms median > 250 confident\n  - turn_taking.latency_ms median < 250 confident\n',
      ),
    );
    // median 300 of 100..500; its bootstrap CI reaches 100 and 500 resample medians only rarely.
    const [near, wide, above, aboveNear, outside] = result.thresholds;
    const ci = near.interval!;
    expect(ci.low).toBeLessThan(300);
    expect(ci.high).toBeGreaterThan(300);
    expect(ci.high).toBeGreaterThanOrEqual(450);
    expect(near).toMatchObject({ status: 'failed', cause: 'uncertain', observed: 300 });
    expect(wide).toMatchObject({ status: 'held' });
    expect(above).toMatchObject({ status: 'held' });
    expect(aboveNear).toMatchObject({ status: 'failed', cause: 'uncertain' });
    expect(aboveNear.reason).toContain('its lower end does not hold > 250');
    expect(outside).toMatchObject({ status: 'failed', cause: 'limit' });
    expect(outside.interval).toBeUndefined();
  });
});

describe('baseline', () => {
  const config = gate('baseline:\n  tolerance:\n    default: 50\n');

  it('a metric with values in the baseline and none in the candidate fails as missing, with the candidate N/A reasons', async () => {
    const base = await plant('base', [...measured(), ...takeovers()]);
    const cand = await plant('cand', [
      ...LATENCIES.map((_, i): Planted => ({ scenario: `t${i}`, metrics: [latency(null, i < 4 ? 'no_response' : 'trigger_missed')] })),
      ...takeovers(),
    ]);
    const result = await runGate(cand, config, base);
    expect(result.baseline.map((b) => [b.metric, b.status])).toEqual([
      ['pause.takeover', 'held'],
      ['turn_taking.latency_ms', 'missing'],
    ]);
    const missing = result.baseline[1];
    expect(missing.comparison).toBeNull();
    expect(missing.candidateNa).toEqual({ no_response: 4, trigger_missed: 1 });
    expect(missing.reason).toBe(
      'no values in the candidate (5 N/A: no_response 4, trigger_missed 1), but 5 scenarios measured it in the baseline; a metric that disappears fails',
    );
    expect(result.outcome).toBe('failed');
    expect(gateExitCode(result)).toBe(3);
    expect(gateText(result)).toContain('  MISSING turn_taking.latency_ms vs baseline: no values in the candidate');
    expect(gateJunit(result)).toMatch(/<testsuite name="baseline" tests="2" failures="1" errors="0" skipped="0">/);
    expect(gateMarkdown(result)).toContain('| turn_taking.latency_ms | **MISSING** | – | – | 50 | 0 |');
  });

  it('values on no scenario the baseline measured fail too: nothing could be compared', async () => {
    const base = await plant('base-2', measured());
    const cand = await plant(
      'elsewhere',
      LATENCIES.map((v, i): Planted => ({ scenario: `other${i}`, metrics: [latency(v)] })),
    );
    const result = await runGate(cand, config, base);
    expect(result.baseline).toHaveLength(1);
    expect(result.baseline[0]).toMatchObject({ metric: 'turn_taking.latency_ms', status: 'missing' });
    expect(result.baseline[0].reason).toMatch(/share no scenario and subject with the baseline's \(5 scenarios measured it in the baseline\)/);
    expect(gateExitCode(result)).toBe(3);
  });

  it('lost because every candidate session of those scenarios errored: errored, exit 1', async () => {
    const base = await plant('base-3', [...measured(), ...takeovers()]);
    const cand = await plant('down', [...LATENCIES.map((_, i): Planted => ({ scenario: `t${i}`, status: 'errored', metrics: [] })), ...takeovers()]);
    const result = await runGate(cand, config, base);
    expect(result.baseline.map((b) => [b.metric, b.status])).toEqual([
      ['pause.takeover', 'held'],
      ['turn_taking.latency_ms', 'errored'],
    ]);
    expect(result.baseline[1].reason).toBe(
      'no values in the candidate: every candidate session of the 5 scenarios measured it in the baseline errored (infrastructure)',
    );
    expect(gateExitCode(result)).toBe(1);
  });

  it('baseline.metrics limits the check: a missing metric outside the list is not judged', async () => {
    const base = await plant('base-4', [...measured(), ...takeovers()]);
    const cand = await plant('cand-4', takeovers());
    const result = await runGate(cand, gate('baseline:\n  metrics: [pause.takeover]\n'), base);
    expect(result.baseline.map((b) => [b.metric, b.status])).toEqual([['pause.takeover', 'held']]);
  });
});

describe('crosstalk gate (the real CLI): exit codes', () => {
  const crosstalk = (...args: string[]) =>
    spawnSync(process.execPath, [join(root, 'bin', 'crosstalk.mjs'), 'gate', ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });

  it('3 on a threshold without data, 0 with --allow-no-data, 3 on too few values, 3 on a metric missing against the baseline', async () => {
    await plant('cli-cand', [...takeovers(), { scenario: 't0', metrics: [latency(null, 'no_response')] }], true);
    await plant('cli-base', [...measured(), ...takeovers()], true);
    writeFileSync(join(dir, 'nodata.yaml'), 'thresholds:\n  - family:pause pause.takeover rate <= 0.3\n  - turn_taking.latency_ms p90 < 800\n');
    writeFileSync(join(dir, 'few.yaml'), 'thresholds:\n  - family:pause pause.takeover rate <= 0.3 min_count 10\n');
    writeFileSync(join(dir, 'base.yaml'), 'thresholds:\n  - family:pause pause.takeover rate <= 0.3\n');
    const store = join(dir, 'cli-cand.duckdb');

    const noData = crosstalk(store, '--config', join(dir, 'nodata.yaml'), '-o', join(dir, 'nodata.json'));
    expect(noData.status, noData.stderr).toBe(3);
    expect(noData.stdout).toContain(
      'FAILED turn_taking.latency_ms p90 < 800: no values in scope (no completed session measured turn_taking.latency_ms; 1 N/A: no_response 1)',
    );
    expect(JSON.parse(readFileSync(join(dir, 'nodata.json'), 'utf8')).thresholds[1]).toMatchObject({
      status: 'failed',
      cause: 'no_data',
      minCount: 1,
      na: { no_response: 1 },
    });

    const allowed = crosstalk(store, '--config', join(dir, 'nodata.yaml'), '--allow-no-data');
    expect(allowed.status, allowed.stderr).toBe(0);
    expect(allowed.stdout).toContain('no data turn_taking.latency_ms p90 < 800');

    const few = crosstalk(store, '--config', join(dir, 'few.yaml'));
    expect(few.status, few.stderr).toBe(3);
    expect(few.stdout).toContain('FAILED family:pause pause.takeover rate <= 0.3 min_count 10: rate 0.250 over 4 values in scope, fewer than min_count 10');

    const missing = crosstalk(store, '--config', join(dir, 'base.yaml'), '--baseline', join(dir, 'cli-base.duckdb'));
    expect(missing.status, missing.stderr).toBe(3);
    expect(missing.stdout).toContain(
      'MISSING turn_taking.latency_ms vs baseline: no values in the candidate (1 N/A: no_response 1), but 5 scenarios measured it in the baseline',
    );
  });
});

describe('flagged timing', () => {
  const config = 'thresholds:\n  - turn_taking.latency_ms p90 < 800\n';
  it('a held gate over a session whose harness was late near a measured moment is errored (exit 1), naming the session', async () => {
    const store = await plant('loaded', [...measured().map((p, i) => ({ ...p, harnessErrorMs: i === 2 ? 37.5 : 1.5 }))]);
    const result = await runGate(store, gate(config));
    expect(result.thresholds[0].status).toBe('held');
    expect(result.timingFlagged).toEqual([{ sessionId: 'loaded-2', scenarioKey: 'fx/t2', repeat: 0, harnessErrorMs: 37.5 }]);
    expect(result.outcome).toBe('errored');
    expect(gateExitCode(result)).toBe(1);
    expect(gateText(result)).toContain('fx/t2 r0: harness late by 37.5 ms near a measured moment');
    expect(gateMarkdown(result)).toContain('Sessions with flagged timing');
  });

  it('--allow-timing-flags lists them and holds; at the bound nothing is flagged; a failed threshold still fails', async () => {
    const store = await plant('allowed', [...measured().map((p, i) => ({ ...p, harnessErrorMs: i === 2 ? 37.5 : 10 }))]);
    const allowed = await runGate(store, gate(config), undefined, { allowTimingFlags: true });
    expect(allowed.outcome).toBe('held');
    expect(allowed.timingFlagged.map((f) => f.sessionId)).toEqual(['allowed-2']);
    expect(gateText(allowed)).toContain('allowed by --allow-timing-flags');
    const failing = await runGate(store, gate('thresholds:\n  - turn_taking.latency_ms p90 < 100\n'));
    expect(failing.outcome).toBe('failed');
  });
});
