/**
 * The plain-text summary printed after `crosstalk run`: sessions by outcome per family, the
 * interaction panel (reports/panel.ts), then per family and metric (crosstalk rule set) count, N/A count, median, p90, a 95% CI of the
 * median and the pass rate where expectations exist, then the N/A rows of each metric by typed
 * reason (`no_response 3, trigger_missed 1`). Rates backed by fewer than 10 values carry a `*`.
 * At most 100 columns; rows sorted by family, then
 * metric.
 */
import { HARNESS_ERROR_BOUND_MS } from '../harness/runner/harness-error.ts';
import type { Store } from '../harness/store/store.ts';
import { passRateText, summarizeMetric } from './summary.ts';
import { UNKNOWN_REASON } from '../harness/gate/values.ts';
import { formatValue } from './format.ts';
import {
  computePanel,
  countText,
  fdbAverageText,
  figureCiText,
  figureText,
  loadPanelRows,
  panelFdbAverage,
  SMALL_NOTE,
  SMALL_SAMPLE,
  type PanelRow,
} from './panel.ts';
import { FDB_V15_SCENARIOS } from '../harness/metrics/peer/fdb-v15-average.ts';

export const MAX_WIDTH = 100;

type Align = 'left' | 'right';

/** Columns padded to their widest cell; the first column is cut with '…' to fit `maxWidth`. */
function renderTable(header: string[], rows: string[][], align: Align[], maxWidth = MAX_WIDTH): string {
  const gap = '  ';
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const others = widths.slice(1).reduce((sum, w) => sum + w + gap.length, 0);
  widths[0] = Math.max(8, Math.min(widths[0], maxWidth - others));
  const fit = (cell: string, c: number) => {
    const text = cell.length > widths[c] ? `${cell.slice(0, widths[c] - 1)}…` : cell;
    return align[c] === 'left' ? text.padEnd(widths[c]) : text.padStart(widths[c]);
  };
  return [header, ...rows].map((row) => row.map(fit).join(gap).trimEnd()).join('\n');
}

interface StatusCount {
  family: string;
  status: string;
  n: number;
}

interface MetricGroup {
  family: string;
  name: string;
  unit: string;
  values: number[] | null;
  missing: number;
  checked: number;
  passed: number;
}

const STATUSES = ['passed', 'failed', 'errored'] as const;

function sessionTable(counts: StatusCount[]): string {
  const families = [...new Set(counts.map((c) => c.family))];
  const countOf = (family: string | null, status: string) =>
    counts.filter((c) => (family === null || c.family === family) && c.status === status).reduce((sum, c) => sum + c.n, 0);
  const row = (label: string, family: string | null) => {
    const cells = STATUSES.map((s) => countOf(family, s));
    return [label, ...cells.map(String), String(cells.reduce((a, b) => a + b, 0))];
  };
  return renderTable(
    ['sessions by family', ...STATUSES, 'total'],
    [...families.map((f) => row(f, f)), row('all', null)],
    ['left', 'right', 'right', 'right', 'right'],
  );
}

function metricTable(groups: MetricGroup[]): string {
  const rows: string[][] = [];
  let family: string | undefined;
  for (const g of groups) {
    if (g.family !== family) {
      family = g.family;
      rows.push([family, '', '', '', '', '', '']);
    }
    // 0/1 metrics show their rate (Wilson CI), others their median (bootstrap CI): summary.ts.
    const s = summarizeMetric(g.values ?? [], g.unit);
    const fmt = (v: number | null) => (v === null ? '-' : formatValue(v, g.unit));
    const ci = s.ciLow === null || s.ciHigh === null ? '-' : `${formatValue(s.ciLow, '')}–${fmt(s.ciHigh)}`;
    const pass = g.checked === 0 ? '-' : passRateText(g.passed, g.checked, 'narrow');
    const p90 = s.centre === 'rate' ? '-' : fmt(s.p90);
    rows.push([`  ${g.name}`, g.unit === 'bool' ? countText(s.count) : String(s.count), String(g.missing), fmt(s.value), p90, ci, pass]);
  }
  return renderTable(['metric (crosstalk rules)', 'n', 'n/a', 'median / rate', 'p90', '95% CI', 'passed'], rows, [
    'left',
    'right',
    'right',
    'right',
    'right',
    'right',
    'right',
  ]);
}

/** Each metric's N/A rows by reason, one metric a line, wrapped (indented) to MAX_WIDTH. */
function naReasonLines(rows: { name: string; reason: string; n: number }[], title = 'n/a by reason (why a value could not be computed):'): string {
  const names = [...new Set(rows.map((r) => r.name))];
  const lines = names.flatMap((name) =>
    wrapped(
      `  ${name}:`,
      rows.filter((r) => r.name === name).map((r) => `${r.reason} ${r.n}`),
      ',',
    ),
  );
  return [title, ...lines].join('\n');
}

/** `head part1, part2, ...` wrapped (indented) to MAX_WIDTH, a part never split; an overlong line is cut with '…'. */
function wrapped(head: string, parts: string[], separator: string): string[] {
  const lines: string[] = [];
  let line = head;
  for (const [i, part] of parts.entries()) {
    const piece = ` ${part}${i < parts.length - 1 ? separator : ''}`;
    if (line.length + piece.length > MAX_WIDTH && line.trim().length > 0) {
      lines.push(line);
      line = '    ';
    }
    line += piece;
  }
  lines.push(line.length > MAX_WIDTH ? `${line.slice(0, MAX_WIDTH - 1)}…` : line);
  return lines;
}

