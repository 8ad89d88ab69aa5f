/**
 * Soak: `concurrency` real-time sessions at once (default 32) through the whole engine (runner,
 * recordings, scoring, DuckDB store) for `minutes` (default 60) of wall time, against the
 * scripted agent streaming its answers. It runs as `crosstalk run` does: in ceil(N / 16) runner
 * processes (cli/run-child.ts), each finishing its sessions in its own thread, with this process
 * storing (SOAK_PROCESSES forces a count; 0 plays every session in this process). Memory (RSS, heap of this process) is sampled every few
 * seconds and pacing error (how late each 20 ms user frame was sent) is bucketed by wall-clock
 * minute, so growth and drift over the hour show as rows: the check is "pacing p99 <= 2 ms in
 * every minute". Beside them, per minute, where the CPU went (bench/cpu-share.ts): this process,
 * the runner processes, every other process, the hypervisor's steal, and how long the runners'
 * live loops (their main threads) waited for a CPU while ready, so a minute that drifts says
 * whether the harness, a neighbour or the host was busy (not read with SOAK_PROCESSES=0: this
 * process's loop is then the live one). The frames are read after the run, never beside a live session (each
 * recording's audio is deleted as its session is stored, to bound the disk: about 250 KB of
 * event log per 50 s session stays until the end). Nothing is asserted; every figure is measured.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { setMaxListeners } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSuite } from '../harness/runner/run.ts';
import { runnerProcessCount } from '../harness/runner/processes.ts';
import { Store } from '../harness/store/store.ts';
import { quantile } from '../harness/stats.ts';
import { prepareRun, startRunnerProcess, type RunArgs } from '../cli/commands/run.ts';
import type { MediaSource } from '../harness/media.ts';
import type { Row } from './engine.ts';
import { CpuShareMeter } from './cpu-share.ts';

interface SoakOptions {
  minutes?: number;
  concurrency?: number;
  sampleEveryMs?: number;
  /** Runner processes (default: as `crosstalk run` chooses for `concurrency`; 0: this process). */
  processes?: number;
}

/** About 50 s: five questions, each answered (4 s of streamed audio) before the next. */
const SOAK_SCENARIO = `
version: 1
id: soak
family: long_session
noise: { kind: room_tone, level_dbfs: -60 }
tail_ms: 2000
timeline:
  - id: q0
    at_ms: 300
    speak: { text: "Could you tell me how long it takes to walk to the station from here?" }
    expect: [ { take_turn: { within_ms: 1500 } } ]
${[1, 2, 3, 4]
  .map(
    (k) =>
      `  - id: q${k}\n    after: { event: agent_speech_end, delay_ms: 600, timeout_ms: 15000 }\n    speak: { text: "And what about the bus, is it any faster at this time of day?" }\n    expect: [ { take_turn: { within_ms: 1500 } } ]`,
  )
  .join('\n')}
`;

interface Minute {
  rssMaxBytes: number;
  /** The runner processes' RSS summed, at its highest in the minute (Linux /proc). */
  runnersRssMaxBytes: number;
  heapUsedBytes: number;
  latenessMs: number[];
  sessions: number;
  /** The live loop's priority in the sessions that ended this minute: "nice <n>, wake <class>" (harness/priority.ts). */
  liveClasses: Set<string>;
  /** CPU time (ms) in the minute's samples: this process, the runner processes, the rest of the machine, steal; and the wall time they cover. */
  cpu: { wallMs: number; selfMs: number; runnersMs: number; othersMs: number; stealMs: number; liveWaitMs: number };
}

