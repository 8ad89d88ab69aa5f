/**
 * The gate's configuration file (YAML). Every mistake is an InputError naming the file, the line
 * and what to write instead (exit 2).
 *
 *     thresholds:                       # absolute limits; grammar in threshold.ts
 *       - turn_taking.latency_ms p90 < 800 min_count 20      # fails on fewer than 20 values
 *       - family:pause pause.takeover rate <= 0.1
 *       - tag:smoke interruption.stop_latency_ms median < 300 allow_no_data
 *     baseline:                         # used with `crosstalk gate --baseline <store>`
 *       significance: 0.05              # the delta's CI has level 1 - significance (two-sided)
 *       tolerance:                      # how much worse a metric may get before it can fail
 *         default: 0                    # in each metric's unit, or a share of the baseline: "10%"
 *         turn_taking.latency_ms: 50
 *       metrics: [turn_taking.latency_ms, pause.takeover]   # default: every metric with a direction
 *
 * The gate fails closed. A threshold fails when fewer values back it than its `min_count`
 * (default 1), and one with no value at all in its scope fails too, unless it ends in
 * `allow_no_data` or the gate runs with `--allow-no-data` (then it is reported as "no data").
 * N/A rows (value NULL, with a typed reason) are never values; they are counted by reason in
 * every verdict.
 *
 * A baseline check fails when the candidate is worse than the baseline by more than the
 * tolerance with confidence (the whole CI of the paired delta lies beyond the tolerance), and
 * when a metric with values in the baseline has none, or none on a shared scenario and subject,
 * in the candidate (`missing`). Where the candidate's sessions of those scenarios all errored,
 * the verdict is `errored` (exit 1), not a failure.
 */
import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, type Document, type Node as YamlNode } from 'yaml';
import { parseYaml } from '../yaml.ts';
import { InputError } from '../errors.ts';
import { metricDefinition } from '../metrics/registry.ts';
import { ThresholdSyntaxError, parseThreshold, type Threshold } from './threshold.ts';

/** Absolute: in the metric's unit. Relative: a share of the baseline's mean (0.1 = 10 %). */
export type Tolerance = { kind: 'absolute'; value: number } | { kind: 'relative'; share: number };

export interface BaselineConfig {
  significance: number;
  defaultTolerance: Tolerance;
  tolerance: ReadonlyMap<string, Tolerance>;
  /** Metrics to compare; undefined: every metric with a direction found in both stores. */
  metrics?: string[];
}

export interface GateConfig {
  file: string;
  thresholds: (Threshold & { line?: number })[];
  baseline: BaselineConfig;
}

const DEFAULT_BASELINE: BaselineConfig = { significance: 0.05, defaultTolerance: { kind: 'absolute', value: 0 }, tolerance: new Map() };

