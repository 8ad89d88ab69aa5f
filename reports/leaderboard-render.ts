/** The leaderboard as a static HTML page and as Markdown (for a README), with its charts. */
import { formatValue } from './terminal.ts';
import { html, page, raw } from './html.ts';
import { mdTable } from './markdown.ts';
import { renderSvg } from './charts/render.ts';
import { intervalSpec, tradeoffSpec, type TradeoffPoint } from './charts/intervals.ts';
import { PAGE_STYLE, type ReportChart } from './report.ts';
import type { Leaderboard, MetricBoard, RankedEntry } from './leaderboard.ts';

export const TRADEOFF_X = 'turn_taking.latency_ms';
export const TRADEOFF_Y = 'pause.takeover';

/** Chart names: `tradeoff` and `rank-<metric>`. */
export async function leaderboardCharts(lb: Leaderboard): Promise<ReportChart[]> {
  const charts: ReportChart[] = [];
  const points = tradeoffPoints(lb);
  if (points.length > 0) charts.push({ name: 'tradeoff', svg: await renderSvg(tradeoffSpec(points)) });
  for (const board of lb.boards) {
    const rows = board.entries.filter((e) => e.summary.ciLow !== null).map((e) => ({ label: e.system, value: e.summary.value!, low: e.summary.ciLow!, high: e.summary.ciHigh! }));
    if (rows.length === 0) continue;
    const axis = board.unit === 'bool' ? 'rate, 95% CI' : `median (${board.unit}), 95% CI`;
    charts.push({ name: `rank-${board.metric}`, svg: await renderSvg(intervalSpec(board.metric, axis, rows)) });
  }
  return charts;
}

/** Systems measured on both axes of the trade-off: latency median and pause takeover rate. */
export function tradeoffPoints(lb: Leaderboard): TradeoffPoint[] {
  const latency = lb.boards.find((b) => b.metric === TRADEOFF_X);
  const takeover = lb.boards.find((b) => b.metric === TRADEOFF_Y);
  if (!latency || !takeover) return [];
  return latency.entries.flatMap((l) => {
    const t = takeover.entries.find((e) => e.system === l.system);
    const [ls, ts] = [l.summary, t?.summary];
    if (!ts || ls.value === null || ts.value === null || ls.ciLow === null || ts.ciLow === null) return [];
    return [{ label: l.system, latencyMs: ls.value, latencyLow: ls.ciLow, latencyHigh: ls.ciHigh!, takeoverRate: ts.value, takeoverLow: ts.ciLow, takeoverHigh: ts.ciHigh! }];
  });
}

const centre = (e: RankedEntry, unit: string) => (e.summary.value === null ? '–' : formatValue(e.summary.value, e.summary.centre === 'rate' ? '' : unit));
const ci = (e: RankedEntry, unit: string) => {
  const u = e.summary.centre === 'rate' ? '' : unit;
  return e.summary.ciLow === null ? '–' : `${formatValue(e.summary.ciLow, u)} – ${formatValue(e.summary.ciHigh!, u)}`;
};
const rankText = (e: RankedEntry) => (e.rank === null ? '–' : `${e.rank}${e.tiedWithLeader ? ' (≈1)' : ''}`);
/** `5: no_response 4, trigger_missed 1`, or `0`. */
const naText = (e: RankedEntry) => {
  const entries = Object.entries(e.na);
  const total = entries.reduce((n, [, k]) => n + k, 0);
  return total === 0 ? '0' : `${total}: ${entries.map(([r, k]) => `${r} ${k}`).join(', ')}`;
};
const better = (b: MetricBoard) => (b.direction === 'lower' ? 'lower is better' : b.direction === 'higher' ? 'higher is better' : 'no better direction: not ranked');

export function leaderboardHtml(lb: Leaderboard, charts: readonly ReportChart[], title = 'crosstalk leaderboard'): string {
  const chart = (name: string) => charts.find((c) => c.name === name);
  const tradeoff = chart('tradeoff');
  const body = html`
<h1>${title}</h1>
${intro(lb, (t) => html`<p class="muted">${t}</p>`)}
<table><tr><th>system</th><th>sessions</th><th>errored</th><th class="text">stores</th></tr>
${lb.systems.map((s) => html`<tr><td>${s.system}</td><td>${s.sessions}</td><td>${s.errored}</td><td class="text muted">${s.stores.join(', ')}</td></tr>`)}</table>
${tradeoff ? html`<h2>The trade-off</h2><figure class="chart" data-chart="tradeoff">${raw(tradeoff.svg)}</figure>` : html`<p class="muted">No trade-off chart: it needs ${TRADEOFF_X} and ${TRADEOFF_Y} for at least one system.</p>`}
<h2>Per metric</h2>
${lb.boards.map((b) => {
  const c = chart(`rank-${b.metric}`);
  return html`<h3>${b.metric} <span class="muted">(${better(b)})</span></h3>
<table><tr><th>rank</th><th class="text">system</th><th>n</th><th>${b.unit === 'bool' ? 'rate' : 'median'}</th><th>p90</th><th>95% CI</th><th class="text">N/A by reason</th></tr>
${b.entries.map((e) => html`<tr><td>${rankText(e)}</td><td class="text${e.rank === 1 ? ' better' : ''}">${e.system}</td><td>${e.summary.count}</td><td>${centre(e, b.unit)}</td><td>${b.unit === 'bool' || e.summary.p90 === null ? '–' : formatValue(e.summary.p90, b.unit)}</td><td>${ci(e, b.unit)}</td><td class="text na">${naText(e)}</td></tr>`)}
</table>${c ? html`<figure class="chart" data-chart="${c.name}">${raw(c.svg)}</figure>` : ''}`;
})}`;
  return page({ title, style: PAGE_STYLE, body });
}

function intro<T>(lb: Leaderboard, wrap: (text: string) => T): T {
  const dropped = lb.droppedScenarios.length ? ` ${lb.droppedScenarios.length} scenario(s) not completed by every system are left out: ${lb.droppedScenarios.join(', ')}.` : '';
  return wrap(
    `${lb.systems.length} systems on the same ${lb.scenarios.length} scenarios.${dropped} Ranked by the median (the rate for 0/1 metrics) with its 95% bootstrap CI; ≈1: the interval overlaps the leader's, so the two are not told apart at this sample size. Errored sessions are left out. N/A: rows with no value on those scenarios, by typed reason; a system with only N/A rows is listed, unranked.`,
  );
}

/** Markdown; `chartLink(name)` gives the relative path of a chart's PNG, or undefined for none. */
export function leaderboardMarkdown(lb: Leaderboard, chartLink: (name: string) => string | undefined, title = 'crosstalk leaderboard'): string {
  const out = [`## ${title}`, '', intro(lb, (t) => t), ''];
  const tradeoff = chartLink('tradeoff');
  if (tradeoff) out.push(`![Latency against pause takeover](${tradeoff})`, '');
  for (const b of lb.boards) {
    out.push(`### ${b.metric} (${better(b)})`, '');
    out.push(
      mdTable(
        ['rank', 'system', 'n', b.unit === 'bool' ? 'rate' : 'median', '95% CI', 'N/A'],
        b.entries.map((e) => [rankText(e), e.system, String(e.summary.count), centre(e, b.unit), ci(e, b.unit), naText(e)]),
        ['r', 'l', 'r', 'r', 'r', 'l'],
      ),
      '',
    );
  }
  return out.join('\n');
}
