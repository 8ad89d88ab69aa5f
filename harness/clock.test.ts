import { describe, expect, it } from 'vitest';
import { RealClock } from './clock.ts';

describe('RealClock (the shared real-time scheduler)', () => {
  it('runs callbacks in deadline order, none before its time, one due in the past at once', async () => {
    const clock = new RealClock();
    const ran: { label: string; atMs: number; dueMs: number }[] = [];
    const at = (label: string, dueMs: number) => clock.at(dueMs, () => void ran.push({ label, atMs: clock.nowMs(), dueMs }));
    const done = new Promise<void>((resolve) => clock.at(60, resolve));
    at('c', 45);
    at('a', 5);
    at('b', 5.5);
    at('past', -10);
    await done;
    expect(ran.map((r) => r.label)).toEqual(['past', 'a', 'b', 'c']);
    for (const r of ran) expect(r.atMs).toBeGreaterThanOrEqual(r.dueMs);
  });

  it('a cancelled callback never runs; one that throws does not stop the others', async () => {
    const clock = new RealClock();
    const ran: string[] = [];
    const cancel = clock.at(10, () => void ran.push('cancelled'));
    clock.at(12, () => {
      throw new Error('planted');
    });
    const warned = new Promise<string>((resolve) => process.once('warning', (w) => resolve(w.message)));
    const done = new Promise<void>((resolve) => clock.at(20, () => (ran.push('after'), resolve())));
    cancel();
    await done;
    expect(ran).toEqual(['after']);
    expect(await warned).toMatch(/scheduled callback threw: Error: planted/);
  });

  it('two clocks with different origins share one time line', async () => {
    const early = new RealClock(performance.now());
    const late = new RealClock(performance.now() + 30);
    const order: string[] = [];
    await new Promise<void>((resolve) => {
      late.at(0, () => void order.push('late 0 (30 ms)'));
      early.at(20, () => void order.push('early 20'));
      early.at(40, () => (order.push('early 40'), resolve()));
    });
    expect(order).toEqual(['early 20', 'late 0 (30 ms)', 'early 40']);
  });
});
