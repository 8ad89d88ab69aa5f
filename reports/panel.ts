/**
 * The interaction panel: the view a leaderboard user now expects first (after tau-voice's
 * interaction panel), built from rows the scorer already stores. Response rate and latency,
 * yield rate and latency, agent interruptions per turn, selectivity per distractor kind, dead
 * air. Every figure carries its event count and its N/A rows by reason; a rate backed by fewer
 * than SMALL_SAMPLE events is flagged (tau-voice hides those; crosstalk shows them, marked).
 * No composite: the trade-offs (yield against selectivity) stay visible.
 */
import { meanInterval, rateInterval, summarize } from '../harness/stats.ts';
import type { Store } from '../harness/store/store.ts';
import { formatValue } from './format.ts';
import { FDB_V15_AVERAGE_MAPPING, FDB_V15_SCENARIOS, fdbV15AverageFromRows, type FdbV15Average } from '../harness/metrics/peer/fdb-v15-average.ts';
import { UNKNOWN_REASON } from '../harness/gate/values.ts';
import type { Direction, MetricDefinition } from '../harness/scoring/types.ts';

/** Rates backed by fewer events than this are flagged as small samples (tau-voice's threshold). */
export const SMALL_SAMPLE = 10;

/** How an entry's values are summarized: a rate of 0/1 rows, a mean, a median (with p90), a maximum, a sum. */
type PanelAggregate = 'rate' | 'mean' | 'median' | 'max' | 'sum';

export interface PanelEntry {
  id: string;
  group: 'response' | 'yield' | 'interruptions' | 'selectivity' | 'dead air';
  label: string;
  aggregate: PanelAggregate;
  /** Stored rows it reads: metric names, optionally only subjects ending with `subjectSuffix`. */
  sources: readonly { metric: string; subjectSuffix?: string }[];
  unit: 'ms' | 'ratio' | 'count' | '';
  direction: Direction;
  definition: string;
  denominator: string;
  peer: string;
}

const TAU = 'tau-voice';

