/**
 * The reference agent against the issue's targets on the core suites and, side by side, on the
 * frozen held-out set (referenceSideBySideBench: the figures the README quotes are the held-out
 * ones), ours on the visual_interjection, time_awareness and background_task suites, plus its
 * CPU cost and how many real-time sessions one process holds. Everything is measured in this run:
 *
 * - targets: each suite in virtual time (deterministic), metrics from the engine's scorer; each
 *   figure with its 95% CI (a rate's by Wilson, a latency quantile's by bootstrap) and, beside
 *   "met" or "NOT met", where the CI spans the goal: at that count the sessions cannot tell;
 * - CPU: process CPU time per second of user audio over that run (one session at a time);
 * - capacity: N concurrent real-time sessions of one scenario, in-process agent, for growing N;
 *   the largest N whose frame pacing error p99 stays within 2 ms (after a warm-up session, so
 *   rendering the voice bank and loading the model are not counted). Pacing is the engine's
 *   and shares the machine: run it on an otherwise idle machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReferenceAdapter } from '../adapters/reference/adapter.ts';
import type { MediaSource } from '../harness/media.ts';
import { readRecording } from '../harness/recording/reader.ts';
import { runSession } from '../harness/runner/session.ts';
import { loadSuite } from '../harness/scenario/load.ts';
import { score } from '../harness/scoring/score.ts';
import type { MetricValue } from '../harness/scoring/types.ts';
import { quantile } from '../harness/stats.ts';
import { statInterval, statOf } from '../harness/gate/threshold.ts';
import { synthesize } from '../datasets/tts/espeak.ts';
import { rawMfcc } from '../reference-impl/perception/keywords/mfcc.ts';
import { bundledOnsetClassifier } from '../reference-impl/perception/keywords/onset-model.ts';
import { addSpeech, CepstralStats } from '../reference-impl/perception/keywords/speaker-norm.ts';
import { ONSET_PREROLL_MS } from '../reference-impl/perception/onset-listener.ts';
import { BARGE_IN_POLICIES, BARGE_INS, DEFAULT_BARGE_IN, referencePolicy, type PolicyConfig } from '../reference-impl/policy.ts';
import { recognizerMissing } from '../reference-impl/perception/lexical/recognizer.ts';
import { DEFAULT_END_OF_TURN } from '../reference-impl/perception/turn-end.ts';
import { childPids, CpuShareMeter } from './cpu-share.ts';
import type { Row } from './engine.ts';

const PACING_BUDGET_MS = 2;

interface Target {
  /** The suite (folder under scenarios/) it is measured on. */
  suite: string;
  what: string;
  metric: string;
  /** Summary of the metric's non-null values. */
  stat: 'p50' | 'p90' | 'mean';
  /** Which way the target bounds it ('-': reported, not bounded). */
  bound: '<=' | '>=' | '-';
  target: number;
  /** The stop rate counts only stops within this many ms (interruption.stopped already does). */
  unit: string;
}

/**
 * The issue's targets on core, in the engine's metrics; on the visual and timing suites, ours (the
 * scenarios' own within_ms already passes or fails each action).
 */
