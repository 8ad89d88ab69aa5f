/**
 * Where the machine's CPU went between two readings (Linux /proc): this process, a set of child
 * processes, every other process, and steal (time the hypervisor gave this machine's CPUs to
 * others); and how long the children's main threads (a runner's live loop) waited on a run queue
 * while ready to run. A bench that times the harness prints these beside its figures, so a
 * minute that drifts can be told apart: the harness's own work, a neighbour, or the host.
 *
 * Each process's CPU is read from its own /proc entry, not from the machine's totals in
 * /proc/stat: those are sampled at the scheduler tick, and a CPU that wakes thousands of times a
 * second (the live loops do) is counted busy for whole ticks it mostly slept through (a 1-minute
 * soak showed 0.4 cores "busy" that no process had used).
 */
import { readFileSync } from 'node:fs';
import { procPids, statFields } from '../harness/proc-stat.ts';

/** CPU time in ms since the previous reading. */
export interface CpuShare {
  wallMs: number;
  /** This process (every thread, DuckDB's included). */
  selfMs: number;
  /** The watched child processes (all their threads). */
  childrenMs: number;
  /** Every other process alive at both readings (kernel threads included; one that started and ended between them is missed). */
  othersMs: number;
  /** Time the host ran something else while this machine's CPUs wanted to run (/proc/stat, tick-sampled). */
  stealMs: number;
  /** Time the watched children's main threads spent ready to run but waiting for a CPU, summed. */
  childrenMainWaitMs: number;
}

/** Clock ticks per second of /proc's CPU counters (USER_HZ: 100 on every Linux build Node supports). */
const USER_HZ = 100;

interface Reading {
  wallMs: number;
  selfMs: number;
  /** CPU ms per process, keyed by pid and start time (a pid can be reused). */
  processes: Map<string, number>;
  /** Main-thread run-queue wait, ms, per watched pid. */
  mainWaitMs: Map<number, number>;
  stealMs: number;
}

/** Reads once on creation; each `next(pids)` returns the shares since the last call. */
export class CpuShareMeter {
  private last: Reading;

  constructor(pids: readonly number[] = []) {
    this.last = read(pids);
  }

  next(pids: readonly number[]): CpuShare {
    const now = read(pids);
    const watched = new Set(pids.map(String));
    let childrenMs = 0;
    let othersMs = 0;
    for (const [key, ms] of now.processes) {
      const before = this.last.processes.get(key);
      const pid = key.slice(0, key.indexOf(':'));
      if (watched.has(pid)) {
        // A child first seen now counts from its start.
        childrenMs += ms - (before ?? 0);
      } else if (before !== undefined) {
        othersMs += ms - before;
      }
    }
    let childrenMainWaitMs = 0;
    for (const [pid, ms] of now.mainWaitMs) childrenMainWaitMs += ms - (this.last.mainWaitMs.get(pid) ?? 0);
    const share = {
      wallMs: now.wallMs - this.last.wallMs,
      selfMs: now.selfMs - this.last.selfMs,
      childrenMs,
      othersMs,
      stealMs: now.stealMs - this.last.stealMs,
      childrenMainWaitMs,
    };
    this.last = now;
    return share;
  }
}

function read(pids: readonly number[]): Reading {
  const steal = Number(readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/)[8] ?? 0);
  const u = process.cpuUsage();
  const processes = new Map<string, number>();
  for (const pid of procPids()) {
    if (pid === process.pid) continue;
    const stat = processStat(pid);
    if (stat) processes.set(`${pid}:${stat.startTicks}`, stat.cpuMs);
  }
  const mainWaitMs = new Map<number, number>();
  for (const pid of pids) {
    const wait = runQueueWaitMs(pid);
    if (wait !== undefined) mainWaitMs.set(pid, wait);
  }
  return { wallMs: performance.now(), selfMs: (u.user + u.system) / 1000, processes, mainWaitMs, stealMs: (steal * 1000) / USER_HZ };
}

/** The pids of a process's children (ppid is field 4). */
export function childPids(pid: number): number[] {
  return procPids().filter((n) => Number(statFields(`/proc/${n}/stat`)?.[4 - 3]) === pid);
}

/** A process's user + system CPU time in ms (all threads; fields 14 and 15) and start time (field 22), or undefined once it has exited. */
function processStat(pid: number): { cpuMs: number; startTicks: string } | undefined {
  const f = statFields(`/proc/${pid}/stat`);
  return f && { cpuMs: ((Number(f[14 - 3]) + Number(f[15 - 3])) * 1000) / USER_HZ, startTicks: f[22 - 3] };
}

/** How long a process's main thread has waited on a run queue while ready, in ms (/proc/<pid>/schedstat, nanoseconds). */
function runQueueWaitMs(pid: number): number | undefined {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return undefined;
  }
}