/** The interaction panel: what was measured, with counts (small samples marked) and reasons. */
function panelLines(rows: PanelRow[]): string {
  const figures = computePanel(rows);
  const fdb = panelFdbAverage(rows);
  const measured = figures.filter((f) => f.count > 0 || Object.keys(f.reasons).length > 0);
  if (measured.length === 0) return 'Interaction panel: nothing measured (no turns, barge-ins or distractors in these sessions).';
  const table = renderTable(
    ['interaction panel', 'n', 'value', '95% CI'],
    measured.map((f) => [`  ${f.entry.label}`, countText(f.count, f.entry.aggregate === 'rate' && f.small), figureText(f), figureCiText(f)]),
    ['left', 'right', 'right', 'right'],
  );
  const parts = [table];
  if (FDB_V15_SCENARIOS.some((sc) => fdb.counts[sc].total > 0))
    parts.push(`FD-bench v1.5-style average (a peer figure, not a headline): ${fdbAverageText(fdb)}`);
  if (measured.some((f) => f.entry.aggregate === 'rate' && f.small)) parts.push(SMALL_NOTE);
  const missing = figures.filter((f) => !measured.includes(f));
  if (missing.length > 0)
    parts.push(
      ...wrapped(
        'not measured here:',
        missing.map((f) => f.entry.label),
        ';',
      ),
    );
  const reasons = measured.flatMap((f) => Object.entries(f.reasons).map(([reason, n]) => ({ name: f.entry.label, reason, n })));
  if (reasons.length > 0) parts.push(naReasonLines(reasons, 'panel: n/a rows and failed events by reason:'));
  return parts.join('\n');
}

/**
 * The summary of one run (or of every run in the store when `runId` is omitted). Metrics of
 * errored sessions are left out: an infrastructure error is not a measurement.
 */
export async function summaryTable(store: Store, runId?: string): Promise<string> {
  const where = runId === undefined ? '' : 'AND s.run_id = $1';
  const params = runId === undefined ? undefined : [runId];
  const counts = await store.query<StatusCount>(
    `SELECT s.family, s.status, count(*) AS n FROM sessions s WHERE true ${where}
     GROUP BY s.family, s.status ORDER BY s.family, s.status`,
    params,
  );
  const scope = runId === undefined ? 'this store' : `run ${runId}`;
  if (counts.length === 0) return `No sessions in ${scope}.`;

  const groups = await store.query<MetricGroup>(
    `SELECT m.family, m.name, m.unit,
            list(m.value) FILTER (WHERE m.value IS NOT NULL) AS "values",
            count(*) FILTER (WHERE m.value IS NULL) AS missing,
            count(m.passed) AS checked,
            count(*) FILTER (WHERE m.passed) AS passed
     FROM metrics m JOIN sessions s USING (session_id)
     WHERE m.rule_set = 'crosstalk' AND s.status <> 'errored' ${where}
     GROUP BY m.family, m.name, m.unit ORDER BY m.family, m.name, m.unit`,
    params,
  );
  const reasons = await store.query<{ name: string; reason: string; n: number }>(
    `SELECT m.name, coalesce(m.reason, '${UNKNOWN_REASON}') AS reason, count(*)::INTEGER AS n
     FROM metrics m JOIN sessions s USING (session_id)
     WHERE m.rule_set = 'crosstalk' AND s.status <> 'errored' AND m.value IS NULL ${where}
     GROUP BY m.family, m.name, reason ORDER BY m.family, m.name, n DESC, reason`,
    params,
  );
  const total = counts.reduce((sum, c) => sum + c.n, 0);
  const errored = counts.filter((c) => c.status === 'errored').reduce((sum, c) => sum + c.n, 0);
  const parts = [`Summary of ${scope}: ${total} session${total === 1 ? '' : 's'}`, '', sessionTable(counts), ''];
  parts.push(panelLines(await loadPanelRows(store, runId)), '');
  parts.push(groups.length === 0 ? 'No metrics recorded.' : metricTable(groups));
  if (groups.some((g) => g.unit === 'bool' && (g.values?.length ?? 0) < SMALL_SAMPLE)) parts.push(SMALL_NOTE);
  if (reasons.length > 0) parts.push('', naReasonLines(reasons));
  if (errored > 0) parts.push('', `Metrics leave out the ${errored} errored session${errored === 1 ? '' : 's'}.`);
  const [flagged] = await store.query<{ n: number; worst: number | null }>(
    `SELECT count(*)::INTEGER AS n, max(harness_error_ms) AS worst FROM sessions s WHERE timing_flagged AND s.status <> 'errored' ${where}`,
    params,
  );
  if (flagged.n > 0) {
    parts.push(
      '',
      `Timing flagged in ${flagged.n} session${flagged.n === 1 ? '' : 's'}: the harness itself was late by up to ${formatValue(flagged.worst ?? 0, 'ms')} (bound ${HARNESS_ERROR_BOUND_MS} ms) where a latency is measured; their latencies may carry it. Rerun on a quieter machine or with fewer workers.`,
    );
  }
  return parts.join('\n');
}
