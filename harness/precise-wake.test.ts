import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { PreciseWake } from './precise-wake.ts';
import { statFields } from './proc-stat.ts';
import { WAKE_RT_PRIORITY } from './priority.ts';

const isRoot = process.getuid?.() === 0;

/** A thread's scheduling policy and real-time priority (/proc/self/task/<tid>/stat fields 41 and 40). */
function schedulingOf(tid: number): { fifo: boolean; rtPriority: number } {
  const fields = statFields(`/proc/self/task/${tid}/stat`)!;
  return { fifo: Number(fields[41 - 3]) === 1, rtPriority: Number(fields[40 - 3]) }; // policy 1: SCHED_FIFO
}

/** Ask `wake` for each deadline in turn (ms from now, undefined: cancel) and collect its wakes until `wakes` arrived. */
function wakesAfter(asks: (number | undefined)[], wakes: number): Promise<{ wokeAtMs: number[]; askedAtMs: number }> {
  return new Promise((resolve) => {
    const wokeAtMs: number[] = [];
    const askedAtMs = performance.now();
    const wake = new PreciseWake(() => {
      wokeAtMs.push(performance.now());
      if (wokeAtMs.length === wakes) resolve({ wokeAtMs, askedAtMs });
    });
    for (const ms of asks) wake.set(ms === undefined ? undefined : askedAtMs + ms);
  });
}

describe('PreciseWake', () => {
  let warn: MockInstance<typeof process.emitWarning>;
  beforeEach(() => {
    warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('wakes once per ask, never before the deadline, from its thread (no fallback warning)', async () => {
    const { wokeAtMs, askedAtMs } = await wakesAfter([30], 1);
    expect(wokeAtMs[0] - askedAtMs).toBeGreaterThanOrEqual(30);
    expect(warn).not.toHaveBeenCalled();
  });

  it('a new ask replaces the pending one, earlier or later; undefined cancels it', async () => {
    // Only the last ask (60 ms) may wake: the 20 ms ask was cancelled, the 40 ms one replaced.
    const { wokeAtMs, askedAtMs } = await wakesAfter([20, undefined, 40, 60], 1);
    expect(wokeAtMs[0] - askedAtMs).toBeGreaterThanOrEqual(60);
    const earlier = await wakesAfter([500, 25], 1);
    expect(earlier.wokeAtMs[0] - earlier.askedAtMs).toBeGreaterThanOrEqual(25);
    expect(earlier.wokeAtMs[0] - earlier.askedAtMs).toBeLessThan(500);
    expect(warn).not.toHaveBeenCalled();
  });

  it('its thread asks for the real-time class: granted to root (to that thread, not its creator), refused with the reason otherwise', async () => {
    const wake = new PreciseWake(() => {});
    wake.set(performance.now() + 1_000_000); // starts the thread
    await vi.waitFor(() => expect(wake.threadClass).toBeDefined(), { timeout: 10_000 });
    const tid = wake.threadId!;
    expect(tid).not.toBe(process.pid);
    if (isRoot) {
      expect(wake.threadClass).toEqual({ realtime: true });
      expect(schedulingOf(tid)).toEqual({ fifo: true, rtPriority: WAKE_RT_PRIORITY });
    } else {
      expect(wake.threadClass).toEqual({ realtime: false, refused: 'EPERM' });
      expect(schedulingOf(tid)).toEqual({ fifo: false, rtPriority: 0 });
    }
    expect(schedulingOf(process.pid)).toEqual({ fifo: false, rtPriority: 0 }); // the creator (this process's main thread) stays ordinary
    wake.set(undefined);
    await wake.stopThread();
  });

  it('CROSSTALK_LIVE_NICE=0 leaves its thread in the ordinary class', async () => {
    vi.stubEnv('CROSSTALK_LIVE_NICE', '0');
    try {
      let wake!: PreciseWake;
      // The thread's id arrives before its first wake (messages keep their order), so by the wake it was answered.
      await new Promise<void>((resolve) => {
        wake = new PreciseWake(resolve);
        wake.set(performance.now() + 20);
      });
      expect(wake.threadClass).toBeUndefined();
      expect(schedulingOf(wake.threadId!)).toEqual({ fifo: false, rtPriority: 0 });
      await wake.stopThread();
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('holds the process open while a wake is pending, and not after it', () => {
    // The child has nothing else to wait for: it prints only if the pending wake kept it alive, and
    // it exits only if the idle thread lets it (spawnSync would time out otherwise). No warning: the
    // wake came from the thread, not the setTimeout fallback.
    const module = fileURLToPath(new URL('./precise-wake.ts', import.meta.url));
    const code = `import { PreciseWake } from ${JSON.stringify(module)};
      const w = new PreciseWake(() => console.log('woke'));
      w.set(performance.now() + 50);`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 20_000 });
    expect(child.status).toBe(0);
    expect(child.stdout.trim()).toBe('woke');
    expect(child.stderr).toBe('');
  });

  it('if its thread dies, wakes still come (late, by setTimeout) and a warning says so', async () => {
    {
      const woke: number[] = [];
      const wake = new PreciseWake(() => woke.push(performance.now()));
      wake.set(performance.now() + 1_000_000); // starts the thread
      await wake.stopThread();
      await vi.waitFor(() => expect(warn).toHaveBeenCalledWith(expect.stringMatching(/precise-wake thread exited.*setTimeout/)));
      const askedAtMs = performance.now();
      wake.set(askedAtMs + 20);
      await vi.waitFor(() => expect(woke).toHaveLength(1), { timeout: 5_000 });
      expect(woke[0] - askedAtMs).toBeGreaterThanOrEqual(20); // never early, though setTimeout counts from the loop's cached clock
    }
  });
});
