/**
 * The distribution of one metric as a Vega-Lite spec: a histogram (binned here, so a metric
 * with 50,000 values is still ~20 bars) with the median, its 95% CI and the p90 drawn on it;
 * for a 0/1 metric, the counts of 0 and 1.
 */
import type { ChartSpec } from './render.ts';

export interface DistributionInput {
  title: string;
  unit: string;
  /** Ascending. */
  values: readonly number[];
  median: number | null;
  p90: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

export interface Bin {
  start: number;
  end: number;
  count: number;
}

/** A step of 1, 2 or 5 times a power of ten giving about `target` bins over [min, max]. */
export function niceStep(min: number, max: number, target = 20): number {
  const span = max - min;
  if (!(span > 0)) return 1;
  const rough = span / target;
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)!;
}

/** Bins of width `niceStep` aligned to multiples of it; each value in [start, end). */
export function histogram(sorted: readonly number[], target = 20): Bin[] {
  if (sorted.length === 0) return [];
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  const step = niceStep(min, max, target);
  const first = Math.floor(min / step);
  const bins: Bin[] = [];
  for (let k = first; k <= Math.floor(max / step); k++) bins.push({ start: k * step, end: (k + 1) * step, count: 0 });
  // Clamped both ways: v / step can land a hair off an edge in floating point.
  for (const v of sorted) bins[Math.max(0, Math.min(bins.length - 1, Math.floor(v / step) - first))].count++;
  return bins;
}

const WIDTH = 320;
const HEIGHT = 110;

export function distributionSpec(input: DistributionInput): ChartSpec {
  if (input.unit === 'bool') return booleanSpec(input);
  const unitLabel = input.unit === 'ratio' || input.unit === 'count' ? input.unit : input.unit.replace('per_min', 'per min');
  const marks: { stat: string; value: number }[] = [];
  if (input.median !== null) marks.push({ stat: 'median', value: input.median });
  if (input.p90 !== null) marks.push({ stat: 'p90', value: input.p90 });
  const layers: object[] = [
    {
      data: { values: histogram(input.values) },
      mark: { type: 'rect', color: '#7a9cc6' },
      encoding: {
        x: { field: 'start', type: 'quantitative', title: unitLabel, scale: { zero: false } },
        x2: { field: 'end' },
        y: { field: 'count', type: 'quantitative', title: 'count' },
        tooltip: [{ field: 'start', title: 'from' }, { field: 'end', title: 'to' }, { field: 'count' }],
      },
    },
  ];
  if (input.ciLow !== null && input.ciHigh !== null) {
    layers.push({
      data: { values: [{ low: input.ciLow, high: input.ciHigh }] },
      mark: { type: 'rect', color: '#d62728', opacity: 0.18 },
      encoding: { x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } },
    });
  }
  layers.push({
    data: { values: marks },
    mark: { type: 'rule', strokeWidth: 2 },
    encoding: {
      x: { field: 'value', type: 'quantitative' },
      color: { field: 'stat', type: 'nominal', scale: { domain: ['median', 'p90'], range: ['#d62728', '#ff7f0e'] }, legend: { orient: 'top', title: null } },
      strokeDash: {
        field: 'stat',
        type: 'nominal',
        scale: {
          domain: ['median', 'p90'],
          range: [
            [1, 0],
            [4, 3],
          ],
        },
        legend: { orient: 'top', title: null },
      },
    },
  });
  return { title: { text: input.title, fontSize: 12 }, width: WIDTH, height: HEIGHT, layer: layers } as unknown as ChartSpec;
}

function booleanSpec(input: DistributionInput): ChartSpec {
  const ones = input.values.filter((v) => v === 1).length;
  const values = [
    { outcome: '0 (no)', count: input.values.length - ones },
    { outcome: '1 (yes)', count: ones },
  ];
  return {
    title: { text: input.title, fontSize: 12 },
    width: WIDTH,
    height: 60,
    data: { values },
    mark: { type: 'bar', color: '#7a9cc6' },
    encoding: {
      y: { field: 'outcome', type: 'nominal', title: null, sort: null },
      x: { field: 'count', type: 'quantitative', title: 'count' },
      tooltip: [{ field: 'outcome' }, { field: 'count' }],
    },
  } as unknown as ChartSpec;
}