export function loadGateConfig(file: string): GateConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read the gate config: ${(e as Error).message}`, { file, hint: 'Give the path of a YAML file (see `crosstalk gate --help`).' });
  }
  return parseGateConfig(text, file);
}

export function parseGateConfig(text: string, file: string): GateConfig {
  const { doc, lineAt } = parseYaml(text, file);
  const lineOf = (node: unknown) => {
    const offset = (node as YamlNode | undefined)?.range?.[0];
    return offset === undefined ? undefined : lineAt(offset);
  };
  const fail = (node: unknown, field: string, message: string, hint: string): never => {
    // An empty document has no node at all: its problem is on line 1.
    throw new InputError(message, { file, line: lineOf(node) ?? 1, field, hint });
  };

  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null))
    fail(root, 'thresholds', 'the gate config is empty', 'Add a `thresholds:` list or a `baseline:` section.');
  if (!isMap(root)) return fail(root, '', 'the gate config must be a YAML mapping', 'Start with `thresholds:` and/or `baseline:`.');
  for (const pair of root.items) {
    const key = String((pair.key as { value?: unknown }).value);
    if (key !== 'thresholds' && key !== 'baseline')
      fail(pair.key, key, `unknown key ${JSON.stringify(key)}`, 'The gate config has two keys: thresholds and baseline.');
  }

  const thresholds: GateConfig['thresholds'] = [];
  const list = root.get('thresholds', true);
  if (list !== undefined && !(isScalar(list) && list.value === null)) {
    if (!isSeq(list)) return fail(list, 'thresholds', '`thresholds` must be a list', 'Write one threshold per line: `  - turn_taking.latency_ms p90 < 800`.');
    list.items.forEach((item, i) => {
      if (!isScalar(item) || typeof item.value !== 'string')
        return fail(item, `thresholds[${i}]`, 'a threshold must be one line of text', 'e.g. `- turn_taking.latency_ms p90 < 800`.');
      try {
        thresholds.push({ ...parseThreshold(item.value), line: lineOf(item) });
      } catch (e) {
        if (e instanceof ThresholdSyntaxError) fail(item, `thresholds[${i}]`, e.message, e.hint);
        throw e;
      }
    });
  }
  return { file, thresholds, baseline: parseBaseline(doc, fail) };
}

type Fail = (node: unknown, field: string, message: string, hint: string) => never;

function parseBaseline(doc: Document, fail: Fail): BaselineConfig {
  const section = doc.getIn(['baseline'], true);
  if (section === undefined) return DEFAULT_BASELINE;
  if (!isMap(section)) return fail(section, 'baseline', '`baseline` must be a mapping', 'Give significance, tolerance and (optionally) metrics.');
  let significance = DEFAULT_BASELINE.significance;
  let defaultTolerance = DEFAULT_BASELINE.defaultTolerance;
  const tolerance = new Map<string, Tolerance>();
  let metrics: string[] | undefined;
  for (const pair of section.items) {
    const key = String((pair.key as { value?: unknown }).value);
    const value = pair.value;
    if (key === 'significance') {
      const n = isScalar(value) ? value.value : undefined;
      if (typeof n !== 'number' || !(n > 0 && n < 0.5))
        fail(
          value ?? pair.key,
          'baseline.significance',
          `significance must be a number in (0, 0.5), got ${JSON.stringify(n ?? null)}`,
          'e.g. 0.05 for a 95 % interval.',
        );
      significance = n as number;
    } else if (key === 'tolerance') {
      if (!isMap(value))
        return fail(
          value ?? pair.key,
          'baseline.tolerance',
          '`tolerance` must be a mapping of metric name to tolerance',
          'e.g. `default: 0` and `turn_taking.latency_ms: 50`.',
        );
      for (const t of value.items) {
        const name = String((t.key as { value?: unknown }).value);
        const field = `baseline.tolerance.${name}`;
        if (name !== 'default' && !metricDefinition(name))
          fail(t.key, field, `unknown metric ${JSON.stringify(name)}`, 'See `crosstalk list --metrics`, or use `default`.');
        const parsed = parseTolerance(isScalar(t.value) ? t.value.value : undefined);
        if (!parsed)
          fail(
            t.value ?? t.key,
            field,
            'a tolerance is a non-negative number (metric unit) or a percentage such as "10%"',
            'e.g. `turn_taking.latency_ms: 50` or `default: "5%"`.',
          );
        if (name === 'default') defaultTolerance = parsed!;
        else tolerance.set(name, parsed!);
      }
    } else if (key === 'metrics') {
      if (!isSeq(value))
        return fail(value ?? pair.key, 'baseline.metrics', '`metrics` must be a list of metric names', 'e.g. `metrics: [turn_taking.latency_ms]`.');
      metrics = value.items.map((item, i) => {
        const name = isScalar(item) ? String(item.value) : '';
        const def = metricDefinition(name);
        if (!def) fail(item, `baseline.metrics[${i}]`, `unknown metric ${JSON.stringify(name)}`, 'See `crosstalk list --metrics`.');
        if (def!.direction === 'target')
          fail(
            item,
            `baseline.metrics[${i}]`,
            `${name} has no better direction (its direction is 'target'), so it cannot regress`,
            'Leave it out of the baseline metrics.',
          );
        return name;
      });
    } else {
      fail(pair.key, `baseline.${key}`, `unknown key ${JSON.stringify(key)} in baseline`, 'baseline has significance, tolerance and metrics.');
    }
  }
  return { significance, defaultTolerance, tolerance, metrics };
}

function parseTolerance(raw: unknown): Tolerance | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) && raw >= 0 ? { kind: 'absolute', value: raw } : undefined;
  if (typeof raw === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(raw);
    if (m) return { kind: 'relative', share: Number(m[1]) / 100 };
  }
  return undefined;
}

export function toleranceFor(config: BaselineConfig, metric: string): Tolerance {
  return config.tolerance.get(metric) ?? config.defaultTolerance;
}
