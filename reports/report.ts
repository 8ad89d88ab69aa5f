/**
 * `crosstalk report`: one self-contained HTML page over a store. The interaction panel first
 * (reports/panel.ts), then failures (each linked to its timeline), then per family and metric the distribution with count, median, p90 and a 95%
 * CI (bootstrap of the median; Wilson of a 0/1 metric's rate) and the pass rate against expectations, then every session's timeline (user and
 * agent speech on one time axis, triggers, barge-ins, backchannels, visual cues and vendor
 * events marked, the stereo recording playable with a cursor on the timeline). Charts are SVG
 * rendered in Node and inlined; the page loads nothing from the network. Every N/A shows its
 * typed reason: per metric, the n/a count with its split by reason; per session row and per
 * failed check, the reason itself.
 *
 * Audio: see data.ts audioSources (failures embedded within a budget, others linked).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Store } from '../harness/store/store.ts';
import { formatValue } from './format.ts';
import { HARNESS_ERROR_BOUND_MS } from '../harness/runner/harness-error.ts';
import {
  computePanel,
  countText,
  FDB_AVERAGE_NOTE,
  fdbAverageText,
  figureCiText,
  figureText,
  loadPanelRows,
  panelFdbAverage,
  SMALL_NOTE,
  type PanelFigure,
  type PanelRow,
} from './panel.ts';
import { html, page, raw, type Raw } from './html.ts';
import { renderSvg } from './charts/render.ts';
import { distributionSpec } from './charts/distribution.ts';
import { passRateText, summarizeMetric, type MetricSummary } from './summary.ts';
import {
  audioSources,
  loadMetricGroups,
  loadRuns,
  loadSessionDetails,
  loadSessions,
  type MetricGroup,
  type RunInfo,
  type SessionDetail,
  type SessionInfo,
} from './data.ts';

const asset = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
export const PAGE_STYLE = asset('report.css');
const REPORT_SCRIPT = asset('report.js');

export interface ReportOptions {
  /** Folder the HTML will be written to (audio links are relative to it). */
  htmlDir: string;
  /** Embed failed and errored sessions' audio up to this many bytes in all (default 32 MiB). */
  embedAudioBytes?: number;
  title?: string;
}

export interface ReportChart {
  /** File-name-safe: `turn_taking.latency_ms`. */
  name: string;
  svg: string;
}

export interface BuiltReport {
  html: string;
  /** The distribution charts, for writing as SVG and PNG files. */
  charts: ReportChart[];
  sessions: number;
}

export const DEFAULT_EMBED_AUDIO_BYTES = 32 * 1024 * 1024;

interface MetricView {
  group: MetricGroup;
  summary: MetricSummary;
  svg: string;
}

export async function buildReport(store: Store, opts: ReportOptions): Promise<BuiltReport> {
  const [runs, groups, sessions, details, panelRows] = [
    await loadRuns(store),
    await loadMetricGroups(store),
    await loadSessions(store),
    await loadSessionDetails(store),
    await loadPanelRows(store),
  ];
  const metrics: MetricView[] = [];
  for (const group of groups) {
    const summary = summarizeMetric(group.values, group.unit);
    const spec = distributionSpec({
      title: group.name,
      unit: group.unit,
      values: group.values,
      median: summary.median,
      p90: summary.p90,
      ciLow: summary.centre === 'median' ? summary.ciLow : null,
      ciHigh: summary.centre === 'median' ? summary.ciHigh : null,
    });
    metrics.push({ group, summary, svg: await renderSvg(spec) });
  }
  const audio = audioSources(sessions, { htmlDir: opts.htmlDir, embedBudgetBytes: opts.embedAudioBytes ?? DEFAULT_EMBED_AUDIO_BYTES });
  const empty: SessionDetail = { metrics: [], segments: [], markers: [], transcripts: [] };
  const data = {
    sessions: sessions.map((s, i) => {
      const d = details.get(s.sessionId) ?? empty;
      return {
        key: s.scenarioKey,
        repeat: s.repeat,
        dur: s.durationMs,
        error: s.error,
        audio: audio[i],
        m: d.metrics,
        g: d.segments,
        k: d.markers,
        t: d.transcripts,
      };
    }),
  };
  const title = opts.title ?? `crosstalk report: ${basename(store.path)}`;
  const body = html`
<header>
  <h1>${title}</h1>
  <nav><a href="#panel">Interaction panel</a><a href="#failures">Failures</a><a href="#metrics">Metrics</a><a href="#sessions">Sessions</a></nav>
  ${runTable(runs)}
  ${outcomeTable(sessions)}
  ${sourceTable(sessions)}
</header>
${panelSection(panelRows)}
${failureSection(sessions, details)}
${metricSection(metrics)}
${sessionSection(sessions)}`;
  return {
    html: page({ title, style: PAGE_STYLE, body, script: REPORT_SCRIPT, data }),
    charts: metrics.map((m) => ({ name: m.group.name, svg: m.svg })),
    sessions: sessions.length,
  };
}

