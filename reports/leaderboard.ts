/**
 * The leaderboard's data: systems side by side on the same scenarios, ranked per metric.
 * A system is a run's adapter and label; runs of one system in several stores (shards) merge.
 * Only scenarios every system completed at least once are compared (the rest are counted and
 * named as dropped), so no system is ranked on scenarios another never played.
 *
 * Each system's interaction panel (reports/panel.ts) is computed on the same common scenarios.
 *
 * N/A rows (no value, with a typed reason) are counted per system and metric by reason, on the
 * same common scenarios, and shown beside the values: a system that answers too rarely to be
 * measured is not ranked by the few values it left, and one that left none at all is listed,
 * unranked, with its reasons rather than dropped from the board.
 */
import type { Store } from '../harness/store/store.ts';
import { metricDefinition } from '../harness/metrics/registry.ts';
import type { Direction } from '../harness/scoring/types.ts';
import { summarizeMetric, type MetricSummary } from './summary.ts';
import { SOURCE_SQL } from './data.ts';
import { UNKNOWN_REASON } from '../harness/gate/values.ts';
import { computePanel, loadPanelRows, panelFdbAverage, type PanelFigure, type SystemPanelRow } from './panel.ts';
import type { FdbV15Average } from '../harness/metrics/peer/fdb-v15-average.ts';

interface SystemInfo {
  system: string;
  stores: string[];
  sessions: number;
  errored: number;
}

export interface RankedEntry {
  system: string;
  summary: MetricSummary;
  /** 1 = best; null for metrics without a better direction. */
  rank: number | null;
  /** The 95% CI overlaps the leader's: not told apart from #1 at this sample size. */
  tiedWithLeader: boolean;
  /** N/A rows on the compared scenarios, by typed reason (`unknown`: stored without one). */
  na: Record<string, number>;
  /** The same values by speech source (engine of sessions.speech_source, `unknown` where none, and any perturbation: SOURCE_SQL). */
  bySource?: { source: string; summary: MetricSummary }[];
}

export interface MetricBoard {
  metric: string;
  family: string;
  unit: string;
  direction: Direction | null;
  entries: RankedEntry[];
}

/** One system's interaction panel and FD-bench v1.5-style average, on the common scenarios. */
interface SystemPanel {
  system: string;
  figures: PanelFigure[];
  fdb: FdbV15Average;
}

export interface Leaderboard {
  systems: SystemInfo[];
  scenarios: string[];
  droppedScenarios: string[];
  /** In the systems' order. */
  panels: SystemPanel[];
  boards: MetricBoard[];
  /**
   * Verdicts by speech source (sessions.speech_source, by engine; `unknown` where a store has
   * none) on the common scenarios: sessions passed of those judged (errored ones left out).
   * Empty when no session's source is known.
   */
  sources: SourceVerdicts[];
}

interface SourceVerdicts {
  system: string;
  /** The engine: `espeak`, `flite`, `gnuspeech`, `recording`, `unknown`; ` + <perturbation>` after it where the run had one (`espeak + reverb:400ms`). */
  source: string;
  family: string;
  passed: number;
  judged: number;
}

interface ValueRow {
  adapter: string;
  label: string | null;
  scenario_key: string;
  source: string;
  family: string;
  name: string;
  unit: string;
  vals: number[];
}

const systemName = (adapter: string, label: string | null) => (label ? `${adapter} (${label})` : adapter);

