import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CpuShareMeter } from './cpu-share.ts';

/**
 * A process that says "ready", burns `ms` of CPU once told "go" on stdin, prints how much it
 * burned, and stays until stdin closes (so /proc still has it when read).
 */
const BURNER = `
const want = Number(process.argv[1]);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
process.stdin.once('data', () => {
  const start = cpu();
  while (cpu() - start < want) {}
  process.stdout.write(String(cpu() - start) + '\\n');
  process.stdin.on('end', () => process.exit(0));
});
process.stdout.write('ready\\n');
`;

interface Burner {
  child: ChildProcessWithoutNullStreams;
  /** Tells it to burn; resolves to the CPU ms it says it burned. */
  go(): Promise<number>;
  end(): Promise<void>;
}

/** Starts a burner (on one CPU when `cpu` is given, through util-linux's taskset) and waits until it is ready. */
async function startBurner(ms: number, cpu?: number): Promise<Burner> {
  const argv = [process.execPath, '-e', BURNER, String(ms)];
  const child = cpu === undefined ? spawn(argv[0], argv.slice(1)) : spawn('taskset', ['-c', String(cpu), ...argv]);
  await once(child.stdout, 'data');
  return {
    child,
    go: async () => {
      child.stdin.write('go\n');
      const [line] = (await once(child.stdout, 'data')) as [Buffer];
      return Number(line.toString().trim());
    },
    end: async () => {
      child.stdin.end();
      await once(child, 'exit');
    },
  };
}

describe('CpuShareMeter', () => {
  it("counts a watched child's CPU time as the child's, to the clock tick", async () => {
    const b = await startBurner(300);
    const meter = new CpuShareMeter([b.child.pid!]);
    const burnedMs = await b.go();
    const share = meter.next([b.child.pid!]);
    await b.end();
    expect(burnedMs).toBeGreaterThanOrEqual(300);
    // /proc counts in 10 ms ticks; the child's own reading is microseconds.
    expect(Math.abs(share.childrenMs - burnedMs)).toBeLessThanOrEqual(20);
    expect(share.wallMs).toBeGreaterThan(0);
  });

  it("counts a process it does not watch as others'", async () => {
    const b = await startBurner(300);
    const meter = new CpuShareMeter();
    const burnedMs = await b.go();
    const share = meter.next([]);
    await b.end();
    expect(share.childrenMs).toBe(0);
    // Others' holds the neighbour's burn at least (less a tick at each end), and whatever else ran.
    expect(share.othersMs).toBeGreaterThanOrEqual(burnedMs - 20);
  });

  it("counts this process's own CPU time as self", () => {
    const meter = new CpuShareMeter();
    const u0 = process.cpuUsage();
    while ((process.cpuUsage(u0).user + process.cpuUsage(u0).system) / 1000 < 100) {
      // spin
    }
    const share = meter.next([]);
    expect(share.selfMs).toBeGreaterThanOrEqual(100);
    expect(share.childrenMs).toBe(0);
  });

  it("measures how long a watched child's main thread waited for a CPU: none alone, about the neighbour's burn when sharing one CPU", async () => {
    const alone = await startBurner(200, 0);
    let meter = new CpuShareMeter([alone.child.pid!]);
    await alone.go();
    const aloneShare = meter.next([alone.child.pid!]);
    await alone.end();

    const watched = await startBurner(400, 0);
    const neighbour = await startBurner(400, 0);
    meter = new CpuShareMeter([watched.child.pid!]);
    const [watchedMs] = await Promise.all([watched.go(), neighbour.go()]);
    const shared = meter.next([watched.child.pid!]);
    await Promise.all([watched.end(), neighbour.end()]);

    // Alone on CPU 0 it waits only for whatever else the machine runs there (this test's own process among them).
    expect(aloneShare.childrenMainWaitMs).toBeLessThan(150);
    // Sharing CPU 0 with an equal burner, it waits while the neighbour runs: most of the neighbour's 400 ms.
    expect(watchedMs).toBeGreaterThanOrEqual(400);
    expect(shared.childrenMainWaitMs).toBeGreaterThan(200);
    expect(shared.childrenMainWaitMs).toBeGreaterThan(aloneShare.childrenMainWaitMs + 150);
  });

  it('leaves out a child that has exited (its last interval is not known)', async () => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await once(child, 'exit');
    const meter = new CpuShareMeter([child.pid!]);
    const share = meter.next([child.pid!]);
    expect(share.childrenMs).toBe(0);
    expect(share.childrenMainWaitMs).toBe(0);
  });
});
