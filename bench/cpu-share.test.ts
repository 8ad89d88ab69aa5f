import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CpuShareMeter } from './cpu-share.ts';
import { startBurner } from './cpu-burner.ts';

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

  it('reads a watched child that has exited as nothing, without throwing (its last interval is not known)', async () => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await once(child, 'exit');
    const meter = new CpuShareMeter([child.pid!]);
    const share = meter.next([child.pid!]);
    expect(share.childrenMs).toBe(0);
    expect(share.childrenMainWaitMs).toBe(0);
  });
});
