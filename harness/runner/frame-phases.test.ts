import { describe, expect, it } from 'vitest';
import { FramePhases } from './frame-phases.ts';
import { staggeredOrigin } from '../clock.ts';

/** Smallest circular distance between any two of `phases` in a `periodMs` period. */
function closest(phases: number[], periodMs: number): number {
  let d = periodMs;
  for (let i = 0; i < phases.length; i++)
    for (let j = i + 1; j < phases.length; j++) {
      const a = Math.abs(phases[i] - phases[j]);
      d = Math.min(d, a, periodMs - a);
    }
  return d;
}

describe('FramePhases', () => {
  it('spreads the sessions in flight as far apart as the period allows', () => {
    const phases = new FramePhases(20);
    const got = Array.from({ length: 4 }, () => phases.acquire());
    expect(got).toEqual([0, 10, 5, 15]);
    for (let k = 4; k < 20; k++) got.push(phases.acquire());
    expect(new Set(got).size).toBe(20);
    // Past one per phase, each phase takes a second session before any takes a third.
    const second = Array.from({ length: 20 }, () => phases.acquire());
    expect(new Set(second).size).toBe(20);
  });

  it("gives an ended session's phase to the next one, whichever process played it", () => {
    const phases = new FramePhases(20);
    const got = Array.from({ length: 8 }, () => phases.acquire());
    expect(closest(got, 20)).toBeGreaterThanOrEqual(2);
    for (let k = 8; k < 20; k++) got.push(phases.acquire());
    // Every phase has one session; one ends: its phase is the only one free.
    phases.release(got[3]);
    expect(phases.acquire()).toBe(got[3]);
  });

  it("a phase is a place on the machine's clock: origins at one phase are whole periods apart", () => {
    // How far `x` is from `phaseMs` in a 20 ms period, either way round (epoch-sized sums keep ~0.2 µs).
    const offPhase = (x: number, phaseMs: number) => {
      const d = (((x - phaseMs) % 20) + 20) % 20;
      return Math.min(d, 20 - d);
    };
    // Two origins asked for at different moments (as two processes would) land on the same phase.
    const a = staggeredOrigin(20, 7, 1000.3);
    const b = staggeredOrigin(20, 7, 1013.9);
    expect(a).toBeGreaterThanOrEqual(1000.3);
    expect(a - 1000.3).toBeLessThan(20);
    // On the machine's clock (as the recording's clockOriginEpochMs), the origin is at its phase.
    expect(offPhase(performance.timeOrigin + a, 7)).toBeLessThan(1e-3);
    expect(offPhase(b - a, 0)).toBeLessThan(1e-3);
    const c = staggeredOrigin(20, 12, 1000.3);
    expect(offPhase(c - a, 5)).toBeLessThan(1e-3);
  });
});