export async function buildLeaderboard(stores: readonly Store[]): Promise<Leaderboard> {
  const systems = new Map<string, SystemInfo>();
  /** system -> scenarios it completed */
  const completed = new Map<string, Set<string>>();
  const values: (ValueRow & { system: string })[] = [];
  const naValues: (Omit<ValueRow, 'vals'> & { reason: string; n: number; system: string })[] = [];
  const sourceRows: { system: string; source: string; scenario_key: string; family: string; passed: number; judged: number }[] = [];
  const panelRows: (SystemPanelRow & { system: string })[] = [];
  for (const store of stores) {
    for (const r of await loadPanelRows(store)) panelRows.push({ ...r, system: systemName(r.adapter, r.label) });
    const sessions = await store.query<{ adapter: string; label: string | null; scenario_key: string; status: string; n: number }>(
      `SELECT r.adapter, r.label, s.scenario_key, s.status, count(*) AS n FROM sessions s JOIN runs r USING (run_id) GROUP BY ALL`,
    );
    for (const row of sessions) {
      const name = systemName(row.adapter, row.label);
      let info = systems.get(name);
      if (!info) systems.set(name, (info = { system: name, stores: [], sessions: 0, errored: 0 }));
      if (!info.stores.includes(store.path)) info.stores.push(store.path);
      info.sessions += row.n;
      if (row.status === 'errored') info.errored += row.n;
      else {
        if (!completed.has(name)) completed.set(name, new Set());
        completed.get(name)!.add(row.scenario_key);
      }
    }
    const rows = await store.query<ValueRow>(
      `SELECT r.adapter, r.label, s.scenario_key, ${SOURCE_SQL} AS source, m.family, m.name, any_value(m.unit) AS unit, list(m.value) AS vals
       FROM metrics m JOIN sessions s USING (session_id) JOIN runs r USING (run_id)
       WHERE m.rule_set = 'crosstalk' AND s.status <> 'errored' AND m.value IS NOT NULL
       GROUP BY ALL`,
    );
    for (const r of rows) values.push({ ...r, system: systemName(r.adapter, r.label) });
    const naRows = await store.query<Omit<ValueRow, 'vals'> & { reason: string; n: number }>(
      `SELECT r.adapter, r.label, s.scenario_key, m.family, m.name, any_value(m.unit) AS unit, coalesce(m.reason, '${UNKNOWN_REASON}') AS reason, count(*)::INTEGER AS n
       FROM metrics m JOIN sessions s USING (session_id) JOIN runs r USING (run_id)
       WHERE m.rule_set = 'crosstalk' AND s.status <> 'errored' AND m.value IS NULL
       GROUP BY r.adapter, r.label, s.scenario_key, m.family, m.name, reason`,
    );
    for (const r of naRows) naValues.push({ ...r, system: systemName(r.adapter, r.label) });
    const bySource = await store.query<{
      adapter: string;
      label: string | null;
      source: string;
      scenario_key: string;
      family: string;
      passed: number;
      judged: number;
      known: boolean;
    }>(
      `SELECT r.adapter, r.label, ${SOURCE_SQL} AS source, s.scenario_key, s.family,
              count(*) FILTER (WHERE s.status = 'passed')::INTEGER AS passed, count(*)::INTEGER AS judged, bool_or(s.speech_source IS NOT NULL OR s.perturbation IS NOT NULL) AS known
       FROM sessions s JOIN runs r USING (run_id) WHERE s.status <> 'errored' GROUP BY ALL`,
    );
    for (const r of bySource) sourceRows.push({ ...r, system: systemName(r.adapter, r.label) });
  }
  const names = [...systems.keys()].sort();
  const everyScenario = new Set([...completed.values()].flatMap((s) => [...s]));
  const scenarios = [...everyScenario].filter((k) => names.every((n) => completed.get(n)?.has(k))).sort();
  const common = new Set(scenarios);

  const grouped = new Map<
    string,
    {
      family: string;
      unit: string;
      bySystem: Map<string, number[]>;
      naBySystem: Map<string, Record<string, number>>;
      bySystemSource: Map<string, Map<string, number[]>>;
    }
  >();
  const groupOf = (v: { name: string; family: string; unit: string }) => {
    let g = grouped.get(v.name);
    if (!g) grouped.set(v.name, (g = { family: v.family, unit: v.unit, bySystem: new Map(), naBySystem: new Map(), bySystemSource: new Map() }));
    return g;
  };
  for (const v of values) {
    if (!common.has(v.scenario_key)) continue;
    const g = groupOf(v);
    const list = g.bySystem.get(v.system) ?? [];
    for (const x of v.vals) list.push(x);
    g.bySystem.set(v.system, list);
    const perSource = g.bySystemSource.get(v.system) ?? new Map<string, number[]>();
    perSource.set(v.source, [...(perSource.get(v.source) ?? []), ...v.vals]);
    g.bySystemSource.set(v.system, perSource);
  }
  for (const v of naValues) {
    if (!common.has(v.scenario_key)) continue;
    const g = groupOf(v);
    const na = g.naBySystem.get(v.system) ?? {};
    na[v.reason] = (na[v.reason] ?? 0) + v.n;
    g.naBySystem.set(v.system, na);
  }
  const boards = [...grouped.entries()]
    .sort(([a, ga], [b, gb]) => ga.family.localeCompare(gb.family) || a.localeCompare(b))
    .map(([metric, g]) => {
      const board = rankMetric(
        metric,
        g.family,
        g.unit,
        names
          .filter((n) => g.bySystem.has(n) || g.naBySystem.has(n))
          .map((n) => ({ system: n, summary: summarizeMetric(g.bySystem.get(n) ?? [], g.unit), na: sortedCounts(g.naBySystem.get(n) ?? {}) })),
      );
      for (const e of board.entries) {
        const perSource = g.bySystemSource.get(e.system);
        if (perSource)
          e.bySource = [...perSource.entries()]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([source, vals]) => ({ source, summary: summarizeMetric(vals, g.unit) }));
      }
      return board;
    });
  const panels = names.map((system) => {
    const rows = panelRows.filter((r) => r.system === system && common.has(r.scenarioKey));
    return { system, figures: computePanel(rows), fdb: panelFdbAverage(rows) };
  });
  const sources = new Map<string, SourceVerdicts>();
  if (sourceRows.some((r) => r.source !== 'unknown')) {
    for (const r of sourceRows) {
      if (!common.has(r.scenario_key)) continue;
      const key = `${r.system}\u0000${r.source}\u0000${r.family}`;
      const v = sources.get(key) ?? { system: r.system, source: r.source, family: r.family, passed: 0, judged: 0 };
      v.passed += r.passed;
      v.judged += r.judged;
      sources.set(key, v);
    }
  }
  const sourceList = [...sources.values()].sort(
    (a, b) => a.system.localeCompare(b.system) || a.source.localeCompare(b.source) || a.family.localeCompare(b.family),
  );
  return {
    systems: names.map((n) => systems.get(n)!),
    scenarios,
    droppedScenarios: [...everyScenario].filter((k) => !common.has(k)).sort(),
    panels,
    boards,
    sources: sourceList,
  };
}

