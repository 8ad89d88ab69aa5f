/**
 * `npm run bench -- onset`: does the harness measure an agent's timing truly under load?
 *
 * An independent agent in its own process (planted-agent.ts: crosstalk-ws on loopback, its
 * audio clocked to the user's stream, every answer onset planted at a known user sample and
 * announced) is run against the core turn-taking scenarios in real time through the real `run`
 * path (the ws adapter; ceil(N / 16) runner processes, as `crosstalk run` plays N sessions; one
 * agent process per runner process, so the agent's own loop never carries more than the
 * harness's), at each concurrency, without and with a CPU-bound process spinning on every core
 * of the machine. For every planted onset: measured (the start of the agent speech the scorer
 * finds on the played channel) minus planted. Printed: median, spread (max - min) and p99 of
 * that difference, the harness's frame pacing p99, and the issue's targets beside them; then
 * the difference split into the agent's part (its process read the frame late or took long to
 * answer; both processes stamp the machine's clock) and the harness's part (the rest).
 *
 * The runner processes' live loops and the agent processes ask for the live loop's priority
 * (harness/priority.ts); ONSET_NICE=-10,0 runs every cell once per CROSSTALK_LIVE_NICE value
 * given (0: priority left alone), to show what the priority buys.
 *
 * Scale: ONSET_COUNTS (default 8,32,64) and ONSET_LOAD (default off,on); ONSET_PROCESSES forces
 * that many runner processes (default: as `run` chooses). Real time on a shared machine measures
 * the machine: run the full scale on an otherwise idle one.
 */
import { spawn } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setMaxListeners } from 'node:events';
import type { RecordingEvent } from '../harness/recording/events.ts';
import { readRecording } from '../harness/recording/reader.ts';
import { runSuite } from '../harness/runner/run.ts';
import { runnerProcessCount } from '../harness/runner/processes.ts';
import type { Segment } from '../harness/scoring/types.ts';
import { quantile } from '../harness/stats.ts';
import { Store } from '../harness/store/store.ts';
import { prepareRun, startRunnerProcess, type RunArgs } from '../cli/commands/run.ts';
import { startPlantedAgentProcess } from './planted-agent.ts';
import type { Row } from './engine.ts';

/** The targets (issue 20): measured minus planted onset, at every concurrency, with and without load. */
const ONSET_TARGETS = { spreadMs: 5, absMedianMs: 25 };

interface PlantedPair {
  plantedMs: number;
  /** Start of the agent speech the scorer found for it; null: none found near it. */
  measuredMs: number | null;
  /**
   * The agent's part of measured minus planted: from the harness sending the user frame that
   * ends at the planted sample to the agent sending its answer's first frame (a starved agent
   * process reads that frame late), on the machine's clock shared by both processes; null when
   * either side did not stamp it (virtual time, an agent that does not say when it sent).
   */
  agentMs: number | null;
}

/**
 * Each onset the agent announced (`planted.onset` vendor events) with the agent speech segment
 * the scorer found nearest to it (from 200 ms before to 1 s after; echo excluded), and the
 * agent's part of the difference (see PlantedPair.agentMs). What remains, measured minus
 * planted minus the agent's part, is the harness's: its lateness sending the frame, reading the
 * answer back, and playout.
 */
