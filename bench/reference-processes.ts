/**
 * How many real-time reference-agent sessions the machine holds when the agent runs in its own
 * processes (issue 20: target 16), deployed as a user would: one `crosstalk serve reference
 * --processes P` behind one URL (its primary hands each connection to the one of the P processes with the fewest open),
 * and `crosstalk run --adapter ws --url` with as many runner processes as it chooses for the count
 * (harness/runner/processes.ts: one up to 16 sessions).
 *
 * The agent: P = ceil(largest count / AGENT_SESSIONS_PER_PROCESS) processes (the in-process
 * capacity bench holds 4 real-time sessions per process at the 2 ms pacing edge, README
 * 2026-12-06), started once and warmed with one session each (voice bank, models); a count of
 * N sessions is spread over min(N, P) of them.
 *
 * N holds when both keep real time: the harness's frame pacing p99 is within 2 ms, and the agent
 * keeps up: the turn-taking latency p50 is within one frame (20 ms) of the 1-session figure (an
 * agent that falls behind its input answers later; nothing else in the path grows with N). The
 * 1-session figure is the median of BASELINE_ROUNDS sessions played one after another. All N
 * sessions play the same scenario at once, so their turn ends, and the work the agent does to
 * answer each (its keyword spotter runs on the event loop), coincide: a worst case for a loop.
 * Run it on an otherwise idle machine: on a shared one it measures the sharing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRecording } from '../harness/recording/reader.ts';
import { runSuite } from '../harness/runner/run.ts';
import { runnerProcessCount } from '../harness/runner/processes.ts';
import { quantile } from '../harness/stats.ts';
import { Store } from '../harness/store/store.ts';
import { prepareRun, startRunnerProcess, type RunArgs } from '../cli/commands/run.ts';
import type { Row } from './engine.ts';
import { childPids, CpuShareMeter } from './cpu-share.ts';

/** Real-time sessions per reference-agent process (the in-process capacity figure, see the file comment). */
const AGENT_SESSIONS_PER_PROCESS = 4;
const PACING_BUDGET_MS = 2;
/** Rounds of the first (baseline) count, played one after another. */
const BASELINE_ROUNDS = 5;
const FRAME_MS = 20;
const CROSSTALK = join(import.meta.dirname, '..', 'bin', 'crosstalk.mjs');

/** CPU time (ms) over a count's sessions; liveWaitMs: the runners' and agent copies' main threads waiting for a CPU while ready. */
interface CpuTotals {
  wallMs: number;
  oursMs: number;
  othersMs: number;
  stealMs: number;
  liveWaitMs: number;
}

interface Agent {
  url: string;
  process: ChildProcess;
}

/** `crosstalk serve reference --port 0 --processes <count>`, resolved with its URL once every process listens. */
function startAgent(count: number): Promise<Agent> {
  const child = spawn(process.execPath, [CROSSTALK, 'serve', 'reference', '--port', '0', '--processes', String(count)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`crosstalk serve reference exited (code ${code}) before listening: ${out}`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /listening on (ws:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve({ url, process: child });
    });
  });
}