export async function soakBench(media: MediaSource, opts: SoakOptions = {}): Promise<Row[]> {
  const minutes = opts.minutes ?? 60;
  const concurrency = opts.concurrency ?? 32;
  const sampleEveryMs = opts.sampleEveryMs ?? 5_000;
  const dir = mkdtempSync(join(tmpdir(), 'crosstalk-soak-'));
  const buckets: Minute[] = [];
  const runners: number[] = [];
  const t0 = Date.now();
  const bucket = (wallMs: number): Minute => {
    const i = Math.max(0, Math.floor((wallMs - t0) / 60_000));
    while (buckets.length <= i)
      buckets.push({
        rssMaxBytes: 0,
        runnersRssMaxBytes: 0,
        heapUsedBytes: 0,
        latenessMs: [],
        sessions: 0,
        liveClasses: new Set(),
        cpu: { wallMs: 0, selfMs: 0, runnersMs: 0, othersMs: 0, stealMs: 0, liveWaitMs: 0 },
      });
    return buckets[i];
  };
  const processes = runnerProcessCount(concurrency, 'real', opts.processes);
  // Reading every process's /proc entry takes the loop a few ms: not where the live sessions play (SOAK_PROCESSES=0).
  const cpuMeter = processes > 0 ? new CpuShareMeter() : undefined;
  const sample = () => {
    const m = process.memoryUsage();
    const b = bucket(Date.now());
    // The CPU since the last sample goes to the minute it ends in (samples are 5 s apart: a minute's share is over 55-65 s).
    const share = cpuMeter?.next(runners);
    if (share) {
      b.cpu.wallMs += share.wallMs;
      b.cpu.selfMs += share.selfMs;
      b.cpu.runnersMs += share.childrenMs;
      b.cpu.othersMs += share.othersMs;
      b.cpu.stealMs += share.stealMs;
      b.cpu.liveWaitMs += share.childrenMainWaitMs;
    }
    b.rssMaxBytes = Math.max(b.rssMaxBytes, m.rss);
    b.heapUsedBytes = m.heapUsed;
    b.runnersRssMaxBytes = Math.max(
      b.runnersRssMaxBytes,
      runners.reduce((sum, pid) => sum + rssOf(pid), 0),
    );
  };
  const timer = setInterval(sample, sampleEveryMs);
  const stop = new AbortController();
  setMaxListeners(concurrency + 10, stop.signal);
  // At the soak time the sessions in flight are interrupted (aborted, not stored) and the bench ends.
  const deadline = setTimeout(() => stop.abort(), minutes * 60_000);
  const store = await Store.open(join(dir, 'soak.duckdb'));
  const played: { dir: string; startWallMs: number }[] = [];
  try {
    const suite = join(dir, 'soak');
    mkdirSync(suite);
    writeFileSync(join(suite, 'soak.yaml'), SOAK_SCENARIO);
    const args: RunArgs = {
      suite,
      adapter: 'scripted',
      'adapter-option': ['answerDelayMs=430', 'answerMs=4000', 'delivery=stream'],
      // More sessions than the soak has time for; the deadline ends it.
      repeat: Math.ceil((minutes * 60) / 40) * concurrency,
      workers: concurrency,
      clock: 'real',
      check: false,
      quiet: true,
      replace: false,
      'transcribe-model': 'whisper-1',
    };
    const { scenarios, adapter, options } = await prepareRun(args);
    const loaded = scenarios[0];
    // Render the speech once before the clock matters (synthesis is a one-off cost).
    for (const a of loaded.scenario.timeline) if (a.speak) await media.renderSpeech(a.speak, { seed: 0 }, loaded.file);
    sample();
    await runSuite({
      scenarios,
      adapter,
      adapterOptions: options,
      media,
      clock: 'real',
      repeat: args.repeat,
      workers: concurrency,
      recordingsDir: join(dir, 'recordings'),
      store,
      suite: 'soak',
      signal: stop.signal,
      keepSessions: false,
      processes:
        processes > 0
          ? {
              count: processes,
              start: () => {
                const child = startRunnerProcess(args);
                if (child.pid !== undefined) runners.push(child.pid);
                return child;
              },
            }
          : undefined,
      onSession: (r) => {
        const b = bucket(Date.now());
        b.sessions++;
        const { liveNice, wakeRealtime } = r.outcome.timing;
        b.liveClasses.add(`nice ${liveNice ?? 'unset'}, wake ${wakeRealtime === undefined ? 'unknown' : wakeRealtime ? 'real-time' : 'ordinary'}`);
        played.push({ dir: r.outcome.dir, startWallMs: Date.parse(r.outcome.startedAt) });
        // Keep the disk bounded over an hour: the recording has been scored and stored.
        void rm(join(r.outcome.dir, 'audio.wav'), { force: true });
      },
    });
    // Every session has ended: read the frames now, not beside live sessions.
    for (const p of played) {
      for (const line of readFileSync(join(p.dir, 'events.jsonl'), 'utf8').split('\n')) {
        if (!line.includes('"frame.sent"')) continue;
        const e = JSON.parse(line) as { t: number; deadlineMs: number };
        bucket(p.startWallMs + e.t).latenessMs.push(e.t - e.deadlineMs);
      }
    }
  } finally {
    clearInterval(timer);
    clearTimeout(deadline);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const mb = (bytes: number) => (bytes / 1_048_576).toFixed(0);
  // CPU as cores busy on average over the minute's samples (2.00: both cores of this machine).
  const cores = (b: Minute, ms: number) => (b.cpu.wallMs > 0 ? (ms / b.cpu.wallMs).toFixed(2) : '');
  const firstRss = buckets.find((b) => b.rssMaxBytes > 0)?.rssMaxBytes ?? 0;
  // A minute with neither frames nor memory samples is the drain after the deadline (sessions ending): not a minute of the soak.
  return buckets.flatMap((b, i) =>
    b.latenessMs.length === 0 && b.rssMaxBytes === 0
      ? []
      : [
          {
            minute: i + 1,
            'runner processes': processes,
            'sessions done': b.sessions,
            'live loop (sessions done)': [...b.liveClasses].join('; '),
            'rss max MB': mb(b.rssMaxBytes),
            'rss vs minute 1 MB': mb(b.rssMaxBytes - firstRss),
            'runner processes rss max MB': mb(b.runnersRssMaxBytes),
            'heap used MB': mb(b.heapUsedBytes),
            'CPU this process (cores)': cores(b, b.cpu.selfMs),
            'CPU runner processes (cores)': cores(b, b.cpu.runnersMs),
            'CPU others (cores)': cores(b, b.cpu.othersMs),
            'steal (cores)': cores(b, b.cpu.stealMs),
            'live loops waiting for a CPU (ms/s)': b.cpu.wallMs > 0 ? ((b.cpu.liveWaitMs * 1000) / b.cpu.wallMs).toFixed(1) : '',
            frames: b.latenessMs.length,
            'pacing p50 ms': b.latenessMs.length ? quantile(b.latenessMs, 0.5).toFixed(2) : '',
            'pacing p99 ms': b.latenessMs.length ? quantile(b.latenessMs, 0.99).toFixed(2) : '',
            'pacing max ms': b.latenessMs.length ? b.latenessMs.reduce((a, x) => Math.max(a, x), -Infinity).toFixed(1) : '',
            'p99 <= 2 ms': b.latenessMs.length ? (quantile(b.latenessMs, 0.99) <= 2 ? 'yes' : 'no') : '',
          },
        ],
  );
}

/** Resident memory of a process in bytes (Linux /proc; 0 where it cannot be read, e.g. it has exited). */
function rssOf(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? 0 : Number(kb) * 1024;
  } catch {
    return 0;
  }
}
