/** The leaderboard as a static HTML page and as Markdown (for a README), with its charts. */
import { formatValue } from './format.ts';
import { html, page, raw } from './html.ts';
import { mdTable } from './markdown.ts';
import { renderSvg } from './charts/render.ts';
import { intervalSpec, scatterSpec, type ScatterPoint } from './charts/intervals.ts';
import { PAGE_STYLE, type ReportChart } from './report.ts';
import type { Leaderboard, MetricBoard, RankedEntry } from './leaderboard.ts';
import { countText, FDB_AVERAGE_NOTE, fdbAverageText, figureCiText, figureText, PANEL, SMALL_NOTE, SMALL_SAMPLE, type PanelFigure } from './panel.ts';
import { passRateText } from './summary.ts';

const TRADEOFF_X = 'turn_taking.latency_ms';
const TRADEOFF_Y = 'pause.takeover';
/** The panel's trade-off: yield to real barge-ins against talking through backchannels. */
const YIELD_AXIS = 'yield_rate';
const SELECTIVITY_AXIS = 'selectivity_backchannel';

const YIELD_SELECTIVITY = {
  title: 'Yield against backchannel selectivity (upper-right is better)',
  x: { title: 'yield rate on real barge-ins →  yields more', domain: [0, 1] as [number, number] },
  y: { title: 'talked through user backchannels →  more selective', domain: [0, 1] as [number, number] },
};
const LATENCY_TAKEOVER = {
  title: 'Latency against pause takeover (lower-left is better)',
  x: { title: 'turn-taking latency, median (ms) →  slower' },
  y: { title: 'pause takeover rate →  more interruptions', domain: [0, 1] as [number, number] },
};

/** Chart names: `yield-selectivity`, `tradeoff` and `rank-<metric>`. */
export async function leaderboardCharts(lb: Leaderboard): Promise<ReportChart[]> {
  const charts: ReportChart[] = [];
  const yieldPoints = yieldSelectivityPoints(lb);
  if (yieldPoints.length > 0) charts.push({ name: 'yield-selectivity', svg: await renderSvg(scatterSpec(YIELD_SELECTIVITY, yieldPoints)) });
  const points = tradeoffPoints(lb);
  if (points.length > 0) charts.push({ name: 'tradeoff', svg: await renderSvg(scatterSpec(LATENCY_TAKEOVER, points)) });
  for (const board of lb.boards) {
    const rows = board.entries
      .filter((e) => e.summary.ciLow !== null)
      .map((e) => ({ label: e.system, value: e.summary.value!, low: e.summary.ciLow!, high: e.summary.ciHigh! }));
    if (rows.length === 0) continue;
    const axis = board.unit === 'bool' ? 'rate, 95% CI' : `median (${board.unit}), 95% CI`;
    charts.push({ name: `rank-${board.metric}`, svg: await renderSvg(intervalSpec(board.metric, axis, rows)) });
  }
  return charts;
}

/** Systems measured on both axes of the trade-off: latency median and pause takeover rate. */
export function tradeoffPoints(lb: Leaderboard): ScatterPoint[] {
  const latency = lb.boards.find((b) => b.metric === TRADEOFF_X);
  const takeover = lb.boards.find((b) => b.metric === TRADEOFF_Y);
  if (!latency || !takeover) return [];
  return latency.entries.flatMap((l) => {
    const t = takeover.entries.find((e) => e.system === l.system);
    const [ls, ts] = [l.summary, t?.summary];
    if (!ts || ls.value === null || ts.value === null || ls.ciLow === null || ts.ciLow === null) return [];
    return [{ label: l.system, x: ls.value, xLow: ls.ciLow, xHigh: ls.ciHigh!, y: ts.value, yLow: ts.ciLow, yHigh: ts.ciHigh! }];
  });
}

