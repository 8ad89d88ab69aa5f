/**
 * What the browser adds: the same scenarios run directly against the reference agent over
 * crosstalk-ws and through the demo web page (both variants), side by side. For each metric:
 * the per-scenario delta (page minus direct), its median (the page's extra latency: the
 * "browser offset") and p90, and the spread left once that offset is removed (the tolerance
 * a page run agrees with a direct run to). Then the adapter's own timing facts from the
 * recordings: input latency to the page's microphone stream, output emission error, clock
 * round trip. Everything is measured in this run; nothing is asserted here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSession } from '../harness/runner/session.ts';
import { loadSuite, type LoadedScenario } from '../harness/scenario/load.ts';
import { readRecording } from '../harness/recording/reader.ts';
import { score } from '../harness/scoring/score.ts';
import { quantile } from '../harness/stats.ts';
import type { Adapter } from '../harness/adapter.ts';
import type { MediaSource } from '../harness/media.ts';
import type { Recording } from '../harness/scoring/types.ts';
import { createReferenceAdapter } from '../adapters/reference/adapter.ts';
import { createBrowserAdapter } from '../adapters/browser/adapter.ts';
import { findChromium } from '../adapters/browser/chromium.ts';
import { startWebDemo } from '../reference-impl/web/server.ts';
import type { Row } from './engine.ts';

/** The turn-taking and interruption parts of the core suite (a subset by default: real time is slow). */
export const BROWSER_BENCH_GREP = /^core\/(turn-taking|interruption)-0[1-6]$/;

type Variant = 'direct' | 'page-ws' | 'page-webrtc';
type Values = Map<string, Map<string, number>>; // scenario -> metric -> value

const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');

function metricValues(rec: Recording): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of score(rec).metrics) if (m.value !== null && m.value !== undefined) out.set(m.name, m.value);
  return out;
}

interface BrowserStats {
  inputLatencyMs: { p50Ms: number | null };
  played: { emitLateMs: { p50Ms: number | null; p90Ms: number | null }; lateChunks: number; chunks: number };
  clock: { rttMs: number; driftMs: number };
}

function browserStats(rec: Recording): BrowserStats | undefined {
  const e = rec.events.filter((x) => x.type === 'vendor' && x.name === 'browser.stats').at(-1);
  return e && e.type === 'vendor' ? (e.payload as BrowserStats) : undefined;
}

export async function browserBench(media: MediaSource, scenariosRoot: string, grep = BROWSER_BENCH_GREP): Promise<Row[]> {
  if (!findChromium()) return [{ what: 'skipped: no Chromium found (node scripts/setup.mjs --browser)' }];
  const scenarios = loadSuite('core', scenariosRoot).filter((s) => grep.test(s.key));
  const dir = mkdtempSync(join(tmpdir(), 'crosstalk-bench-browser-'));
  const demo = await startWebDemo();
  const values = new Map<Variant, Values>();
  const stats = new Map<Variant, BrowserStats[]>();
  try {
    const adapters: [Variant, Adapter][] = [
      ['direct', createReferenceAdapter({ mode: 'ws', url: demo.agentUrl })],
      ['page-ws', createBrowserAdapter({ url: demo.wsPageUrl, startSelector: '#start', readySelector: 'body[data-state=live]' })],
      ['page-webrtc', createBrowserAdapter({ url: demo.webrtcPageUrl, startSelector: '#start', readySelector: 'body[data-state=live]' })],
    ];
    for (const [variant, adapter] of adapters) {
      const v: Values = new Map();
      const s: BrowserStats[] = [];
      for (const loaded of scenarios) {
        const rec = await runOne(loaded, adapter, media, join(dir, variant, loaded.scenario.id));
        if (!rec) continue;
        v.set(loaded.key, metricValues(rec));
        const b = browserStats(rec);
        if (b) s.push(b);
      }
      await adapter.dispose?.();
      values.set(variant, v);
      stats.set(variant, s);
    }
  } finally {
    await demo.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return [...deltaRows(values), ...statsRows(stats)];
}

async function runOne(loaded: LoadedScenario, adapter: Adapter, media: MediaSource, dir: string): Promise<Recording | undefined> {
  const o = await runSession({ loaded, sessionId: loaded.key, dir, adapter, media, clock: 'real', harnessVersion: 'bench' });
  return o.status === 'completed' ? readRecording(dir) : undefined;
}

/** Per metric and page variant: deltas against direct, the offset (median delta) and what is left after it. */
function deltaRows(values: Map<Variant, Values>): Row[] {
  const direct = values.get('direct')!;
  const rows: Row[] = [];
  for (const variant of ['page-ws', 'page-webrtc'] as const) {
    const page = values.get(variant)!;
    const byMetric = new Map<string, number[]>();
    for (const [key, dv] of direct) {
      const pv = page.get(key);
      if (!pv) continue;
      for (const [name, d] of dv) {
        const p = pv.get(name);
        if (p === undefined) continue;
        byMetric.set(name, [...(byMetric.get(name) ?? []), p - d]);
      }
    }
    for (const [name, deltas] of [...byMetric].sort(([a], [b]) => a.localeCompare(b))) {
      const offset = quantile(deltas, 0.5);
      const residual = deltas.map((x) => Math.abs(x - offset));
      rows.push({
        variant,
        metric: name,
        'pairs': deltas.length,
        'delta median': fmt(offset),
        'delta p90': fmt(quantile(deltas, 0.9)),
        '|delta - median| p90': fmt(quantile(residual, 0.9)),
        '|delta - median| max': fmt(Math.max(...residual)),
      });
    }
  }
  return rows;
}

function statsRows(stats: Map<Variant, BrowserStats[]>): Row[] {
  const med = (xs: (number | null)[]) => quantile(xs.filter((x): x is number => x !== null), 0.5);
  return (['page-ws', 'page-webrtc'] as const).map((variant) => {
    const s = stats.get(variant) ?? [];
    return {
      variant,
      metric: 'adapter timing (median over sessions)',
      pairs: s.length,
      'delta median': `input ${fmt(med(s.map((x) => x.inputLatencyMs.p50Ms)))} ms`,
      'delta p90': `emit late p50 ${fmt(med(s.map((x) => x.played.emitLateMs.p50Ms)))} / p90 ${fmt(med(s.map((x) => x.played.emitLateMs.p90Ms)))} ms`,
      '|delta - median| p90': `late chunks ${s.reduce((a, x) => a + x.played.lateChunks, 0)}/${s.reduce((a, x) => a + x.played.chunks, 0)}`,
      '|delta - median| max': `clock rtt ${fmt(med(s.map((x) => x.clock.rttMs)))} ms, drift ${fmt(med(s.map((x) => x.clock.driftMs)))} ms`,
    };
  });
}