/** `n` sessions of turn-taking-01 at once against the agent, over the runner processes `crosstalk run` chooses. */
async function runAt(
  n: number,
  agent: Agent,
  dir: string,
  rounds = 1,
): Promise<{ lateness: number[]; latency: number[]; errored: number; runners: number; cpu: CpuTotals }> {
  const args: RunArgs = {
    suite: 'core',
    grep: '^core/turn-taking-01$',
    adapter: 'ws',
    url: agent.url,
    'adapter-option': [],
    repeat: n * rounds,
    workers: n,
    clock: 'real',
    check: false,
    quiet: true,
    replace: false,
    'transcribe-model': 'whisper-1',
  };
  const { scenarios, adapter, media } = await prepareRun(args);
  const runners = runnerProcessCount(n, 'real');
  const store = await Store.open(join(dir, `${n}-${rounds}.duckdb`));
  // Where the CPU went while the sessions played, sampled every second: ours (runner processes, agent copies, this process) and everyone else's.
  const watched = [agent.process.pid!, ...childPids(agent.process.pid!)];
  const meter = new CpuShareMeter(watched);
  const cpu: CpuTotals = { wallMs: 0, oursMs: 0, othersMs: 0, stealMs: 0, liveWaitMs: 0 };
  const sample = () => {
    const s = meter.next(watched);
    cpu.wallMs += s.wallMs;
    cpu.oursMs += s.selfMs + s.childrenMs;
    cpu.othersMs += s.othersMs;
    cpu.stealMs += s.stealMs;
    cpu.liveWaitMs += s.childrenMainWaitMs;
  };
  const timer = setInterval(sample, 1_000);
  try {
    const result = await runSuite({
      scenarios,
      adapter,
      media,
      clock: 'real',
      repeat: n * rounds,
      workers: n,
      recordingsDir: join(dir, `${n}-${rounds}`),
      store,
      suite: 'core',
      processes: {
        count: runners,
        start: () => {
          const child = startRunnerProcess(args);
          if (child.pid !== undefined) watched.push(child.pid);
          return child;
        },
      },
    });
    sample();
    const lateness: number[] = [];
    const latency: number[] = [];
    for (const s of result.sessions) {
      for (const e of readRecording(s.outcome.dir).events) if (e.type === 'frame.sent') lateness.push(e.t - e.deadlineMs);
      for (const m of s.scored?.metrics ?? []) if (m.name === 'turn_taking.latency_ms' && m.value !== null) latency.push(m.value);
    }
    return { lateness, latency, errored: result.counts.errored, runners, cpu };
  } finally {
    clearInterval(timer);
    await store.close();
  }
}

export async function referenceProcessCapacityBench(counts = [1, 4, 8, 16, 32]): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'crosstalk-bench-ref-processes-'));
  const agentProcesses = Math.ceil(Math.max(...counts) / AGENT_SESSIONS_PER_PROCESS);
  let agent: Agent | undefined;
  const rows: Row[] = [];
  try {
    agent = await startAgent(agentProcesses);
    // Warm-up: one session per agent process (P at once, each handed to a copy with none open), so loading its models is not counted.
    await runAt(agentProcesses, agent, dir);
    let baseline: number | undefined;
    let held = 0;
    let allHeld = true;
    for (const n of counts) {
      // The first count is the baseline: its sessions are played BASELINE_ROUNDS times in turn, so
      // its p50 is a median of several turns, not one turn's latency.
      const rounds = baseline === undefined ? BASELINE_ROUNDS : 1;
      const { lateness, latency, errored, runners, cpu } = await runAt(n, agent, dir, rounds);
      const cores = (ms: number) => (ms / cpu.wallMs).toFixed(2);
      const pacing = lateness.length ? quantile(lateness, 0.99) : NaN;
      const p50 = latency.length ? quantile(latency, 0.5) : NaN;
      baseline ??= p50;
      const keptUp = latency.length === n * rounds && p50 - baseline <= FRAME_MS;
      const ok = errored === 0 && pacing <= PACING_BUDGET_MS && keptUp;
      allHeld &&= ok;
      if (allHeld) held = n;
      rows.push({
        sessions: rounds > 1 ? `${n} (${rounds} rounds in turn)` : n,
        'agent processes (of them in use)': `${agentProcesses} (${Math.min(n, agentProcesses)})`,
        'runner processes': runners,
        errored,
        'pacing p99 ms': pacing.toFixed(2),
        'turn-taking latency p50 ms': `${p50.toFixed(0)} (n ${latency.length})`,
        'p90 ms': latency.length ? quantile(latency, 0.9).toFixed(0) : '',
        'p50 vs 1 session ms': (p50 - baseline).toFixed(0),
        holds: ok ? 'yes' : 'no',
        'CPU runners + agent + bench (cores)': cores(cpu.oursMs),
        'CPU others (cores)': cores(cpu.othersMs),
        'steal (cores)': cores(cpu.stealMs),
        'live loops waiting for a CPU (ms/s)': ((cpu.liveWaitMs * 1000) / cpu.wallMs).toFixed(1),
      });
    }
    rows.push({
      sessions: `max real-time sessions, agent in its own processes: ${held} (target 16)`,
      'agent processes (of them in use)': '',
      'runner processes': '',
      errored: '',
      'pacing p99 ms': '',
      'turn-taking latency p50 ms': '',
      'p90 ms': '',
      'p50 vs 1 session ms': '',
      holds: '',
      'CPU runners + agent + bench (cores)': '',
      'CPU others (cores)': '',
      'steal (cores)': '',
      'live loops waiting for a CPU (ms/s)': '',
    });
  } finally {
    agent?.process.kill('SIGINT');
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
