/**
 * What the browser adds: the same scenarios run directly against the reference agent over
 * crosstalk-ws and through the demo web page (both variants), compared by the same code as
 * the adapter's parity test (adapters/browser/parity/compare.ts). Per variant: the page's
 * extra latency measured on the transport (the "browser offset", input and output), and per
 * metric the residuals left once it is removed (what the test's tolerance bounds). Then the
 * adapter's own timing facts from the recordings: input latency to the page's microphone
 * stream, output emission error, clock round trip. Everything is measured in this run; nothing
 * is asserted here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSuite } from '../harness/scenario/load.ts';
import { quantile } from '../harness/stats.ts';
import type { MediaSource } from '../harness/media.ts';
import { findChromium } from '../harness/chromium.ts';
import { PAGE_VARIANTS, runParity, type ParityResult } from '../adapters/browser/parity/compare.ts';
import type { Row } from './engine.ts';

/** The turn-taking and interruption parts of the core suite (a subset by default: real time is slow). */
const BROWSER_BENCH_GREP = /^core\/(turn-taking|interruption)-0[1-6]$/;

const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');

export async function browserBench(media: MediaSource, scenariosRoot: string, grep = BROWSER_BENCH_GREP): Promise<Row[]> {
  if (!findChromium()) return [{ what: 'skipped: no Chromium found (node scripts/setup.mjs --browser)' }];
  const scenarios = loadSuite('core', scenariosRoot).filter((s) => grep.test(s.key));
  const dir = mkdtempSync(join(tmpdir(), 'crosstalk-bench-browser-'));
  try {
    const result = await runParity(scenarios, media, dir);
    return [...offsetRows(result), ...residualRows(result), ...statsRows(result)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function offsetRows(result: ParityResult): Row[] {
  // Runs set aside because their transport was disturbed (parity/compare.ts, disturbance()), this variant's and the direct ones.
  const setAside = (v: string) => result.sessions.filter((s) => s.variant === v).reduce((n, s) => n + s.discarded.length, 0);
  return result.offsets.map((o) => ({
    variant: o.variant,
    metric: `extra latency (measured on the transport); runs set aside as disturbed: ${setAside(o.variant)} (direct ${setAside('direct')})`,
    pairs: result.sessions.filter((s) => s.variant === o.variant && s.lag).length,
    median: `${fmt(o.extraLatencyMs)} ms (input ${fmt(o.inputMs)} + output ${fmt(o.outputMs)})`,
    '|residual| p90': '',
    '|residual| max': '',
  }));
}

/** Per variant and metric, what is left of page - direct once the extra latency is removed. */
function residualRows(result: ParityResult): Row[] {
  const rows: Row[] = [];
  for (const variant of PAGE_VARIANTS) {
    const byMetric = new Map<string, number[]>();
    for (const r of result.residuals.filter((x) => x.variant === variant)) {
      const name = r.metric.split(' ').at(-1)!;
      byMetric.set(name, [...(byMetric.get(name) ?? []), r.residual]);
    }
    for (const [name, residuals] of [...byMetric].sort(([a], [b]) => a.localeCompare(b))) {
      const abs = residuals.map(Math.abs);
      rows.push({
        variant,
        metric: name,
        pairs: residuals.length,
        median: fmt(quantile(residuals, 0.5)),
        '|residual| p90': fmt(quantile(abs, 0.9)),
        '|residual| max': fmt(Math.max(...abs)),
      });
    }
  }
  return rows;
}

interface BrowserStats {
  inputLatencyMs: { p50Ms: number | null };
  played: { emitLateMs: { p50Ms: number | null; p90Ms: number | null }; lateChunks: number; chunks: number };
  clock: { rttMs: number; driftMs: number };
}

function statsRows(result: ParityResult): Row[] {
  const med = (xs: (number | null)[]) =>
    quantile(
      xs.filter((x): x is number => x !== null),
      0.5,
    );
  return PAGE_VARIANTS.map((variant) => {
    const s = result.sessions.filter((x) => x.variant === variant && x.browserStats).map((x) => x.browserStats as BrowserStats);
    return {
      variant,
      metric: 'adapter timing (median over sessions)',
      pairs: s.length,
      median: `input ${fmt(med(s.map((x) => x.inputLatencyMs.p50Ms)))} ms`,
      '|residual| p90': `emit late p50 ${fmt(med(s.map((x) => x.played.emitLateMs.p50Ms)))} / p90 ${fmt(med(s.map((x) => x.played.emitLateMs.p90Ms)))} ms; late chunks ${s.reduce((a, x) => a + x.played.lateChunks, 0)}/${s.reduce((a, x) => a + x.played.chunks, 0)}`,
      '|residual| max': `clock rtt ${fmt(med(s.map((x) => x.clock.rttMs)))} ms, drift ${fmt(med(s.map((x) => x.clock.driftMs)))} ms`,
    };
  });
}
