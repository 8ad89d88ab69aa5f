/**
 * Baseline vs candidate, paired: for each metric, the unit of pairing is one scenario and
 * subject (e.g. `core/ask-time · q1`), present in both stores; the change is the mean over units
 * of mean(candidate) - mean(baseline), with a two-level bootstrap CI (stats.pairedDifference).
 * A change is significant when its CI leaves out 0. Used by `crosstalk compare` and by the
 * gate's baseline check.
 */
import { metricDefinition } from './metrics/registry.ts';
import { pairedDifference, quantile, type PairedUnit } from './stats.ts';
import type { Direction, MetricDefinition } from './scoring/types.ts';
import type { Store } from './store/store.ts';

export interface Side {
  /** Values in paired units. */
  count: number;
  median: number;
  mean: number;
}

export type Change = 'better' | 'worse' | 'changed' | 'none';

export interface MetricComparison {
  metric: string;
  unit: MetricDefinition['unit'] | string;
  direction: Direction | null;
  /** Units with values on both sides. */
  units: number;
  baselineOnlyUnits: number;
  candidateOnlyUnits: number;
  baseline: Side;
  candidate: Side;
  delta: number;
  ciLow: number;
  ciHigh: number;
  level: number;
  significant: boolean;
  /** better/worse by the metric's direction when significant; changed for 'target' metrics. */
  change: Change;
}

export interface CompareOptions {
  /** Confidence level of the delta's interval (default 0.95). */
  level?: number;
  seed?: number;
  resamples?: number;
  /** Only these metrics (default: every metric found in both stores). */
  metrics?: readonly string[];
}

/** Values per metric and pairing unit (scenario and subject), from sessions that did not error. */
async function valuesByUnit(store: Store): Promise<Map<string, Map<string, number[]>>> {
  const rows = await store.query<{ name: string; unit_key: string; vals: number[] }>(
    `SELECT m.name, s.scenario_key || ' · ' || m.subject AS unit_key, list(m.value ORDER BY s.repeat, s.session_id) AS vals
     FROM metrics m JOIN sessions s USING (session_id)
     WHERE m.rule_set = 'crosstalk' AND s.status <> 'errored' AND m.value IS NOT NULL
     GROUP BY m.name, unit_key`,
  );
  const byMetric = new Map<string, Map<string, number[]>>();
  for (const r of rows) {
    let units = byMetric.get(r.name);
    if (!units) byMetric.set(r.name, (units = new Map()));
    units.set(r.unit_key, r.vals);
  }
  return byMetric;
}

export async function compareStores(baseline: Store, candidate: Store, opts: CompareOptions = {}): Promise<MetricComparison[]> {
  const [base, cand] = await Promise.all([valuesByUnit(baseline), valuesByUnit(candidate)]);
  const names = (opts.metrics ?? [...base.keys()].filter((n) => cand.has(n))).slice().sort();
  const out: MetricComparison[] = [];
  for (const name of names) {
    const comparison = compareMetric(name, base.get(name) ?? new Map(), cand.get(name) ?? new Map(), opts);
    if (comparison) out.push(comparison);
  }
  return out;
}

/** One metric; null when no unit has values on both sides. */
export function compareMetric(
  metric: string,
  base: ReadonlyMap<string, number[]>,
  cand: ReadonlyMap<string, number[]>,
  opts: CompareOptions = {},
): MetricComparison | null {
  const level = opts.level ?? 0.95;
  const units: PairedUnit[] = [];
  for (const [key, values] of base) {
    const other = cand.get(key);
    if (other && other.length > 0 && values.length > 0) units.push({ baseline: values, candidate: other });
  }
  const diff = pairedDifference(units, { level, seed: opts.seed, resamples: opts.resamples });
  if (!diff) return null;
  const definition = metricDefinition(metric);
  const direction = definition?.direction ?? null;
  const significant = diff.ciLow > 0 || diff.ciHigh < 0;
  return {
    metric,
    unit: definition?.unit ?? '',
    direction,
    units: diff.units,
    baselineOnlyUnits: [...base.keys()].filter((k) => !cand.has(k)).length,
    candidateOnlyUnits: [...cand.keys()].filter((k) => !base.has(k)).length,
    baseline: side(units.flatMap((u) => u.baseline)),
    candidate: side(units.flatMap((u) => u.candidate)),
    delta: diff.delta,
    ciLow: diff.ciLow,
    ciHigh: diff.ciHigh,
    level,
    significant,
    change: !significant
      ? 'none'
      : direction === 'lower'
        ? diff.delta < 0
          ? 'better'
          : 'worse'
        : direction === 'higher'
          ? diff.delta > 0
            ? 'better'
            : 'worse'
          : 'changed',
  };
}

function side(values: number[]): Side {
  return { count: values.length, median: quantile(values, 0.5), mean: values.reduce((a, b) => a + b, 0) / values.length };
}

/**
 * How much worse the candidate got, as an interval in the metric's unit (positive = worse), for
 * metrics with a direction; null for 'target' metrics.
 */
export function worsening(c: MetricComparison): { low: number; high: number; point: number } | null {
  if (c.direction === 'lower') return { low: c.ciLow, high: c.ciHigh, point: c.delta };
  if (c.direction === 'higher') return { low: -c.ciHigh, high: -c.ciLow, point: -c.delta };
  return null;
}
