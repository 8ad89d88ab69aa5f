/** A compact summary of a list of durations, for the adapter's own timing facts. */
import { quantile } from '../../harness/stats.ts';

export interface DistMs {
  n: number;
  p50Ms: number | null;
  p90Ms: number | null;
  maxMs: number | null;
}

const round = (v: number) => Math.round(v * 100) / 100;

export function distMs(values: readonly number[]): DistMs {
  if (values.length === 0) return { n: 0, p50Ms: null, p90Ms: null, maxMs: null };
  return {
    n: values.length,
    p50Ms: round(quantile(values, 0.5)),
    p90Ms: round(quantile(values, 0.9)),
    maxMs: round(values.reduce((a, b) => Math.max(a, b), -Infinity)),
  };
}
