/**
 * The agreement check, one implementation for the test and the bench: the same
 * scenarios run against one reference agent directly over crosstalk-ws and through the demo
 * page (crosstalk-ws from the browser, WebRTC through the bridge), and the page's metric values
 * compared with the direct ones once the page's extra latency is removed.
 *
 * The extra latency ("browser offset") is measured on the transport, never fitted to the
 * metrics compared: every client reaches the agent through a tap (agent-tap.ts) that notes when
 * the user's audio arrived and when the agent's audio left, and transport-lag.ts puts that
 * against the recording. A variant's offset is the median over its sessions of
 * (input lag + output lag) minus the same median for the direct sessions: a constant per
 * variant, subtracted from every latency metric (unit ms: each is an agent event as heard minus
 * a user event as sent, so it carries the whole round trip). Other metrics (yes/no) must match.
 */
import { join } from 'node:path';
import type { Adapter, SessionContext } from '../../../harness/adapter.ts';
import type { MediaSource } from '../../../harness/media.ts';
import { readRecording } from '../../../harness/recording/reader.ts';
import { runSession } from '../../../harness/runner/session.ts';
import type { LoadedScenario } from '../../../harness/scenario/load.ts';
import { score } from '../../../harness/scoring/score.ts';
import type { Recording } from '../../../harness/scoring/types.ts';
import { startReferenceServer } from '../../../reference-impl/server.ts';
import { startWebDemo } from '../../../reference-impl/web/server.ts';
import { createReferenceAdapter } from '../../reference/adapter.ts';
import { createBrowserAdapter } from '../adapter.ts';
import { startAgentTap, type AgentTap } from './agent-tap.ts';
import { transportLagMs, type TransportLagMs } from './transport-lag.ts';

export const PAGE_VARIANTS = ['page-ws', 'page-webrtc'] as const;
export type PageVariant = (typeof PAGE_VARIANTS)[number];
export type Variant = 'direct' | PageVariant;

export interface MetricReading {
  /** `${action id} ${metric name}`: a scenario can hold several actions with the same metric. */
  key: string;
  unit: string;
  value: number | null;
}

export interface ParitySession {
  variant: Variant;
  scenario: string;
  status: string;
  metrics: MetricReading[];
  lag: TransportLagMs | undefined;
  /** The agent's decisions, in order, each at its time on the session clock (ms). */
  decisions: { atMs: number; kind: string; detail: Record<string, unknown> }[];
  /** The browser adapter's last `browser.stats` payload (page variants). */
  browserStats: unknown;
}

export interface Residual {
  variant: PageVariant;
  scenario: string;
  metric: string;
  unit: string;
  directValue: number | null;
  pageValue: number | null;
  /** ms metrics: page - direct - extraLatencyMs; others: page - direct; Infinity when only one side has a value. */
  residual: number;
}

export interface VariantOffset {
  variant: PageVariant;
  /** Median page lag minus median direct lag, input + output: what the page adds. */
  extraLatencyMs: number;
  inputMs: number;
  outputMs: number;
}