export function plantedVersusMeasured(events: readonly RecordingEvent[], segments: readonly Segment[]): PlantedPair[] {
  const agent = segments.filter((s) => s.channel === 'agent' && !s.echo);
  const end = events.find((e) => e.type === 'session.end');
  const originEpochMs = end?.type === 'session.end' ? end.timing?.clockOriginEpochMs : undefined;
  const sentAtMs = new Map<number, number>();
  for (const e of events) if (e.type === 'frame.sent') sentAtMs.set(e.deadlineMs, e.t);
  return events.flatMap((e) => {
    if (e.type !== 'vendor' || e.name !== 'planted.onset') return [];
    const { ms: plantedMs, sentEpochMs } = e.payload as { ms: number; sentEpochMs?: number };
    const near = agent.filter((s) => s.startMs >= plantedMs - 200 && s.startMs <= plantedMs + 1_000);
    const best = near.reduce<Segment | undefined>((a, s) => (!a || Math.abs(s.startMs - plantedMs) < Math.abs(a.startMs - plantedMs) ? s : a), undefined);
    // The frame ending at the planted sample is the one whose deadline is the planted time.
    const frameSentMs = sentAtMs.get(plantedMs);
    const agentMs = originEpochMs === undefined || sentEpochMs === undefined || frameSentMs === undefined ? null : sentEpochMs - (originEpochMs + frameSentMs);
    return [{ plantedMs, measuredMs: best ? best.startMs : null, agentMs }];
  });
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

/** A process spinning a busy loop on every core (worker threads), until killed. */
function startLoad() {
  const code = `const { Worker } = require('node:worker_threads'); for (let i = 0; i < ${cpus().length}; i++) new Worker('for (;;) {}', { eval: true });`;
  const child = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
  return { stop: () => new Promise<void>((done) => (child.exitCode !== null ? done() : (child.once('exit', () => done()), child.kill('SIGKILL')))) };
}

interface Cell {
  pairs: PlantedPair[];
  /** The pairs of sessions the harness did not flag. */
  unflaggedPairs: PlantedPair[];
  lateness: number[];
  sessions: number;
  errored: number;
  /** Sessions whose timing the harness flagged (its own lateness near a measured latency past the bound), and the worst such lateness. */
  flagged: number;
  harnessErrorMaxMs: number;
  /** Nice values the runners' live loops ran at (their sessions say), and the agent processes'. */
  liveNice: Set<number>;
  agentNice: Set<number>;
}

/** Runner processes for `concurrent` sessions: as `crosstalk run` chooses, unless ONSET_PROCESSES says. */
function processesFor(concurrent: number): number {
  return runnerProcessCount(concurrent, 'real', process.env.ONSET_PROCESSES === undefined ? undefined : Number(process.env.ONSET_PROCESSES));
}

async function runCell(concurrent: number, load: boolean): Promise<Cell> {
  const dir = mkdtempSync(join(tmpdir(), 'crosstalk-bench-onset-'));
  const count = processesFor(concurrent);
  const agents = await Promise.all(Array.from({ length: Math.max(1, count) }, () => startPlantedAgentProcess({ answerAfterMs: 500, answerMs: 1_500 })));
  const loader = load ? startLoad() : undefined;
  const store = await Store.open(join(dir, 'onset.duckdb'));
  try {
    const args: RunArgs = {
      suite: 'core',
      grep: '^core/turn-taking',
      adapter: 'ws',
      url: agents[0].url,
      'adapter-option': [],
      repeat: 1,
      workers: concurrent,
      clock: 'real',
      check: false,
      quiet: true,
      replace: false,
      'transcribe-model': 'whisper-1',
    };
    const { scenarios, adapter, media, options } = await prepareRun(args);
    args.repeat = Math.max(1, Math.ceil(concurrent / scenarios.length));
    const stop = new AbortController();
    setMaxListeners(concurrent + 10, stop.signal);
    const result = await runSuite({
      scenarios,
      adapter,
      adapterOptions: options,
      media,
      clock: 'real',
      repeat: args.repeat,
      workers: concurrent,
      recordingsDir: join(dir, 'recordings'),
      store,
      suite: 'core',
      signal: stop.signal,
      // Runner process i plays against agent process i.
      processes: count > 0 ? { count, start: (i) => startRunnerProcess({ ...args, url: agents[i].url }) } : undefined,
    });
    // Read back once every session has ended: nothing here runs beside a live session.
    const cell: Cell = {
      pairs: [],
      unflaggedPairs: [],
      lateness: [],
      sessions: result.sessions.length,
      errored: result.counts.errored,
      flagged: 0,
      harnessErrorMaxMs: 0,
      liveNice: new Set(),
      agentNice: new Set(agents.map((a) => a.nice)),
    };
    for (const s of result.sessions) {
      if (s.outcome.timing.flagged) cell.flagged++;
      cell.harnessErrorMaxMs = Math.max(cell.harnessErrorMaxMs, s.outcome.timing.harnessErrorMs);
      if (s.outcome.timing.liveNice !== undefined) cell.liveNice.add(s.outcome.timing.liveNice);
      const { events } = readRecording(s.outcome.dir);
      for (const e of events) if (e.type === 'frame.sent') cell.lateness.push(e.t - e.deadlineMs);
      const pairs = plantedVersusMeasured(events, s.scored?.segments ?? []);
      cell.pairs.push(...pairs);
      if (!s.outcome.timing.flagged) cell.unflaggedPairs.push(...pairs);
    }
    return cell;
  } finally {
    await loader?.stop();
    await store.close();
    await Promise.all(agents.map((a) => a.close()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The table row of one cell. */
function cellRow(n: number, load: boolean, cell: Cell): Row {
  const errorsOf = (pairs: PlantedPair[]) => pairs.flatMap((p) => (p.measuredMs === null ? [] : [p.measuredMs - p.plantedMs]));
  const diffs = errorsOf(cell.pairs);
  const stamped = cell.pairs.filter((p) => p.measuredMs !== null && p.agentMs !== null);
  const agentParts = stamped.map((p) => p.agentMs!);
  const harnessParts = stamped.map((p) => p.measuredMs! - p.plantedMs - p.agentMs!);
  // What a reader of the store trusts: the sessions the harness did not flag.
  const trusted = errorsOf(cell.unflaggedPairs);
  const median = diffs.length ? quantile(diffs, 0.5) : NaN;
  const spread = diffs.length ? Math.max(...diffs) - Math.min(...diffs) : NaN;
  const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '');
  return {
    'concurrent sessions': n,
    'runner processes': processesFor(n),
    'agent processes': Math.max(1, processesFor(n)),
    'CPU load': load ? `busy loop on ${cpus().length} cores` : 'none',
    // harness/priority.ts: refused without root or CAP_SYS_NICE, and then the load competes as an equal.
    'nice: live loop / agent / load': `${[...cell.liveNice].join(',')} / ${[...cell.agentNice].join(',')} / ${load ? 0 : '-'}`,
    sessions: `${cell.sessions} (${cell.errored} errored)`,
    onsets: `${diffs.length} of ${cell.pairs.length} planted`,
    'median ms': fmt(median),
    'spread ms': fmt(spread),
    'p99 ms': diffs.length ? fmt(quantile(diffs, 0.99)) : '',
    'pacing p99 ms': cell.lateness.length ? quantile(cell.lateness, 0.99).toFixed(2) : '',
    'timing flagged (harness error max)': `${cell.flagged} (${cell.harnessErrorMaxMs.toFixed(1)} ms)`,
    'unflagged sessions: median / spread ms (onsets)': trusted.length
      ? `${fmt(quantile(trusted, 0.5))} / ${fmt(Math.max(...trusted) - Math.min(...trusted))} (${trusted.length})`
      : '(none)',
    target: `spread <= ${ONSET_TARGETS.spreadMs} ms, abs(median) <= ${ONSET_TARGETS.absMedianMs} ms`,
    met: diffs.length && spread <= ONSET_TARGETS.spreadMs && Math.abs(median) <= ONSET_TARGETS.absMedianMs ? 'yes' : 'no',
    // The same difference split where the two processes' shared clock allows it.
    "agent's part: median / max ms": agentParts.length ? `${fmt(quantile(agentParts, 0.5))} / ${fmt(Math.max(...agentParts))}` : '',
    "harness's part: median / spread ms (onsets)": harnessParts.length
      ? `${fmt(quantile(harnessParts, 0.5))} / ${fmt(Math.max(...harnessParts) - Math.min(...harnessParts))} (${harnessParts.length})`
      : '',
  };
}

export async function onsetBench(opts: { counts?: number[]; loads?: boolean[] } = {}): Promise<Row[]> {
  const counts = opts.counts ?? (process.env.ONSET_COUNTS ? process.env.ONSET_COUNTS.split(',').map(Number) : [8, 32, 64]);
  const loads = opts.loads ?? (process.env.ONSET_LOAD ? process.env.ONSET_LOAD.split(',').map((x) => x.trim() === 'on') : [false, true]);
  // Runner and agent processes read CROSSTALK_LIVE_NICE when they start; undefined: as the user set it.
  const nices = process.env.ONSET_NICE ? process.env.ONSET_NICE.split(',').map((x) => x.trim()) : [undefined];
  const userNice = process.env.CROSSTALK_LIVE_NICE;
  const rows: Row[] = [];
  for (const n of counts) {
    for (const load of loads)
      for (const nice of nices) {
        if (nice === undefined) restoreEnv('CROSSTALK_LIVE_NICE', userNice);
        else process.env.CROSSTALK_LIVE_NICE = nice;
        const cell = await runCell(n, load).finally(() => restoreEnv('CROSSTALK_LIVE_NICE', userNice));
        rows.push(cellRow(n, load, cell));
      }
  }
  return rows;
}