function runTable(runs: RunInfo[]): Raw {
  if (runs.length === 0) return html`<p class="muted">No runs in this store.</p>`;
  return html`<table>
  <tr><th>run</th><th class="text">system</th><th class="text">suite</th><th class="text">clock</th><th class="text">started (UTC)</th><th class="text">version</th></tr>
  ${runs.map((r) => html`<tr><td>${r.runId}</td><td class="text">${r.adapter}${r.label ? ` (${r.label})` : ''}</td><td class="text">${r.suite}</td><td class="text">${r.clock}</td><td class="text">${r.startedAt.replace('T', ' ').slice(0, 19)}</td><td class="text">${r.harnessVersion}${r.gitSha ? ` @ ${r.gitSha.slice(0, 8)}` : ''}</td></tr>`)}
</table>`;
}

const STATUSES = ['passed', 'failed', 'errored'] as const;

function outcomeTable(sessions: SessionInfo[]): Raw {
  const families = [...new Set(sessions.map((s) => s.family))].sort();
  const count = (family: string | null, status: string) => sessions.filter((s) => (family === null || s.family === family) && s.status === status).length;
  const row = (label: string, family: string | null) =>
    html`<tr><td>${label}</td>${STATUSES.map((st) => html`<td>${count(family, st)}</td>`)}<td>${STATUSES.reduce((n, st) => n + count(family, st), 0)}</td></tr>`;
  return html`<table class="outcomes">
  <tr><th>sessions by family</th>${STATUSES.map((s) => html`<th><span class="badge ${s}">${s}</span></th>`)}<th>total</th></tr>
  ${families.map((f) => row(f, f))}${row('all', null)}
</table>`;
}

/**
 * Verdicts by speech source (sessions.speech_source, grouped by engine, with the perturbation
 * after it where there was one: `espeak + telephone:g711`, as SOURCE_SQL in data.ts): per
 * family, sessions passed of those judged (passed + failed; errored ones judge nothing). Shown
 * when the store knows any session's source or perturbation.
 */
function sourceTable(sessions: SessionInfo[]): Raw {
  if (!sessions.some((s) => s.speechSource || s.perturbation)) return html``;
  const engineOf = (s: SessionInfo) => (s.speechSource ?? 'unknown').split(':')[0] + (s.perturbation ? ` + ${s.perturbation}` : '');
  const engines = [...new Set(sessions.map(engineOf))].sort();
  const families = [...new Set(sessions.map((s) => s.family))].sort();
  const cell = (engine: string, family: string | null) => {
    const judged = sessions.filter((s) => engineOf(s) === engine && (family === null || s.family === family) && s.status !== 'errored');
    if (judged.length === 0) return html`<td class="muted">-</td>`;
    const passed = judged.filter((s) => s.status === 'passed').length;
    return html`<td data-source="${engine}" data-family="${family ?? 'all'}">${passRateText(passed, judged.length)}</td>`;
  };
  const voices = (engine: string) =>
    [...new Set(sessions.filter((s) => engineOf(s) === engine).map((s) => s.speechSource?.split(':').slice(1).join(':') || '?'))].sort().join(', ');
  return html`<table class="outcomes" id="speech-sources">
  <tr><th>passed by speech source</th><th class="text">voices</th>${families.map((f) => html`<th>${f}</th>`)}<th>all</th></tr>
  ${engines.map((e) => html`<tr><td>${e}</td><td class="text">${voices(e)}</td>${families.map((f) => cell(e, f))}${cell(e, null)}</tr>`)}
</table>`;
}