/** Systems with both a yield rate and a backchannel selectivity (any count: small samples are labelled `*`). */
export function yieldSelectivityPoints(lb: Leaderboard): ScatterPoint[] {
  return lb.panels.flatMap(({ system, figures }) => {
    const x = figures.find((f) => f.entry.id === YIELD_AXIS);
    const y = figures.find((f) => f.entry.id === SELECTIVITY_AXIS);
    if (!x || !y || x.value === null || y.value === null || x.ciLow === null || y.ciLow === null) return [];
    const label = x.small || y.small ? `${system} ${SMALL_MARK_LABEL}` : system;
    return [{ label, x: x.value, xLow: x.ciLow, xHigh: x.ciHigh!, y: y.value, yLow: y.ciLow, yHigh: y.ciHigh! }];
  });
}

const SMALL_MARK_LABEL = '(n<10)';

/** One panel cell: `0.83 [0.61–0.92] n=12`, small samples marked. */
const panelCell = (f: PanelFigure | undefined) => {
  if (!f || (f.count === 0 && f.value === null)) return '–';
  const ci = f.ciLow === null ? '' : ` [${figureCiText(f)}]`;
  return `${figureText(f)}${ci} n=${countText(f.count, f.entry.aggregate === 'rate' && f.small)}`;
};

/** Panel rows (entries measured for at least one system) with one cell per system, then the peer average. */
function panelRows(lb: Leaderboard): string[][] {
  const measured = PANEL.filter((e) => lb.panels.some((p) => p.figures.some((f) => f.entry.id === e.id && (f.count > 0 || Object.keys(f.reasons).length > 0))));
  const rows = measured.map((e) => [e.label, ...lb.panels.map((p) => panelCell(p.figures.find((f) => f.entry.id === e.id)))]);
  rows.push(['FD-bench v1.5-style average (peer figure)', ...lb.panels.map((p) => fdbAverageText(p.fdb))]);
  return rows;
}

const centre = (e: RankedEntry, unit: string) => (e.summary.value === null ? '–' : formatValue(e.summary.value, e.summary.centre === 'rate' ? '' : unit));
const ci = (e: RankedEntry, unit: string) => {
  const u = e.summary.centre === 'rate' ? '' : unit;
  return e.summary.ciLow === null ? '–' : `${formatValue(e.summary.ciLow, u)} – ${formatValue(e.summary.ciHigh!, u)}`;
};
/** A board's n: rates backed by fewer than SMALL_SAMPLE events marked. */
const boardCount = (e: RankedEntry, b: MetricBoard) => (b.unit === 'bool' ? countText(e.summary.count) : String(e.summary.count));
const rankText = (e: RankedEntry) => (e.rank === null ? '–' : `${e.rank}${e.tiedWithLeader ? ' (≈1)' : ''}`);
/** `5: no_response 4, trigger_missed 1`, or `0`. */
const naText = (e: RankedEntry) => {
  const entries = Object.entries(e.na);
  const total = entries.reduce((n, [, k]) => n + k, 0);
  return total === 0 ? '0' : `${total}: ${entries.map(([r, k]) => `${r} ${k}`).join(', ')}`;
};
const better = (b: MetricBoard) =>
  b.direction === 'lower' ? 'lower is better' : b.direction === 'higher' ? 'higher is better' : 'no better direction: not ranked';