export const PANEL: readonly PanelEntry[] = [
  {
    id: 'response_rate',
    group: 'response',
    label: 'response rate',
    aggregate: 'rate',
    sources: [{ metric: 'interaction.responded' }],
    unit: '',
    direction: 'higher',
    definition: 'Share of user turns that asked for an answer and got a substantive one before the user spoke again, without the agent talking over them.',
    denominator: 'take_turn and answer expectations played',
    peer: `${TAU} R_R (response_rate)`,
  },
  {
    id: 'response_latency',
    group: 'response',
    label: 'response latency',
    aggregate: 'median',
    sources: [{ metric: 'interaction.response_latency_ms' }],
    unit: 'ms',
    direction: 'lower',
    definition:
      "Onset of the response minus the end of the user's speech (turn ends and barge-in ends), median and p90, over the turns counted as responded; negative when the agent started in the turn's last moments without talking over it.",
    denominator: 'responses (N/A rows: turns without one, by reason)',
    peer: `${TAU} L_R (mean seconds); Full-Duplex-Bench v1 smooth turn-taking latency`,
  },
  {
    id: 'yield_rate',
    group: 'yield',
    label: 'yield rate',
    aggregate: 'rate',
    sources: [{ metric: 'interruption.verdict', subjectSuffix: '/stop' }],
    unit: '',
    direction: 'higher',
    definition:
      "Share of real barge-ins where the agent stopped within the scenario's stop budget (the stop verdict: 1.5 s in the core suite); an agent silent at the barge-in, or one whose barge-in never came because it never spoke, counts as not yielding (agent_silent_at_onset, trigger_missed).",
    denominator: 'stop expectations, played or not',
    peer: `${TAU} R_Y (yield within its 2.0 s no-yield window; crosstalk's window is the scenario's budget)`,
  },
  {
    id: 'yield_latency',
    group: 'yield',
    label: 'yield latency',
    aggregate: 'median',
    sources: [{ metric: 'interruption.stop_latency_ms' }],
    unit: 'ms',
    direction: 'lower',
    definition:
      'Barge-in onset to the end of the agent speech playing at it, median and p90, over every barge-in the agent was talking at (yields and non-yields alike).',
    denominator: 'stop expectations where the agent was talking',
    peer: `${TAU} L_Y (mean over yields only); Full-Duplex-Bench v1.5 stop latency`,
  },
  {
    id: 'agent_interruptions',
    group: 'interruptions',
    label: 'agent interruptions per turn',
    aggregate: 'mean',
    sources: [{ metric: 'interaction.agent_interruptions' }],
    unit: 'count',
    direction: 'lower',
    definition: 'Agent speech (1 s or more) starting while the user holds the turn, mean per user turn.',
    denominator: 'user turns played',
    peer: `${TAU} I_A`,
  },
  {
    id: 'selectivity_backchannel',
    group: 'selectivity',
    label: 'selectivity: user backchannels',
    aggregate: 'rate',
    sources: [{ metric: 'user_backchannel.verdict' }],
    unit: '',
    direction: 'higher',
    definition: 'Share of user backchannels ("mm-hmm") the agent talked through: the user_backchannel verdict (no stop, no dip under the strict 200 ms ear).',
    denominator: 'keep_talking expectations',
    peer: `${TAU} S_BC (error = yield within 1.0 s); Full-Duplex-Bench v1.5 user backchannel (resume)`,
  },
  {
    id: 'selectivity_vocal_tic',
    group: 'selectivity',
    label: 'selectivity: vocal tics',
    aggregate: 'rate',
    sources: [{ metric: 'vocal_tics.verdict' }],
    unit: '',
    direction: 'higher',
    definition: 'Share of vocal tics and fillers ("um", a cough, a laugh...) the agent neither yielded to nor answered: the vocal_tics verdict.',
    denominator: 'vocal_tics expectations',
    peer: `${TAU} S_VT`,
  },
  {
    id: 'selectivity_side_talk',
    group: 'selectivity',
    label: 'selectivity: side talk',
    aggregate: 'rate',
    sources: [{ metric: 'side_talk.verdict' }],
    unit: '',
    direction: 'higher',
    definition: 'Share of remarks the user made to someone else that the agent neither answered nor stopped for: the side_talk verdict.',
    denominator: 'ignore expectations on side talk',
    peer: `${TAU} S_ND (non-directed speech); Full-Duplex-Bench v1.5 talking to others (resume)`,
  },
  {
    id: 'selectivity_background',
    group: 'selectivity',
    label: 'selectivity: background',
    aggregate: 'rate',
    sources: [{ metric: 'background.verdict' }],
    unit: '',
    direction: 'higher',
    definition: 'Share of background voices and sound beds the agent neither answered nor stopped for: the background verdict.',
    denominator: 'ignore expectations on background',
    peer: 'Full-Duplex-Bench v1.5 background speech (resume); tau-voice counts it under S_ND',
  },
  {
    id: 'dead_air_ratio',
    group: 'dead air',
    label: 'dead air, share of the session',
    aggregate: 'mean',
    sources: [{ metric: 'interaction.dead_air_ratio' }],
    unit: 'ratio',
    direction: 'lower',
    definition: 'Silence while the agent owes a response or holds the floor, over the session length; mean over sessions.',
    denominator: 'sessions',
    peer: `${TAU} dead_air_fraction (over all silence)`,
  },
  {
    id: 'dead_air_longest',
    group: 'dead air',
    label: 'longest dead air',
    aggregate: 'max',
    sources: [{ metric: 'interaction.dead_air_longest_ms' }],
    unit: 'ms',
    direction: 'lower',
    definition: 'The longest single stretch of dead air in any session.',
    denominator: 'sessions',
    peer: `${TAU} dead_air_max_gap_s`,
  },
  {
    id: 'dead_air_long_gaps',
    group: 'dead air',
    label: 'dead air gaps over 3 s',
    aggregate: 'sum',
    sources: [{ metric: 'interaction.dead_air_long_gaps' }],
    unit: 'count',
    direction: 'lower',
    definition: 'Stretches of dead air longer than 3 s, summed over sessions.',
    denominator: 'sessions',
    peer: `${TAU} dead_air_long_gap_count`,
  },
];