const REFERENCE_TARGETS: Target[] = [
  { suite: 'core', what: 'turn-taking latency p50', metric: 'turn_taking.latency_ms', stat: 'p50', bound: '<=', target: 300, unit: 'ms' },
  { suite: 'core', what: 'turn-taking latency p90', metric: 'turn_taking.latency_ms', stat: 'p90', bound: '<=', target: 500, unit: 'ms' },
  { suite: 'core', what: 'pause takeover rate', metric: 'pause.takeover', stat: 'mean', bound: '<=', target: 0.05, unit: '' },
  { suite: 'core', what: 'interruption stop latency p50', metric: 'interruption.stop_latency_ms', stat: 'p50', bound: '<=', target: 200, unit: 'ms' },
  { suite: 'core', what: 'stop rate within 1.5 s', metric: 'interruption.stopped', stat: 'mean', bound: '>=', target: 0.95, unit: '' },
  { suite: 'core', what: 'false stops on user backchannels', metric: 'user_backchannel.false_stop', stat: 'mean', bound: '<=', target: 0.1, unit: '' },
  {
    suite: 'core',
    what: 'false stops on user backchannels, strict ear (200 ms gap)',
    metric: 'user_backchannel.false_stop_strict',
    stat: 'mean',
    bound: '<=',
    target: 0.1,
    unit: '',
  },
  { suite: 'core', what: 'longest drop-out after a user backchannel, p90', metric: 'user_backchannel.dip_ms', stat: 'p90', bound: '-', target: 0, unit: 'ms' },
  { suite: 'core', what: 'backchannel rate (human range 5-20/min)', metric: 'backchannel.rate_per_min', stat: 'p50', bound: '>=', target: 5, unit: '/min' },
  { suite: 'core', what: 'backchannel rate (human range 5-20/min)', metric: 'backchannel.rate_per_min', stat: 'p50', bound: '<=', target: 20, unit: '/min' },
  { suite: 'side_talk', what: 'side-talk false response', metric: 'side_talk.false_response', stat: 'mean', bound: '<=', target: 0.1, unit: '' },
  { suite: 'background', what: 'background-speech false takeover', metric: 'background.false_takeover', stat: 'mean', bound: '<=', target: 0.1, unit: '' },
  // The suite allows 3 s (within_ms); a reaction is expected well inside it.
  {
    suite: 'visual_interjection',
    what: 'visual react rate (within the 3 s allowed)',
    metric: 'visual_interjection.reacted',
    stat: 'mean',
    bound: '>=',
    target: 0.9,
    unit: '',
  },
  {
    suite: 'visual_interjection',
    what: 'visual reaction latency p50',
    metric: 'visual_interjection.reaction_latency_ms',
    stat: 'p50',
    bound: '<=',
    target: 1500,
    unit: 'ms',
  },
  {
    suite: 'visual_interjection',
    what: 'visual reaction latency p90',
    metric: 'visual_interjection.reaction_latency_ms',
    stat: 'p90',
    bound: '<=',
    target: 3000,
    unit: 'ms',
  },
  {
    suite: 'visual_interjection',
    what: 'false interjections per cue (3 s before it)',
    metric: 'visual_interjection.false_interjections',
    stat: 'mean',
    bound: '<=',
    target: 0.1,
    unit: '',
  },
  {
    suite: 'time_awareness',
    what: 'announced within within_ms (10 %, >= 1 s)',
    metric: 'time_awareness.announced',
    stat: 'mean',
    bound: '>=',
    target: 0.9,
    unit: '',
  },
  {
    suite: 'time_awareness',
    what: 'announcement onset error p50 (negative: early)',
    metric: 'time_awareness.onset_error_ms',
    stat: 'p50',
    bound: '-',
    target: 0,
    unit: 'ms',
  },
  { suite: 'time_awareness', what: 'announcement abs error p50', metric: 'time_awareness.abs_error_ms', stat: 'p50', bound: '<=', target: 1000, unit: 'ms' },
  { suite: 'time_awareness', what: 'announcement abs error p90', metric: 'time_awareness.abs_error_ms', stat: 'p90', bound: '-', target: 0, unit: 'ms' },
  {
    suite: 'background_task',
    what: 'result delivered within 5 s of due',
    metric: 'background_task.delivered',
    stat: 'mean',
    bound: '>=',
    target: 0.9,
    unit: '',
  },
  { suite: 'background_task', what: 'delivery latency p50', metric: 'background_task.delivery_latency_ms', stat: 'p50', bound: '-', target: 0, unit: 'ms' },
  { suite: 'background_task', what: 'delivered over the user', metric: 'background_task.over_user_speech', stat: 'mean', bound: '<=', target: 0.1, unit: '' },
];

/**
 * A target's stat of the metric's values (at least one) and its 95% CI, as a gate threshold
 * computes them (harness/gate/threshold.ts): a 0/1 metric's mean is its rate (Wilson CI), a
 * quantile gets a bootstrap CI.
 */