/** The interaction panel first: each figure with its count (small samples marked) and reasons, then the peer average. */
function panelSection(rows: PanelRow[]): Raw {
  const all = computePanel(rows);
  const figures = all.filter((f) => f.count > 0 || Object.keys(f.reasons).length > 0);
  const missing = all.filter((f) => !figures.includes(f)).map((f) => f.entry.label);
  const fdb = panelFdbAverage(rows);
  const row = (f: PanelFigure) => html`<tr data-panel="${f.entry.id}">
  <td class="text" title="${f.entry.definition}">${f.entry.label}</td>
  <td class="${f.entry.aggregate === 'rate' && f.small ? 'small-sample' : ''}">${countText(f.count, f.entry.aggregate === 'rate' && f.small)}</td>
  <td>${figureText(f)}</td><td>${figureCiText(f)}</td>
  <td class="text na">${Object.entries(f.reasons).map(([reason, n], i) => html`${i > 0 ? ', ' : ''}<span class="na" data-reason="${reason}">${reason} ${n}</span>`)}</td>
  <td class="text muted">${f.entry.peer}</td>
</tr>`;
  return html`<section id="panel">
<h2>Interaction panel</h2>
<p class="muted">After tau-voice's interaction panel, from crosstalk's own rows (definitions: <code>crosstalk list --metrics</code>). n: the events (turns, barge-ins, distractors, sessions) behind each figure. ${SMALL_NOTE}. Reasons: N/A rows and failed events by typed reason. No composite score: read yield against selectivity.</p>
<table class="panel"><tr><th class="text">figure</th><th>n</th><th>value</th><th>95% CI</th><th class="text">n/a · failed, by reason</th><th class="text">peer</th></tr>
${figures.map(row)}</table>
${missing.length ? html`<p class="muted">Not measured here (no such events in these sessions): ${missing.join('; ')}.</p>` : ''}
<p class="fdb-average"><b>FD-bench v1.5-style average:</b> ${fdbAverageText(fdb)}. <span class="muted">${FDB_AVERAGE_NOTE}</span></p>
</section>`;
}

/** DOM id of the session at report position i. */
const sessionAnchor = (i: number) => `s${i}`;

function failureSection(sessions: SessionInfo[], details: Map<string, SessionDetail>): Raw {
  const failed = sessions.map((s, i) => ({ s, i })).filter(({ s }) => s.status === 'failed');
  const errored = sessions.map((s, i) => ({ s, i })).filter(({ s }) => s.status === 'errored');
  const flagged = sessions.map((s, i) => ({ s, i })).filter(({ s }) => s.timingFlagged === true && s.status !== 'errored');
  const checks = (s: SessionInfo) =>
    (details.get(s.sessionId)?.metrics ?? [])
      .filter((m) => m[4] === false)
      .map(
        ([name, subject, value, unit, , expectation, , reason]) =>
          html`<span class="check">${name} [${subject}] = ${value === null ? html`<span class="na" data-reason="${reason ?? ''}">N/A (${reason})</span>` : formatValue(value, unit)}${value !== null && reason ? html` <span class="na" data-reason="${reason}">(${reason})</span>` : ''}${expectation ? ` (expected ${expectation})` : ''}</span> `,
      );
  return html`<section id="failures">
<h2>Failures (${failed.length})</h2>
${failed.length === 0 ? html`<p class="muted">No session failed an expectation.</p>` : html`<ul class="failures">${failed.map(({ s, i }) => html`<li><a class="to-session" href="#${sessionAnchor(i)}">${s.scenarioKey} r${s.repeat}</a> ${checks(s)}</li>`)}</ul>`}
<h3>Errored sessions (${errored.length}): infrastructure, not measurements</h3>
${errored.length === 0 ? html`<p class="muted">None.</p>` : html`<ul class="failures">${errored.map(({ s, i }) => html`<li><a class="to-session" href="#${sessionAnchor(i)}">${s.scenarioKey} r${s.repeat}</a> <span class="error-text">${s.error ?? 'errored'}</span></li>`)}</ul>`}
${
  flagged.length === 0
    ? ''
    : html`<h3 id="timing-flagged">Timing flagged (${flagged.length}): the harness itself was late, beyond ${HARNESS_ERROR_BOUND_MS} ms, where a latency is measured</h3>
<p class="muted">Their values are in the tables, but a latency of these sessions can be off by the figure shown through the harness, not the agent. Rerun on a quieter machine or with fewer workers.</p>
<ul class="failures">${flagged.map(({ s, i }) => html`<li><a class="to-session" href="#${sessionAnchor(i)}">${s.scenarioKey} r${s.repeat}</a> <span class="error-text">harness late by ${formatValue(s.harnessErrorMs ?? 0, 'ms')}</span></li>`)}</ul>`
}
</section>`;
}