/** The metric names the panel reads: its entries' and the FD-bench v1.5 average's. */
export const PANEL_METRICS: readonly string[] = [
  ...new Set([...PANEL.flatMap((e) => e.sources.map((s) => s.metric)), ...FDB_V15_AVERAGE_MAPPING.map((m) => m.metric)]),
];

/** A stored row as the panel reads it. */
export interface PanelRow {
  name: string;
  subject: string;
  value: number | null;
  reason: string | null;
}

export interface PanelFigure {
  entry: PanelEntry;
  /** Rows with a value (events for a rate, sessions or turns for the others). */
  count: number;
  value: number | null;
  /** Median entries: the p90. */
  p90: number | null;
  /** 95% CI of the value: Wilson for a rate, percentile bootstrap for a mean or median; null for max and sum. */
  ciLow: number | null;
  ciHigh: number | null;
  /** N/A rows by typed reason, most first; for rates, the 0s by their reason too (why it failed). */
  reasons: Record<string, number>;
  /** Backed by fewer than SMALL_SAMPLE values: shown, flagged. */
  small: boolean;
}

const matches = (row: PanelRow, entry: PanelEntry) =>
  entry.sources.some((s) => s.metric === row.name && (s.subjectSuffix === undefined || row.subject.endsWith(s.subjectSuffix)));