export interface ParityResult {
  sessions: ParitySession[];
  offsets: VariantOffset[];
  residuals: Residual[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Keeps each session's clock, to put tapped audio on it. The runner starts the clock once the
 * session is open, so its origin (in performance.now() time) is read after the session.
 */
function keepingClocks(adapter: Adapter, clocks: SessionContext['clock'][]): Adapter {
  return {
    ...adapter,
    open(ctx: SessionContext) {
      clocks.push(ctx.clock);
      return adapter.open(ctx);
    },
  };
}

function readings(rec: Recording): MetricReading[] {
  return score(rec).metrics.map((m) => ({ key: `${m.subject} ${m.name}`, unit: m.unit, value: m.value ?? null }));
}

function lastBrowserStats(rec: Recording): unknown {
  const e = rec.events.filter((x) => x.type === 'vendor' && x.name === 'browser.stats').at(-1);
  return e?.type === 'vendor' ? e.payload : undefined;
}

async function runVariant(variant: Variant, adapter: Adapter, tap: AgentTap, scenarios: LoadedScenario[], media: MediaSource, dir: string): Promise<ParitySession[]> {
  const clocks: SessionContext['clock'][] = [];
  const timed = keepingClocks(adapter, clocks);
  const out: ParitySession[] = [];
  try {
    for (const loaded of scenarios) {
      const firstConnection = tap.connections.length;
      const sessionDir = join(dir, variant, loaded.scenario.id);
      const o = await runSession({ loaded, sessionId: loaded.key, dir: sessionDir, adapter: timed, media, clock: 'real', harnessVersion: 'parity' });
      const rec = readRecording(sessionDir);
      const tapped = tap.connections[firstConnection];
      const originMs = performance.now() - clocks.at(-1)!.nowMs();
      const lag = tapped && o.status === 'completed' ? transportLagMs(rec, tapped, originMs) : undefined;
      const decisions = (tapped?.decisions ?? []).map((d) => ({ ...d, atMs: Math.round(d.atMs - originMs) }));
      out.push({ variant, scenario: loaded.key, status: o.status, metrics: readings(rec), lag, decisions, browserStats: lastBrowserStats(rec) });
    }
  } finally {
    await adapter.dispose?.();
  }
  return out;
}

function offsetsOf(sessions: ParitySession[]): VariantOffset[] {
  const lagsOf = (v: Variant) => sessions.filter((s) => s.variant === v && s.lag).map((s) => s.lag!);
  const direct = lagsOf('direct');
  const dIn = median(direct.map((l) => l.inputMs));
  const dOut = median(direct.map((l) => l.outputMs));
  return PAGE_VARIANTS.map((variant) => {
    const page = lagsOf(variant);
    const inputMs = median(page.map((l) => l.inputMs)) - dIn;
    const outputMs = median(page.map((l) => l.outputMs)) - dOut;
    return { variant, extraLatencyMs: inputMs + outputMs, inputMs, outputMs };
  });
}

function residualsOf(sessions: ParitySession[], offsets: VariantOffset[]): Residual[] {
  const out: Residual[] = [];
  for (const { variant, extraLatencyMs } of offsets) {
    for (const page of sessions.filter((s) => s.variant === variant)) {
      const direct = sessions.find((s) => s.variant === 'direct' && s.scenario === page.scenario);
      if (!direct) continue;
      const keys = new Set([...direct.metrics, ...page.metrics].map((m) => m.key));
      for (const key of keys) {
        const d = direct.metrics.find((m) => m.key === key);
        const p = page.metrics.find((m) => m.key === key);
        const unit = (d ?? p)!.unit;
        const dv = d?.value ?? null;
        const pv = p?.value ?? null;
        if (dv === null && pv === null) continue;
        const residual = dv === null || pv === null ? Infinity : pv - dv - (unit === 'ms' ? extraLatencyMs : 0);
        out.push({ variant, scenario: page.scenario, metric: key, unit, directValue: dv, pageValue: pv, residual });
      }
    }
  }
  return out;
}

/**
 * Runs `scenarios` in real time, one session at a time: directly, then through each page
 * variant. Recordings go under `dir`.
 */
export async function runParity(scenarios: LoadedScenario[], media: MediaSource, dir: string, variants: readonly PageVariant[] = PAGE_VARIANTS): Promise<ParityResult> {
  const agent = await startReferenceServer();
  const tap = await startAgentTap(agent.url);
  const demo = await startWebDemo({ agentUrl: tap.url });
  const page = { startSelector: '#start', readySelector: 'body[data-state=live]' };
  const sessions: ParitySession[] = [];
  try {
    sessions.push(...(await runVariant('direct', createReferenceAdapter({ mode: 'ws', url: tap.url }), tap, scenarios, media, dir)));
    for (const v of variants) {
      const url = v === 'page-ws' ? demo.wsPageUrl : demo.webrtcPageUrl;
      sessions.push(...(await runVariant(v, createBrowserAdapter({ url, ...page }), tap, scenarios, media, dir)));
    }
  } finally {
    await demo.close();
    await tap.close();
    await agent.close();
  }
  const offsets = offsetsOf(sessions).filter((o) => variants.includes(o.variant));
  return { sessions, offsets, residuals: residualsOf(sessions, offsets) };
}
