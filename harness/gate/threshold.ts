/**
 * The gate's threshold grammar (one threshold per line of the config's `thresholds:` list),
 * after k6's thresholds:
 *
 *     [family:<family> | tag:<tag>] <metric> <stat> <op> <value> [min_count <n>] [allow_no_data] [confident]
 *
 *   metric  a stable metric name (`crosstalk list --metrics`), e.g. turn_taking.latency_ms
 *   stat    median | p90 | p95 | mean   of the metric's values
 *           rate                        share of values equal to 1 (0/1 metrics only)
 *           count                       number of values
 *   op      < | <= | > | >=
 *   value   a number in the metric's unit (ms for *_ms), e.g. 800 or 0.05
 *   scope   family:<f> keeps sessions of scenarios in family f; tag:<t> those tagged t;
 *           none: every session. Errored sessions never count (infrastructure, not behaviour).
 *   min_count <n>   the threshold fails unless at least n values back the stat (default 1):
 *           a p90 over 3 values says little, and an agent that answers too rarely to be
 *           measured must not pass for it. N/A rows (value NULL) are not values.
 *   allow_no_data   a threshold with no value at all in its scope is reported as "no data"
 *           and passes; without it (the default) it FAILS, as it does for every threshold
 *           under `crosstalk gate --allow-no-data`.
 *   confident       the limit must hold at the far end of the stat's 95% CI, not only at the
 *           stat: for < and <= its upper end, for > and >= its lower end (the median and
 *           p90/p95 by percentile bootstrap, a mean too, a rate by Wilson's interval). A rate of
 *           0 over 3 values (CI 0 to 0.56) does not show `rate <= 0.1`; over 40 values (CI 0 to
 *           0.088) it does. Not for count, which has no interval.
 *
 * The stat `count` is the number of values itself: 0 is a value, never "no data".
 *
 * Examples:  turn_taking.latency_ms p90 < 800 min_count 20
 *            family:pause pause.takeover rate <= 0.1
 *            tag:smoke interruption.stop_latency_ms median < 300 allow_no_data
 *            family:pause pause.takeover rate <= 0.1 confident
 */
import { meanInterval, quantile, quantileInterval, rateInterval } from '../stats.ts';
import { metricDefinition } from '../metrics/registry.ts';

const STATS = ['median', 'p90', 'p95', 'mean', 'rate', 'count'] as const;
type Stat = (typeof STATS)[number];
const OPS = ['<', '<=', '>', '>='] as const;
type Op = (typeof OPS)[number];

export interface Scope {
  family?: string;
  tag?: string;
}

export interface Threshold {
  /** The text as written, for messages and reports. */
  text: string;
  scope: Scope;
  metric: string;
  stat: Stat;
  op: Op;
  value: number;
  /** Fewest values the stat may be computed over; absent: 1. */
  minCount?: number;
  /** No value in scope passes as "no data" instead of failing. */
  allowNoData?: boolean;
  /** The limit must hold at the far end of the stat's 95% CI (see the file comment). */
  confident?: boolean;
}

/** A threshold that does not parse: `message` says what is wrong and `hint` what to write. */
export class ThresholdSyntaxError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

const FORM =
  'Write `[family:<f>|tag:<t>] <metric> <stat> <op> <value> [min_count <n>] [allow_no_data] [confident]`, e.g. `turn_taking.latency_ms p90 < 800 min_count 20`.';
const OPTIONS_HINT =
  'After the value come only `min_count <n>` (a whole number >= 1), `allow_no_data` and `confident`, e.g. `turn_taking.latency_ms p90 < 800 min_count 20 confident`.';

