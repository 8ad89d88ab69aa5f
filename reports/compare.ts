/**
 * `crosstalk compare` views: the paired per-scenario comparison (harness/compare.ts) as a
 * terminal table, Markdown, a static HTML page and JSON. Significant changes are highlighted:
 * better or worse by the metric's direction.
 */
import type { MetricComparison } from '../harness/compare.ts';
import { formatValue } from './format.ts';
import { html, page, raw } from './html.ts';
import { mdTable } from './markdown.ts';
import { renderSvg } from './charts/render.ts';
import { intervalSpec } from './charts/intervals.ts';
import { PAGE_STYLE, type ReportChart } from './report.ts';

export interface ComparisonView {
  baseline: string;
  candidate: string;
  comparisons: MetricComparison[];
}

const HEADER = ['metric', 'units', 'baseline median', 'candidate median', 'Δ mean (candidate − baseline)', '95% CI', 'change'];

function cells(c: MetricComparison): string[] {
  const signed = (v: number) => (v > 0 ? '+' : '') + formatValue(v, c.unit);
  const level = Math.round(c.level * 100);
  return [
    c.metric,
    String(c.units),
    formatValue(c.baseline.median, c.unit),
    formatValue(c.candidate.median, c.unit),
    signed(c.delta),
    `${level === 95 ? '' : `${level}%: `}${signed(c.ciLow)} … ${signed(c.ciHigh)}`,
    c.change === 'none' ? 'no significant change' : c.change,
  ];
}

const INTRO = `Paired per scenario and subject: each unit is one scenario's subject (e.g. one user turn) present in both stores; Δ is the mean over units of the candidate's mean minus the baseline's; the CI is a two-level bootstrap (units, then repeats). A change is significant when its CI leaves out 0. Errored sessions are left out.`;

export function compareText(v: ComparisonView): string {
  const rows = [HEADER, ...v.comparisons.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) =>
    r
      .map((cell, i) => (i === 0 || i === 6 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd(),
  );
  const worse = v.comparisons.filter((c) => c.change === 'worse').length;
  const better = v.comparisons.filter((c) => c.change === 'better').length;
  return [
    `baseline:  ${v.baseline}`,
    `candidate: ${v.candidate}`,
    '',
    ...lines,
    '',
    `${worse} significantly worse, ${better} significantly better, ${v.comparisons.length - worse - better} without a significant change (or no better direction).`,
  ].join('\n');
}

export function compareMarkdown(v: ComparisonView, chartLink?: string): string {
  const rows = v.comparisons.map((c) => {
    const row = cells(c);
    if (c.change === 'worse' || c.change === 'better') row[6] = c.change === 'worse' ? '🔴 worse' : '🟢 better';
    return row;
  });
  return [
    `## crosstalk compare`,
    '',
    `Baseline \`${v.baseline}\`, candidate \`${v.candidate}\`.`,
    '',
    INTRO,
    '',
    mdTable(HEADER, rows, ['l', 'r', 'r', 'r', 'r', 'r', 'l']),
    '',
    chartLink ? `![Change against the baseline](${chartLink})\n` : '',
  ].join('\n');
}

/** Relative changes (% of the baseline's mean) with their CIs, for metrics whose baseline mean is not 0. */
export async function compareChart(v: ComparisonView): Promise<ReportChart | null> {
  const rows = v.comparisons
    .filter((c) => c.baseline.mean !== 0)
    .map((c) => {
      const scale = 100 / Math.abs(c.baseline.mean);
      return { label: c.metric, value: c.delta * scale, low: c.ciLow * scale, high: c.ciHigh * scale };
    });
  if (rows.length === 0) return null;
  return { name: 'compare', svg: await renderSvg(intervalSpec('Change against the baseline', 'Δ, % of the baseline mean (95% CI)', rows)) };
}

export function compareHtml(v: ComparisonView, chart: ReportChart | null): string {
  const body = html`
<h1>crosstalk compare</h1>
<p>Baseline <code>${v.baseline}</code>, candidate <code>${v.candidate}</code>.</p>
<p class="muted">${INTRO}</p>
<table><tr>${HEADER.map((h, i) => html`<th class="${i === 0 || i === 6 ? 'text' : ''}">${h}</th>`)}</tr>
${v.comparisons.map((c) => html`<tr class="change-${c.change}">${cells(c).map((cell, i) => html`<td class="${i === 0 || i === 6 ? 'text' : ''} ${c.change === 'worse' || c.change === 'better' ? c.change : ''}">${cell}</td>`)}</tr>`)}
</table>
${chart ? html`<figure class="chart" data-chart="compare">${raw(chart.svg)}</figure>` : ''}`;
  return page({ title: 'crosstalk compare', style: PAGE_STYLE, body });
}

export function compareJson(v: ComparisonView): string {
  return JSON.stringify(v, null, 2) + '\n';
}
