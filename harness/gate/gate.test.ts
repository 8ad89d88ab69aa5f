/**
 * The gate on real runs: the scripted agent in virtual time, played by the real runner, scored,
 * stored in real DuckDB files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScriptedAdapter, type ScriptedBehaviour } from '../../adapters/scripted/adapter.ts';
import type { Adapter } from '../adapter.ts';
import type { Store } from '../store/store.ts';
import { parseGateConfig } from './config.ts';
import { gateExitCode, runGate } from './gate.ts';
import { FIXTURE_SCENARIOS, playIntoStore } from '../store/testing/played-stores.ts';
import { withErrors } from '../runner/testing/wrapped-adapters.ts';

let dir: string;
const stores: Store[] = [];
const open = async (name: string, adapter: Adapter) => {
  const { store } = await playIntoStore(join(dir, `${name}.duckdb`), adapter, { repeat: 3, recordingsDir: join(dir, name) });
  stores.push(store);
  return store;
};
const scripted = (b: Partial<ScriptedBehaviour> = {}) => createScriptedAdapter(b);

const flaky = (erroring: (key: string) => boolean) =>
  withErrors(
    scripted(),
    Object.keys(FIXTURE_SCENARIOS)
      .map((k) => `fixture/${k}`)
      .filter(erroring),
  );

const config = parseGateConfig(
  `thresholds:
  - turn_taking.latency_ms p90 < 500
  - tag:smoke interruption.stop_latency_ms median < 300
  - family:pause pause.takeover rate <= 0
baseline:
  significance: 0.05
  tolerance:
    default: 0
    turn_taking.latency_ms: 50
    interruption.stop_latency_ms: 50
`,
  'gate.yaml',
);

let baseline: Store;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crosstalk-gate-'));
  baseline = await open('baseline', scripted());
});
afterAll(async () => {
  for (const s of stores) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('gate', () => {
  it('the same agent run twice holds every threshold and shows no regression', async () => {
    const again = await open('again', scripted());
    const result = await runGate(again, config, baseline);
    expect(result.thresholds.map((t) => t.status)).toEqual(['held', 'held', 'held']);
    // 430 ms planted answer delay; 3 scenarios x 3 repeats with a take_turn each.
    expect(result.thresholds[0]).toMatchObject({ count: 9 });
    expect(result.thresholds[0].observed!).toBeCloseTo(430, 0);
    expect(result.baseline.length).toBeGreaterThan(3);
    expect(result.baseline.every((b) => b.status === 'held')).toBe(true);
    const latency = result.baseline.find((b) => b.metric === 'turn_taking.latency_ms')!;
    expect(latency.comparison!.delta).toBeCloseTo(0, 6);
    expect(gateExitCode(result)).toBe(0);
  });

  it('a planted regression (the agent 150 ms slower) fails it, on thresholds and baseline', async () => {
    const slower = await open('slower', scripted({ answerDelayMs: 430 + 150, stopDelayMs: 180 + 150 }));
    const result = await runGate(slower, config, baseline);
    expect(result.thresholds.map((t) => t.status)).toEqual(['failed', 'failed', 'held']);
    const regressed = result.baseline.filter((b) => b.status === 'regressed').map((b) => b.metric);
    expect(regressed).toEqual(expect.arrayContaining(['turn_taking.latency_ms', 'interruption.stop_latency_ms']));
    const latency = result.baseline.find((b) => b.metric === 'turn_taking.latency_ms')!;
    // Virtual time: every paired value moves by exactly 150 ms (to the sample, 1/16 ms).
    expect(Math.abs(latency.comparison!.delta - 150)).toBeLessThan(0.07);
    expect(latency.comparison!.ciLow).toBeGreaterThan(50);
    expect(result.outcome).toBe('failed');
    expect(gateExitCode(result)).toBe(3);
  });

  it('a regression within the tolerance holds', async () => {
    const bitSlower = await open('bit-slower', scripted({ answerDelayMs: 430 + 30 }));
    const tolerant = parseGateConfig('baseline:\n  tolerance:\n    default: 50\n', 'gate.yaml');
    const result = await runGate(bitSlower, tolerant, baseline);
    const latency = result.baseline.find((b) => b.metric === 'turn_taking.latency_ms')!;
    expect(latency.comparison!.significant).toBe(true);
    expect(latency.status).toBe('held');
    expect(gateExitCode(result)).toBe(0);
  });

  it('errored sessions alone do not fail it; they are reported apart, and what they left unmeasured is errored (exit 1)', async () => {
    const partly = await open(
      'partly-errored',
      flaky((key) => key === 'fixture/barge'),
    );
    const result = await runGate(partly, config, baseline);
    expect(result.sessions).toEqual({ passed: 6, failed: 0, errored: 3 });
    expect(result.errored).toHaveLength(3);
    expect(result.errored[0].error).toMatch(/429/);
    // The smoke-tagged stop latency has no values left, and sessions in its scope errored: it
    // cannot be judged (errored, exit 1), neither a pass nor a failure.
    expect(result.thresholds.map((t) => t.status)).toEqual(['held', 'errored', 'held']);
    expect(result.thresholds[1].reason).toMatch(/no values in scope .*; 3 sessions in scope errored \(infrastructure\)/);
    // The baseline's barge-in metrics were lost to the errored sessions: errored, not missing.
    const stop = result.baseline.find((b) => b.metric === 'interruption.stop_latency_ms')!;
    expect(stop).toMatchObject({ status: 'errored', comparison: null });
    expect(result.baseline.some((b) => b.status === 'missing' || b.status === 'regressed')).toBe(false);
    expect(result.outcome).toBe('errored');
    expect(gateExitCode(result)).toBe(1);
    // Told that no data may pass, the thresholds hold (the baseline's errored metrics still say errored).
    const allowed = await runGate(partly, config, undefined, { allowNoData: true });
    expect(allowed.thresholds.map((t) => t.status)).toEqual(['held', 'no_data', 'held']);
    expect(gateExitCode(allowed)).toBe(0);
  });

  it('a store where every session errored cannot be judged: exit 1, not 3', async () => {
    const down = await open(
      'all-errored',
      flaky(() => true),
    );
    const result = await runGate(down, config, baseline);
    expect(result.outcome).toBe('errored');
    expect(gateExitCode(result)).toBe(1);
  });
});