function measure(metrics: readonly MetricValue[], stat: Target['stat']): { value: number; low: number; high: number } {
  const values = metrics.map((m) => m.value as number);
  const named = stat === 'p50' ? 'median' : stat === 'p90' ? 'p90' : metrics.every((m) => m.unit === 'bool') ? 'rate' : 'mean';
  return { value: statOf(named, values)!, ...statInterval(named, values) };
}

/** A figure in a target's unit: rates to 3 decimals, ms whole. */
const numberIn = (unit: string, x: number) => x.toFixed(unit === '' ? 3 : unit === 'ms' ? 0 : 2);
const formatIn = (unit: string, x: number) => `${numberIn(unit, x)}${unit === '' ? '' : ` ${unit}`}`;
/** A measured stat with its CI, the unit said once: `386 ms [223–422 ms]`. */
const formatMeasured = (unit: string, m: { value: number; low: number; high: number }) =>
  `${formatIn(unit, m.value)} [${numberIn(unit, m.low)}–${formatIn(unit, m.high)}]`;

/**
 * A measured stat against its target: "met" or "NOT met" by the stat itself, and where the 95%
 * CI reaches across the goal, that this many sessions cannot tell (a held-out rate of 1 in 5 is
 * 0.20, CI 0.04 to 0.62: NOT met, and not shown to miss either).
 */
function verdict(t: Pick<Target, 'bound' | 'target'>, m: { value: number; low: number; high: number }): string {
  const met = t.bound === '<=' ? m.value <= t.target : m.value >= t.target;
  const spans = m.low <= t.target && t.target <= m.high;
  return `${met ? 'met' : 'NOT met'}${spans ? '; the CI spans the goal' : ''}`;
}

/**
 * Each suite in virtual time: one row per target measured on it, and the CPU it took.
 */