function panelFigure(entry: PanelEntry, rows: readonly PanelRow[]): PanelFigure {
  const own = rows.filter((r) => matches(r, entry));
  const values = own.flatMap((r) => (r.value === null ? [] : [r.value]));
  const reasons: Record<string, number> = {};
  for (const r of own)
    if (r.value === null || (entry.aggregate === 'rate' && r.value === 0 && r.reason))
      reasons[r.reason ?? UNKNOWN_REASON] = (reasons[r.reason ?? UNKNOWN_REASON] ?? 0) + 1;
  const sortedReasons = Object.fromEntries(Object.entries(reasons).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
  const base = { entry, count: values.length, reasons: sortedReasons, small: values.length < SMALL_SAMPLE, p90: null, ciLow: null, ciHigh: null };
  switch (entry.aggregate) {
    case 'rate':
    case 'mean': {
      // A rate of 0/1 rows gets the Wilson interval (a bootstrap one is a point at 0 or n of n).
      const m = entry.aggregate === 'rate' ? rateInterval(values) : meanInterval(values);
      return { ...base, value: m.mean, ciLow: m.ciLow, ciHigh: m.ciHigh };
    }
    case 'median': {
      const s = summarize(values);
      return { ...base, value: s.median, p90: s.p90, ciLow: s.ciLow, ciHigh: s.ciHigh };
    }
    case 'max':
      return { ...base, value: values.length ? Math.max(...values) : null };
    case 'sum':
      return { ...base, value: values.length ? values.reduce((a, b) => a + b, 0) : null };
  }
}

/** Every panel figure over the rows (one system's). */
export function computePanel(rows: readonly PanelRow[]): PanelFigure[] {
  return PANEL.map((entry) => panelFigure(entry, rows));
}

/** A panel row with where it came from: the system (adapter and label) and the scenario. */
export interface SystemPanelRow extends PanelRow {
  adapter: string;
  label: string | null;
  scenarioKey: string;
}

/** The panel's rows in a store (crosstalk rule set, sessions that did not error), optionally of one run. */
export async function loadPanelRows(store: Store, runId?: string): Promise<SystemPanelRow[]> {
  const names = PANEL_METRICS.map((n) => `'${n}'`).join(', ');
  return store.query<SystemPanelRow>(
    `SELECT coalesce(r.adapter, '') AS adapter, r.label, s.scenario_key AS "scenarioKey", m.name, m.subject, m.value, m.reason
     FROM metrics m JOIN sessions s USING (session_id) LEFT JOIN runs r USING (run_id)
     WHERE m.rule_set = 'crosstalk' AND s.status <> 'errored' AND m.name IN (${names}) ${runId === undefined ? '' : 'AND s.run_id = $1'}`,
    runId === undefined ? undefined : [runId],
  );
}

/** The mark after a count backed by fewer than SMALL_SAMPLE values, and what it means. */
const SMALL_MARK = '*';
export const SMALL_NOTE = `${SMALL_MARK} fewer than ${SMALL_SAMPLE} events: shown, but too few to rank on`;

/** `12`, or `7*` for a small sample. */
export const countText = (count: number, small = count < SMALL_SAMPLE) => `${count}${small ? SMALL_MARK : ''}`;

const unitOf = (f: PanelFigure) => (f.entry.unit === 'ratio' || f.entry.unit === 'count' ? '' : f.entry.unit);

/** `0.83`, `412 ms (p90 780 ms)`, or `–` without values. */
export function figureText(f: PanelFigure): string {
  if (f.value === null) return '–';
  const main = formatValue(f.value, unitOf(f));
  return f.p90 === null ? main : `${main} (p90 ${formatValue(f.p90, unitOf(f))})`;
}

/** `0.61–0.92`, or `–` where there is no interval. */
export const figureCiText = (f: PanelFigure) =>
  f.ciLow === null || f.ciHigh === null ? '–' : `${formatValue(f.ciLow, '')}–${formatValue(f.ciHigh, unitOf(f))}`;

/** The FD-bench v1.5-style average of the rows (a peer figure beside the panel, never its headline). */
export const panelFdbAverage = (rows: readonly PanelRow[]): FdbV15Average => fdbV15AverageFromRows(rows);

export const FDB_AVERAGE_NOTE =
  "Peer-compatible figure only: 100 x the mean of four behaviour rates (answer a barge-in; talk on through a user backchannel, side talk, background), equal weights, no timing term, labelled by crosstalk's verdicts (harness/metrics/peer/fdb-v15-average.ts), not by the peer's LLM judge. Never a headline.";

/** `62.5 (interruption 7/10, backchannel 9/12, side_talk 10/10, background 8/10)`, or `– (no side_talk, background)`. */
export function fdbAverageText(avg: FdbV15Average): string {
  const parts = FDB_V15_SCENARIOS.map((s) => `${s} ${avg.counts[s].total === 0 ? '–' : `${avg.counts[s].passed}/${countText(avg.counts[s].total)}`}`);
  const head =
    avg.published === null ? `– (needs all four; none in ${FDB_V15_SCENARIOS.filter((s) => avg.counts[s].total === 0).join(', ')})` : avg.published.toFixed(1);
  return `${head}: ${parts.join(', ')}`;
}

/** The panel's figures and the peer average in `crosstalk list --metrics`' shape: `panel.<id>`, with the rows each reads. */
export function panelDefinitions(): MetricDefinition[] {
  const unitOfEntry = (e: PanelEntry): MetricDefinition['unit'] => (e.unit === '' ? 'ratio' : e.unit);
  const entries = PANEL.map((e) => ({
    name: `panel.${e.id}`,
    family: 'panel',
    unit: unitOfEntry(e),
    direction: e.direction,
    definition: `${e.definition} Reads ${e.sources.map((s) => s.metric).join(' and ')} (${e.aggregate}${e.aggregate === 'rate' ? `; flagged under ${SMALL_SAMPLE} events` : ''}).`,
    denominator: e.denominator,
    peer: e.peer,
  }));
  const fdb: MetricDefinition = {
    name: 'panel.fdb_v15_average',
    family: 'panel',
    unit: 'ratio',
    direction: 'higher',
    definition: `${FDB_AVERAGE_NOTE} On a 0-100 scale, shown with its four rates and counts; none unless all four have expectations. Reads ${FDB_V15_AVERAGE_MAPPING.map((m) => `${m.metric} ${m.subjectSuffix}`).join(', ')}.`,
    denominator: "the four families' verdicts, each family weighing a quarter",
    peer: 'The FD-bench v1.5 average headlined by Thinking Machines (TML-Interaction-Small 77.8) and OpenAI (GPT-Live-1 80.10): 100 x the mean of the four per-scenario behaviour rates of Full-Duplex-Bench v1.5.',
  };
  return [...entries, fdb];
}