export function leaderboardHtml(lb: Leaderboard, charts: readonly ReportChart[], title = 'crosstalk leaderboard'): string {
  const chart = (name: string) => charts.find((c) => c.name === name);
  const tradeoff = chart('tradeoff');
  const yieldChart = chart('yield-selectivity');
  const body = html`
<h1>${title}</h1>
${intro(lb, (t) => html`<p class="muted">${t}</p>`)}
<table><tr><th>system</th><th>sessions</th><th>errored</th><th class="text">stores</th></tr>
${lb.systems.map((s) => html`<tr><td>${s.system}</td><td>${s.sessions}</td><td>${s.errored}</td><td class="text muted">${s.stores.join(', ')}</td></tr>`)}</table>
<h2>Interaction panel</h2>
<p class="muted">Each system on the common scenarios. Value [95% CI] n=events. ${SMALL_NOTE}. No composite: read yield against selectivity. ${FDB_AVERAGE_NOTE}</p>
<table class="panel"><tr><th class="text">figure</th>${lb.panels.map((p) => html`<th class="text">${p.system}</th>`)}</tr>
${panelRows(lb).map(([label, ...cells]) => html`<tr><td class="text">${label}</td>${cells.map((c) => html`<td class="text${c.includes('*') ? ' small-sample' : ''}">${c}</td>`)}</tr>`)}</table>
${yieldChart ? html`<figure class="chart" data-chart="yield-selectivity">${raw(yieldChart.svg)}</figure>` : html`<p class="muted">No yield against selectivity chart: it needs a yield rate and a backchannel selectivity (interruption and user_backchannel scenarios) for at least one system.</p>`}
${tradeoff ? html`<h2>The trade-off</h2><figure class="chart" data-chart="tradeoff">${raw(tradeoff.svg)}</figure>` : html`<p class="muted">No trade-off chart: it needs ${TRADEOFF_X} and ${TRADEOFF_Y} for at least one system.</p>`}
${
  sourceRows(lb).length
    ? html`<h2>By speech source</h2>
<p class="muted">Sessions passed of those judged, per engine that rendered the user's speech (\`run --voices\`), on the common scenarios.</p>
<table id="speech-sources"><tr><th class="text">system</th><th class="text">speech source</th>${sourceFamilies(lb).map((f) => html`<th>${f}</th>`)}<th>all</th></tr>
${sourceRows(lb).map(([system, source, ...cells]) => html`<tr><td class="text">${system}</td><td class="text">${source}</td>${cells.map((c) => html`<td>${c}</td>`)}</tr>`)}</table>`
    : ''
}
<h2>Per metric</h2>
${lb.boards.map((b) => {
  const c = chart(`rank-${b.metric}`);
  return html`<h3>${b.metric} <span class="muted">(${better(b)})</span></h3>
<table><tr><th>rank</th><th class="text">system</th><th>n</th><th>${b.unit === 'bool' ? 'rate' : 'median'}</th><th>p90</th><th>95% CI</th><th class="text">N/A by reason</th>${severalSources(lb) ? html`<th class="text">by speech source</th>` : ''}</tr>
${b.entries.map((e) => html`<tr><td>${rankText(e)}</td><td class="text${e.rank === 1 ? ' better' : ''}">${e.system}</td><td${b.unit === 'bool' && e.summary.count < SMALL_SAMPLE ? ' class="small-sample"' : ''}>${boardCount(e, b)}</td><td>${centre(e, b.unit)}</td><td>${b.unit === 'bool' || e.summary.p90 === null ? '–' : formatValue(e.summary.p90, b.unit)}</td><td>${ci(e, b.unit)}</td><td class="text na">${naText(e)}</td>${severalSources(lb) ? html`<td class="text by-source">${bySourceText(e, b.unit)}</td>` : ''}</tr>`)}
</table>${c ? html`<figure class="chart" data-chart="${c.name}">${raw(c.svg)}</figure>` : ''}`;
})}`;
  return page({ title, style: PAGE_STYLE, body });
}

/** Whether the boards hold values of more than one speech source (then each entry shows its split). */
const severalSources = (lb: Leaderboard) => new Set(lb.boards.flatMap((b) => b.entries.flatMap((e) => (e.bySource ?? []).map((x) => x.source)))).size > 1;
/** `espeak 220 ms (69) · flite 219 ms (65)`: the centre per source with its count. */
const bySourceText = (e: RankedEntry, unit: string) =>
  (e.bySource ?? [])
    .map(
      ({ source, summary: s }) =>
        `${source} ${s.centre === 'rate' ? `rate ${s.value === null ? '–' : formatValue(s.value, '')}` : s.median === null ? '–' : formatValue(s.median, unit)} (${s.count})`,
    )
    .join(' · ');