export async function referenceTargetsBench(
  media: MediaSource,
  scenariosRoot: string,
  suites: readonly string[] = ['core'],
  policy?: PolicyConfig,
): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'crosstalk-bench-ref-'));
  const rows: Row[] = [];
  try {
    const adapter = createReferenceAdapter({ mode: 'in-process', policy });
    for (const name of suites) {
      const suite = loadSuite(name, scenariosRoot);
      const metrics: MetricValue[] = [];
      let audioMs = 0;
      let cpuUs = 0;
      for (const s of suite) {
        const d = join(dir, s.scenario.id);
        const c0 = process.cpuUsage();
        const o = await runSession({ loaded: s, sessionId: s.key, dir: d, adapter, media, clock: 'virtual', harnessVersion: 'bench' });
        const c = process.cpuUsage(c0);
        cpuUs += c.user + c.system;
        audioMs += o.durationMs;
        metrics.push(...score(readRecording(d)).metrics);
      }
      for (const t of REFERENCE_TARGETS.filter((x) => x.suite === name)) {
        const own = metrics.filter((m) => m.name === t.metric && m.value !== null);
        const m = own.length ? measure(own, t.stat) : undefined;
        const fmt = (x: number) => formatIn(t.unit, x);
        rows.push({
          suite: name,
          target: t.what,
          metric: `${t.metric} (${t.stat})`,
          goal: t.bound === '-' ? '-' : `${t.bound} ${fmt(t.target)}`,
          measured: m ? formatMeasured(t.unit, m) : 'no data',
          n: own.length,
          met: t.bound === '-' ? '-' : m ? verdict(t, m) : 'NO (no data)',
        });
      }
      // Engine and scorer time are included: an upper bound on the agent's own cost.
      rows.push({
        suite: name,
        target: 'CPU per second of user audio, one session',
        metric: 'process CPU (runner + agent)',
        goal: '-',
        measured: `${(cpuUs / 1000 / (audioMs / 1000)).toFixed(1)} ms`,
        n: suite.length,
        met: '-',
      });
    }
    await adapter.dispose?.();
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A column of the side-by-side table: suites played, and the families each row reads. */
interface Column {
  name: string;
  suites: readonly string[];
  /** The agent's turn policy for this column (default DEFAULT_POLICY). */
  policy?: PolicyConfig;
}

const CORE_FAMILIES = ['turn_taking', 'pause', 'backchannel', 'interruption', 'user_backchannel'];

/** A target row of the side-by-side table, read from the sessions of `families` in each column. */
interface SideTarget {
  what: string;
  metric: string;
  stat: Target['stat'];
  bound: Target['bound'];
  target: number;
  unit: string;
  families: readonly string[];
}

/**
 * The issue's targets (issue 23: on the held-out set), then the other core figures, reported.
 * False stops count under the strict ear (a drop-out of 200 ms or more is a stop).
 */
const SIDE_BY_SIDE_TARGETS: readonly SideTarget[] = [
  { what: 'turn-taking latency p50', metric: 'turn_taking.latency_ms', stat: 'p50', bound: '<=', target: 300, unit: 'ms', families: CORE_FAMILIES },
  { what: 'turn-taking latency p90', metric: 'turn_taking.latency_ms', stat: 'p90', bound: '<=', target: 600, unit: 'ms', families: CORE_FAMILIES },
  { what: 'pause takeover rate', metric: 'pause.takeover', stat: 'mean', bound: '<=', target: 0.05, unit: '', families: CORE_FAMILIES },
  { what: 'interruption stop latency p50', metric: 'interruption.stop_latency_ms', stat: 'p50', bound: '<=', target: 200, unit: 'ms', families: CORE_FAMILIES },
  {
    what: 'false stops on user backchannels, strict (200 ms drop-out)',
    metric: 'user_backchannel.false_stop_strict',
    stat: 'mean',
    bound: '<=',
    target: 0.1,
    unit: '',
    families: CORE_FAMILIES,
  },
  { what: 'side-talk false response', metric: 'side_talk.false_response', stat: 'mean', bound: '<=', target: 0.1, unit: '', families: ['side_talk'] },
  { what: 'background false takeover', metric: 'background.false_takeover', stat: 'mean', bound: '<=', target: 0.1, unit: '', families: ['background'] },
  { what: 'stop rate within 1.5 s', metric: 'interruption.stopped', stat: 'mean', bound: '-', target: 0, unit: '', families: CORE_FAMILIES },
  {
    what: 'false stops on user backchannels (lenient)',
    metric: 'user_backchannel.false_stop',
    stat: 'mean',
    bound: '-',
    target: 0,
    unit: '',
    families: CORE_FAMILIES,
  },
  {
    what: 'backchannel rate (human range 5-20/min)',
    metric: 'backchannel.rate_per_min',
    stat: 'p50',
    bound: '-',
    target: 0,
    unit: '/min',
    families: CORE_FAMILIES,
  },
];

const CORE_SUITES = ['core', 'side_talk', 'background'];
/**
 * The suites the agent was developed on and the frozen held-out set, for the default agent and
 * then for the agent with the end-of-turn model trained apart from every suite's engine.
 */
const SIDE_BY_SIDE_COLUMNS: readonly Column[] = [
  { name: 'core suites (core, side_talk, background)', suites: CORE_SUITES },
  { name: 'held-out (scenarios/held_out)', suites: ['held_out'] },
  { name: 'core suites, --end-of-turn festival', suites: CORE_SUITES, policy: referencePolicy(DEFAULT_BARGE_IN, 'festival') },
  { name: 'held-out, --end-of-turn festival', suites: ['held_out'], policy: referencePolicy(DEFAULT_BARGE_IN, 'festival') },
];

/** With the lexical ear, where its Debian packages are installed (`node scripts/setup.mjs --recognizer`). */
const LEXICAL_COLUMNS: readonly Column[] = [
  { name: 'core suites, --lexical pocketsphinx', suites: CORE_SUITES, policy: referencePolicy(DEFAULT_BARGE_IN, DEFAULT_END_OF_TURN, 'pocketsphinx') },
  { name: 'held-out, --lexical pocketsphinx', suites: ['held_out'], policy: referencePolicy(DEFAULT_BARGE_IN, DEFAULT_END_OF_TURN, 'pocketsphinx') },
];

/** The columns `npm run bench -- reference` prints: the lexical ear's only where it can run (it says so when not). */
export function sideBySideColumns(): readonly Column[] {
  const missing = recognizerMissing();
  if (missing) console.warn(`bench reference: the --lexical pocketsphinx columns are left out: ${missing}`);
  return missing ? SIDE_BY_SIDE_COLUMNS : [...SIDE_BY_SIDE_COLUMNS, ...LEXICAL_COLUMNS];
}

/**
 * `npm run bench -- reference`: the reference agent on the core suites and on the frozen held-out
 * set, the same target rows side by side, in virtual time (deterministic). Only this aggregate
 * is read from the held-out set: never its per-scenario results (datasets/recipes/held-out-suite.ts).
 */
export async function referenceSideBySideBench(media: MediaSource, scenariosRoot: string, columns: readonly Column[] = sideBySideColumns()): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'crosstalk-bench-ref-'));
  try {
    const measured: { family: string; metrics: MetricValue[] }[][] = [];
    const cpu: string[] = [];
    for (const [c, column] of columns.entries()) {
      const adapter = createReferenceAdapter({ mode: 'in-process', policy: column.policy });
      const sessions: { family: string; metrics: MetricValue[] }[] = [];
      let audioMs = 0;
      let cpuMs = 0;
      for (const name of column.suites) {
        for (const s of loadSuite(name, scenariosRoot)) {
          const d = join(dir, String(c), name, s.scenario.id);
          // This process and its children: the lexical ear's recognizer is one.
          const meter = new CpuShareMeter(childPids(process.pid));
          const o = await runSession({ loaded: s, sessionId: s.key, dir: d, adapter, media, clock: 'virtual', harnessVersion: 'bench' });
          const used = meter.next(childPids(process.pid));
          cpuMs += used.selfMs + used.childrenMs;
          audioMs += o.durationMs;
          sessions.push({ family: s.scenario.family, metrics: score(readRecording(d)).metrics });
        }
      }
      await adapter.dispose?.();
      measured.push(sessions);
      cpu.push(`${(cpuMs / (audioMs / 1000)).toFixed(1)} ms (${sessions.length} sessions)`);
    }
    const rows: Row[] = [];
    for (const t of SIDE_BY_SIDE_TARGETS) {
      const fmt = (x: number) => formatIn(t.unit, x);
      const row: Row = { target: t.what, goal: t.bound === '-' ? '-' : `${t.bound} ${fmt(t.target)}` };
      for (const [c, column] of columns.entries()) {
        const own = measured[c].filter((x) => t.families.includes(x.family)).flatMap((x) => x.metrics.filter((m) => m.name === t.metric && m.value !== null));
        const m = own.length ? measure(own, t.stat) : undefined;
        const met = t.bound === '-' ? '' : m ? `, ${verdict(t, m)}` : ', NO (no data)';
        row[column.name] = m ? `${formatMeasured(t.unit, m)} (n ${own.length}${met})` : `no data (n 0${met})`;
      }
      rows.push(row);
    }
    const cpuRow: Row = { target: 'CPU per second of user audio, one session (runner + agent, its child processes included)', goal: '-' };
    for (const [c, column] of columns.entries()) cpuRow[column.name] = cpu[c];
    rows.push(cpuRow);
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Concurrent real-time sessions (in-process agent, one process) against pacing error p99. */
export async function referenceCapacityBench(media: MediaSource, scenariosRoot: string, counts = [1, 4, 8, 16, 32, 64]): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'crosstalk-bench-ref-'));
  const rows: Row[] = [];
  try {
    const loaded = loadSuite('core', scenariosRoot).find((s) => s.scenario.id === 'turn-taking-01');
    if (!loaded) throw new Error('bench: scenarios/core/turn-taking-01.yaml is missing');
    // Warm-up: the voice bank is rendered and the model loaded once per process, not per count.
    await runSession({
      loaded,
      sessionId: 'warm',
      dir: join(dir, 'warm'),
      adapter: createReferenceAdapter({ mode: 'in-process' }),
      media,
      clock: 'virtual',
      harnessVersion: 'bench',
    });
    let held = 0;
    for (const n of counts) {
      const adapter = createReferenceAdapter({ mode: 'in-process' });
      const c0 = process.cpuUsage();
      const outcomes = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          runSession({ loaded, sessionId: `r${i}`, dir: join(dir, `${n}-${i}`), adapter, media, clock: 'real', harnessVersion: 'bench' }),
        ),
      );
      const c = process.cpuUsage(c0);
      await adapter.dispose?.();
      const lateness: number[] = [];
      let audioMs = 0;
      for (const o of outcomes) {
        audioMs += o.durationMs;
        for (const e of readRecording(o.dir).events) if (e.type === 'frame.sent') lateness.push(e.t - e.deadlineMs);
      }
      const p99 = quantile(lateness, 0.99);
      if (p99 <= PACING_BUDGET_MS) held = n;
      rows.push({
        sessions: n,
        'pacing p50 ms': quantile(lateness, 0.5).toFixed(3),
        'pacing p99 ms': p99.toFixed(3),
        'CPU ms per s of audio per session': ((c.user + c.system) / 1000 / (audioMs / 1000)).toFixed(2),
        [`within ${PACING_BUDGET_MS} ms`]: p99 <= PACING_BUDGET_MS ? 'yes' : 'no',
      });
      if (p99 > PACING_BUDGET_MS) break;
    }
    rows.push({
      sessions: `max real-time sessions in one process: ${held}`,
      'pacing p50 ms': '',
      'pacing p99 ms': '',
      'CPU ms per s of audio per session': '',
      [`within ${PACING_BUDGET_MS} ms`]: '',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/**
 * Each barge-in choice (`--barge-in`) on scenarios/core: the three interruption figures, for
 * the trade-off that BARGE_IN_HELP states, and the CPU each costs (measured in one run, so the
 * choices compare on the same machine state).
 */
export async function bargeInBench(media: MediaSource, scenariosRoot: string): Promise<Row[]> {
  const rows: Row[] = [];
  for (const name of BARGE_INS) {
    const measured = await referenceTargetsBench(media, scenariosRoot, ['core'], BARGE_IN_POLICIES[name]);
    for (const r of measured.filter((x) => /stop|CPU/.test(String(x.target)))) rows.push({ 'barge-in': name, ...r });
  }
  return rows;
}

/**
 * The onset judgement (a held burst matched against every onset template): it runs on the
 * event loop once per burst over an answer, so its time is a stall every session of the
 * process shares. Judged on 280 ms stretches of synthesized speech (voice outside the templates).
 */
export async function onsetJudgeBench(): Promise<Row[]> {
  const classifier = await bundledOnsetClassifier();
  const voice = { name: 'en-us+m6', rate_wpm: 175, pitch: 45 };
  const stats = new CepstralStats();
  addSpeech(stats, (await synthesize('The library opens at nine on weekdays and at ten on Saturdays.', voice)).pcm);
  const rows: Row[] = [];
  for (const text of ['mm-hmm', 'Wait, what did you say?']) {
    const { pcm, words } = await synthesize(text, voice);
    const fromSample = Math.max(0, Math.round((words[0].startMs - ONSET_PREROLL_MS) * 16));
    const heard = rawMfcc(pcm.subarray(fromSample, fromSample + (ONSET_PREROLL_MS + 280) * 16));
    const ms: number[] = [];
    for (let i = 0; i < 40; i++) {
      const t0 = performance.now();
      classifier.judge(heard, stats);
      ms.push(performance.now() - t0);
    }
    rows.push({
      judged: `"${text}" (first 280 ms)`,
      templates: classifier.templates.length,
      'p50 ms': quantile(ms, 0.5).toFixed(1),
      'p90 ms': quantile(ms, 0.9).toFixed(1),
      'max ms': Math.max(...ms).toFixed(1),
    });
  }
  return rows;
}
