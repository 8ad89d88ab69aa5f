/**
 * Specs comparing systems: one metric's centre and 95% CI per system (a dot and a bar), and
 * trade-off scatters with intervals on both axes (latency against pause takeover, yield against
 * backchannel selectivity).
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
      {
        mark: { type: 'rule', strokeWidth: 2, color: '#7a9cc6' },
        encoding: { y, x: { field: 'low', type: 'quantitative', title: axisTitle, scale }, x2: { field: 'high' } },
      },
      {
        mark: { type: 'point', filled: true, size: 60, color: '#1f4e8c' },
        encoding: { y, x: { field: 'value', type: 'quantitative' }, tooltip: [{ field: 'label' }, { field: 'value' }, { field: 'low' }, { field: 'high' }] },
      },
    ],
  } as unknown as ChartSpec;
}

/** One system on a trade-off: its centre and 95% CI on each axis. */
export interface ScatterPoint {
  label: string;
  x: number;
  xLow: number;
  xHigh: number;
  y: number;
  yLow: number;
  yHigh: number;
}

export interface ScatterAxes {
  title: string;
  x: { title: string; domain?: [number, number] };
  y: { title: string; domain?: [number, number] };
}

/** A trade-off scatter: one labelled point per system with its intervals on both axes. */
export function scatterSpec(axes: ScatterAxes, points: readonly ScatterPoint[]): ChartSpec {
  const scaleOf = (domain?: [number, number]) => (domain ? { domain } : { zero: false, padding: 20 });
  const x = { field: 'x', type: 'quantitative', title: axes.x.title, scale: scaleOf(axes.x.domain) };
  const y = { field: 'y', type: 'quantitative', title: axes.y.title, scale: scaleOf(axes.y.domain) };
  return {
    title: { text: axes.title, fontSize: 12 },
    width: 420,
    height: 300,
    data: { values: points },
    layer: [
      { mark: { type: 'rule', color: '#9bb3d6' }, encoding: { x: { field: 'xLow', type: 'quantitative' }, x2: { field: 'xHigh' }, y } },
      { mark: { type: 'rule', color: '#9bb3d6' }, encoding: { x, y: { field: 'yLow', type: 'quantitative' }, y2: { field: 'yHigh' } } },
      { mark: { type: 'point', filled: true, size: 80, color: '#1f4e8c' }, encoding: { x, y, tooltip: [{ field: 'label' }, { field: 'x' }, { field: 'y' }] } },
      { mark: { type: 'text', align: 'left', dx: 7, dy: -7, fontSize: 11 }, encoding: { x, y, text: { field: 'label' } } },
    ],
  } as unknown as ChartSpec;
}