function metricSection(metrics: MetricView[]): Raw {
  const families = [...new Set(metrics.map((m) => m.group.family))];
  const fmt = (v: number | null, unit: string) => (v === null ? '–' : formatValue(v, unit));
  // With more than one speech source in the store, each metric's centre per source (engine), with its count.
  const severalSources = new Set(metrics.flatMap((m) => m.group.bySource.map((b) => b.source))).size > 1;
  const bySource = (g: MetricGroup) =>
    g.bySource.map((b, i) => {
      const s = summarizeMetric(b.values, g.unit);
      return html`${i > 0 ? ' · ' : ''}<span data-source="${b.source}">${b.source} ${s.centre === 'rate' ? `rate ${fmt(s.value, '')}` : fmt(s.median, g.unit)} (${s.count})</span>`;
    });
  const row = ({ group: g, summary: s }: MetricView) => {
    const unit = s.centre === 'rate' ? '' : g.unit;
    return html`<tr>
  <td>${g.name}</td><td>${g.unit === 'bool' ? countText(s.count) : s.count}</td><td class="na-cell">${g.missing}${g.missing > 0 ? html`<span class="na-reasons">${Object.entries(g.naReasons).map(([reason, n], i) => html`${i > 0 ? ', ' : ''}<span class="na" data-reason="${reason}">${reason} ${n}</span>`)}</span>` : ''}</td>
  <td>${s.centre === 'rate' ? html`rate ${fmt(s.value, '')}` : fmt(s.median, g.unit)}</td>
  <td>${s.centre === 'rate' ? '–' : fmt(s.p90, g.unit)}</td>
  <td>${s.ciLow === null ? '–' : `${fmt(s.ciLow, unit)} – ${fmt(s.ciHigh, unit)}`}</td>
  <td>${g.checked === 0 ? '–' : html`<span class="${g.passed < g.checked ? 'worse' : ''}">${passRateText(g.passed, g.checked)}</span>`}</td>
  <td class="text muted">${g.direction === 'lower' ? 'lower is better' : g.direction === 'higher' ? 'higher is better' : g.direction === 'target' ? 'target' : ''}</td>${
    severalSources
      ? html`
  <td class="text by-source">${bySource(g)}</td>`
      : ''
  }
</tr>`;
  };
  return html`<section id="metrics">
<h2>Metrics</h2>
<p class="muted">Values from sessions that did not error, crosstalk rule set. 95% CI: percentile bootstrap (2,000 resamples, seeded) of the median; for 0/1 metrics the Wilson score interval of the rate (a bootstrap one shrinks to a point at 0 or n of n). n/a: rows the metric could not be computed for, counted by their typed reason (no_response: the agent gave no substantive response; agent_silent_at_onset; trigger_missed; not_played; no_video; …; unknown: stored without one). ${SMALL_NOTE}.</p>
${families.map((family) => {
  const own = metrics.filter((m) => m.group.family === family);
  return html`<h3 id="family-${family}">${family}</h3>
<table><tr><th>metric</th><th>n</th><th>n/a</th><th>median</th><th>p90</th><th>95% CI</th><th>passed</th><th class="text"></th>${severalSources ? html`<th class="text">by speech source: median or rate (n)</th>` : ''}</tr>${own.map(row)}</table>
<div class="charts">${own.map((m) => html`<figure class="chart" data-metric="${m.group.name}">${raw(m.svg)}</figure>`)}</div>`;
})}
</section>`;
}

function sessionSection(sessions: SessionInfo[]): Raw {
  return html`<section id="sessions">
<h2>Sessions (${sessions.length}): failed first</h2>
<p class="legend"><span><i style="background:#1f77b4"></i>user speech</span><span><i style="background:#ff7f0e"></i>agent speech</span><span><i style="background:#2ca02c"></i>backchannel</span><span><i style="background:#c7c7c7"></i>pause</span><span><i style="background:#e6c800"></i>visual cue</span><span><i style="background:#d62728"></i>barge-in / cursor</span><span><i style="background:#9467bd"></i>trigger</span><span><i style="background:#17becf"></i>vendor event</span><span><i style="background:#8d6e00"></i>error</span></p>
${sessions.map((s, i) => html`<details class="session" id="${sessionAnchor(i)}" data-index="${i}"><summary><span class="badge ${s.status}">${s.status}</span>${s.timingFlagged ? html` <span class="badge timing-flagged" title="the harness was late by ${formatValue(s.harnessErrorMs ?? 0, 'ms')} near a measured moment">timing flagged</span>` : ''} ${s.scenarioKey} r${s.repeat} <span class="muted">${s.family}${s.tags.length ? ` · ${s.tags.join(', ')}` : ''} · ${(s.durationMs / 1000).toFixed(1)} s</span></summary><div class="session-body"></div></details>`)}
</section>`;
}