/**
 * Rank by the centre (median, or rate for 0/1 metrics) in the metric's better direction.
 * Systems with no value (only N/A rows) follow, unranked.
 */
function rankMetric(
  metric: string,
  family: string,
  unit: string,
  rows: { system: string; summary: MetricSummary; na?: Record<string, number> }[],
): MetricBoard {
  const direction = metricDefinition(metric)?.direction ?? null;
  const sign = direction === 'lower' ? 1 : direction === 'higher' ? -1 : 0;
  const sorted = rows.filter((r) => r.summary.value !== null).sort((a, b) => sign * (a.summary.value! - b.summary.value!) || a.system.localeCompare(b.system));
  const leader = sorted[0]?.summary;
  const entries = sorted.map((r, i): RankedEntry => ({
    system: r.system,
    summary: r.summary,
    rank: sign === 0 ? null : i + 1,
    tiedWithLeader: sign !== 0 && i > 0 && overlaps(r.summary, leader),
    na: r.na ?? {},
  }));
  const unmeasured = rows.filter((r) => r.summary.value === null).sort((a, b) => a.system.localeCompare(b.system));
  for (const r of unmeasured) entries.push({ system: r.system, summary: r.summary, rank: null, tiedWithLeader: false, na: r.na ?? {} });
  return { metric, family, unit, direction, entries };
}

/** Most first, then by name. */
function sortedCounts(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
}

function overlaps(a: MetricSummary, b: MetricSummary): boolean {
  if (a.ciLow === null || a.ciHigh === null || b.ciLow === null || b.ciHigh === null) return false;
  return a.ciLow <= b.ciHigh && b.ciLow <= a.ciHigh;
}
