/**
 * Specs comparing systems: one metric's centre and 95% CI per system (a dot and a bar), and the
 * latency / pause-takeover trade-off scatter with intervals on both axes.
 */
import type { ChartSpec } from './render.ts';

export interface IntervalRow {
  label: string;
  value: number;
  low: number;
  high: number;
}

export function intervalSpec(title: string, axisTitle: string, rows: readonly IntervalRow[]): ChartSpec {
  const y = { field: 'label', type: 'nominal', title: null, sort: null };
  const lo = Math.min(...rows.map((r) => r.low));
  const hi = Math.max(...rows.map((r) => r.high));
  // A zero-width domain (every interval one point) gets a margin, or the axis has no ticks.
  const pad = hi > lo ? 0 : Math.max(1, Math.abs(lo) * 0.1);
  const scale = pad ? { domain: [lo - pad, hi + pad] } : { zero: false };
  return {
    title: { text: title, fontSize: 12 },
    width: 320,
    height: { step: 22 },
    data: { values: rows },
    layer: [
      { mark: { type: 'rule', strokeWidth: 2, color: '#7a9cc6' }, encoding: { y, x: { field: 'low', type: 'quantitative', title: axisTitle, scale }, x2: { field: 'high' } } },
      { mark: { type: 'point', filled: true, size: 60, color: '#1f4e8c' }, encoding: { y, x: { field: 'value', type: 'quantitative' }, tooltip: [{ field: 'label' }, { field: 'value' }, { field: 'low' }, { field: 'high' }] } },
    ],
  } as unknown as ChartSpec;
}

export interface TradeoffPoint {
  label: string;
  latencyMs: number;
  latencyLow: number;
  latencyHigh: number;
  takeoverRate: number;
  takeoverLow: number;
  takeoverHigh: number;
}

export function tradeoffSpec(points: readonly TradeoffPoint[]): ChartSpec {
  const x = { field: 'latencyMs', type: 'quantitative', title: 'turn-taking latency, median (ms) →  slower', scale: { zero: false, padding: 20 } };
  const y = { field: 'takeoverRate', type: 'quantitative', title: 'pause takeover rate →  more interruptions', scale: { domain: [0, 1] } };
  return {
    title: { text: 'Latency against pause takeover (lower-left is better)', fontSize: 12 },
    width: 420,
    height: 300,
    data: { values: points },
    layer: [
      { mark: { type: 'rule', color: '#9bb3d6' }, encoding: { x: { field: 'latencyLow', type: 'quantitative' }, x2: { field: 'latencyHigh' }, y } },
      { mark: { type: 'rule', color: '#9bb3d6' }, encoding: { x, y: { field: 'takeoverLow', type: 'quantitative' }, y2: { field: 'takeoverHigh' } } },
      { mark: { type: 'point', filled: true, size: 80, color: '#1f4e8c' }, encoding: { x, y, tooltip: [{ field: 'label' }, { field: 'latencyMs' }, { field: 'takeoverRate' }] } },
      { mark: { type: 'text', align: 'left', dx: 7, dy: -7, fontSize: 11 }, encoding: { x, y, text: { field: 'label' } } },
    ],
  } as unknown as ChartSpec;
}