export function parseThreshold(text: string): Threshold {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const scope: Scope = {};
  if (words[0]?.includes(':')) {
    const [key, name] = splitOnce(words.shift()!, ':');
    if ((key !== 'family' && key !== 'tag') || !name)
      throw new ThresholdSyntaxError(`bad scope ${JSON.stringify(`${key}:${name}`)}`, 'A scope is family:<family> or tag:<tag>.');
    scope[key] = name;
  }
  if (words.length < 4) throw new ThresholdSyntaxError(`expected metric, stat, operator and value, got ${JSON.stringify(text.trim())}`, FORM);
  const [metric, stat, op, rawValue, ...rest] = words;
  const definition = metricDefinition(metric);
  if (!definition) throw new ThresholdSyntaxError(`unknown metric ${JSON.stringify(metric)}`, 'See `crosstalk list --metrics` for the stable metric names.');
  if (!(STATS as readonly string[]).includes(stat)) throw new ThresholdSyntaxError(`unknown stat ${JSON.stringify(stat)}`, `Use one of ${STATS.join(', ')}.`);
  if (!(OPS as readonly string[]).includes(op)) throw new ThresholdSyntaxError(`unknown operator ${JSON.stringify(op)}`, `Use one of ${OPS.join(' ')}.`);
  if (stat === 'rate' && definition.unit !== 'bool')
    throw new ThresholdSyntaxError(`rate needs a 0/1 metric; ${metric} is in ${definition.unit}`, 'Use median, p90, p95, mean or count.');
  const value = Number(rawValue);
  if (rawValue.trim() === '' || !Number.isFinite(value))
    throw new ThresholdSyntaxError(`value ${JSON.stringify(rawValue)} is not a number`, `Give a plain number in the metric's unit (${definition.unit}).`);
  const options: Pick<Threshold, 'minCount' | 'allowNoData' | 'confident'> = {};
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i];
    if (word === 'min_count') {
      const raw = rest[++i];
      const n = Number(raw);
      if (raw === undefined || !Number.isInteger(n) || n < 1)
        throw new ThresholdSyntaxError(`min_count needs a whole number >= 1, got ${raw === undefined ? 'nothing' : JSON.stringify(raw)}`, OPTIONS_HINT);
      if (options.minCount !== undefined) throw new ThresholdSyntaxError('min_count is given twice', OPTIONS_HINT);
      options.minCount = n;
    } else if (word === 'allow_no_data') {
      options.allowNoData = true;
    } else if (word === 'confident') {
      if (stat === 'count')
        throw new ThresholdSyntaxError('confident needs a stat with an interval; count has none', 'Use confident with median, p90, p95, mean or rate.');
      options.confident = true;
    } else {
      throw new ThresholdSyntaxError(`unknown option ${JSON.stringify(word)} after the value`, OPTIONS_HINT);
    }
  }
  return { text: text.trim().replace(/\s+/g, ' '), scope, metric, stat: stat as Stat, op: op as Op, value, ...options };
}

export function scopeText(scope: Scope): string {
  return scope.family !== undefined ? `family:${scope.family}` : scope.tag !== undefined ? `tag:${scope.tag}` : '';
}

/** The stat of `values` (non-null metric values); null for no values (except count: 0). */
export function statOf(stat: Stat, values: readonly number[]): number | null {
  if (stat === 'count') return values.length;
  if (values.length === 0) return null;
  switch (stat) {
    case 'median':
      return quantile(values, 0.5);
    case 'p90':
      return quantile(values, 0.9);
    case 'p95':
      return quantile(values, 0.95);
    case 'mean':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'rate':
      return values.filter((v) => v === 1).length / values.length;
  }
}

/** The 95% CI of a stat (not count) over `values` (at least one). */
export function statInterval(stat: Exclude<Stat, 'count'>, values: readonly number[]): { low: number; high: number } {
  const ci =
    stat === 'rate'
      ? rateInterval(values.map((v) => (v === 1 ? 1 : 0)))
      : stat === 'mean'
        ? meanInterval(values)
        : quantileInterval(values, stat === 'median' ? 0.5 : stat === 'p90' ? 0.9 : 0.95);
  return { low: ci.ciLow!, high: ci.ciHigh! };
}

/** The end of an interval a `confident` threshold is judged at: the one nearer to breaking `op`. */
export const farEnd = (op: Op, ci: { low: number; high: number }) => (op === '<' || op === '<=' ? ci.high : ci.low);

export function holds(observed: number, op: Op, value: number): boolean {
  switch (op) {
    case '<':
      return observed < value;
    case '<=':
      return observed <= value;
    case '>':
      return observed > value;
    case '>=':
      return observed >= value;
  }
}

function splitOnce(text: string, sep: string): [string, string] {
  const i = text.indexOf(sep);
  return [text.slice(0, i), text.slice(i + 1)];
}