const sourceFamilies = (lb: Leaderboard) => [...new Set(lb.sources.map((v) => v.family))].sort();

/** [system, source, rate per family..., all]: passRateText, `–` where none was judged. */
function sourceRows(lb: Leaderboard): string[][] {
  const families = sourceFamilies(lb);
  const pairs = [...new Set(lb.sources.map((v) => `${v.system}\u0000${v.source}`))];
  const rate = (list: { passed: number; judged: number }[]) => {
    const passed = list.reduce((n, v) => n + v.passed, 0);
    const judged = list.reduce((n, v) => n + v.judged, 0);
    return passRateText(passed, judged);
  };
  return pairs.map((pair) => {
    const [system, source] = pair.split('\u0000');
    const mine = lb.sources.filter((v) => v.system === system && v.source === source);
    return [system, source, ...families.map((f) => rate(mine.filter((v) => v.family === f))), rate(mine)];
  });
}

function intro<T>(lb: Leaderboard, wrap: (text: string) => T): T {
  const dropped = lb.droppedScenarios.length
    ? ` ${lb.droppedScenarios.length} scenario(s) not completed by every system are left out: ${lb.droppedScenarios.join(', ')}.`
    : '';
  return wrap(
    `${lb.systems.length} systems on the same ${lb.scenarios.length} scenarios.${dropped} Ranked by the median (the rate for 0/1 metrics) with its 95% CI (bootstrap of the median, Wilson of a rate); ≈1: the interval overlaps the leader's, so the two are not told apart at this sample size. Errored sessions are left out. N/A: rows with no value on those scenarios, by typed reason; a system with only N/A rows is listed, unranked. ${SMALL_NOTE}.`,
  );
}

/** Markdown; `chartLink(name)` gives the relative path of a chart's PNG, or undefined for none. */
export function leaderboardMarkdown(lb: Leaderboard, chartLink: (name: string) => string | undefined, title = 'crosstalk leaderboard'): string {
  const out = [`## ${title}`, '', intro(lb, (t) => t), ''];
  out.push('### Interaction panel', '', `Value [95% CI] n=events. ${SMALL_NOTE}. ${FDB_AVERAGE_NOTE}`, '');
  out.push(mdTable(['figure', ...lb.panels.map((p) => p.system)], panelRows(lb), ['l', ...lb.panels.map(() => 'l' as const)]), '');
  const yieldChart = chartLink('yield-selectivity');
  if (yieldChart) out.push(`![Yield against backchannel selectivity](${yieldChart})`, '');
  const tradeoff = chartLink('tradeoff');
  if (tradeoff) out.push(`![Latency against pause takeover](${tradeoff})`, '');
  const bySource = sourceRows(lb);
  if (bySource.length) {
    const families = sourceFamilies(lb);
    out.push('### By speech source', '', "Sessions passed of those judged, per engine that rendered the user's speech.", '');
    out.push(mdTable(['system', 'speech source', ...families, 'all'], bySource, ['l', 'l', ...families.map(() => 'r' as const), 'r']), '');
  }
  for (const b of lb.boards) {
    out.push(`### ${b.metric} (${better(b)})`, '');
    out.push(
      mdTable(
        ['rank', 'system', 'n', b.unit === 'bool' ? 'rate' : 'median', '95% CI', 'N/A', ...(severalSources(lb) ? ['by speech source'] : [])],
        b.entries.map((e) => [
          rankText(e),
          e.system,
          boardCount(e, b),
          centre(e, b.unit),
          ci(e, b.unit),
          naText(e),
          ...(severalSources(lb) ? [bySourceText(e, b.unit)] : []),
        ]),
        ['r', 'l', 'r', 'r', 'r', 'l', ...(severalSources(lb) ? ['l' as const] : [])],
      ),
      '',
    );
  }
  return out.join('\n');
}
