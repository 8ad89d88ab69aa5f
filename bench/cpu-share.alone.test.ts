/**
 * Run-queue wait of a watched child, measured on one CPU it shares with an equal burner. Alone
 * (the .alone phase of npm test): other tests' CPU on the same core would be wait too.
 */
import { describe, expect, it } from 'vitest';
import { CpuShareMeter } from './cpu-share.ts';
import { startBurner } from './cpu-burner.ts';

describe('CpuShareMeter: run-queue wait', () => {
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
});
