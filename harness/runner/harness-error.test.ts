/** Known answers for the harness-made error bound: only lateness near measured moments counts. */
import { describe, it, expect } from 'vitest';
import { HARNESS_ERROR_BOUND_MS, HARNESS_ERROR_WINDOW_MS, sessionTiming } from './harness-error.ts';
import { FRAME_MS } from './session.ts';

const playout = { underruns: 0, underrunMs: 0, catchUpMs: 0, owedAtEndMs: 0 };

/** 10 s of frames, on time except frame `late` (deadline (late + 1) * 20 ms) by `byMs`. */
function lateness(late: number, byMs: number): number[] {
  return Array.from({ length: 500 }, (_, k) => (k === late ? byMs : 0.3));
}

describe('harness-made timing error', () => {
  it('a stall far from every measured moment does not count', () => {
    const t = sessionTiming({ latenessMs: lateness(99, 40), frameMs: FRAME_MS, measuredAtMs: [5000, 7000], playout, owedAtOnsetMs: [] });
    expect(t.harnessErrorMs).toBe(0.3);
    expect(t.flagged).toBe(false);
  });

  it('a stall within the window of a user speech end or an onset counts, and flags past the bound', () => {
    // Frame 99 is due at 2000 ms; a moment at 2000 + window still sees it, one 20 ms frame further does not.
    const near = sessionTiming({ latenessMs: lateness(99, 40), frameMs: FRAME_MS, measuredAtMs: [2000 + HARNESS_ERROR_WINDOW_MS], playout, owedAtOnsetMs: [] });
    expect(near.harnessErrorMs).toBe(40);
    expect(near.flagged).toBe(true);
    const far = sessionTiming({
      latenessMs: lateness(99, 40),
      frameMs: FRAME_MS,
      measuredAtMs: [2000 + HARNESS_ERROR_WINDOW_MS + FRAME_MS],
      playout,
      owedAtOnsetMs: [],
    });
    expect(far.harnessErrorMs).toBe(0.3);
    const before = sessionTiming({
      latenessMs: lateness(99, 40),
      frameMs: FRAME_MS,
      measuredAtMs: [2000 - HARNESS_ERROR_WINDOW_MS],
      playout,
      owedAtOnsetMs: [],
    });
    expect(before.harnessErrorMs).toBe(40);
  });

  it('lateness at the bound is not flagged; owed playout shift is reported as the stream’s', () => {
    const t = sessionTiming({ latenessMs: lateness(99, HARNESS_ERROR_BOUND_MS), frameMs: FRAME_MS, measuredAtMs: [2000], playout, owedAtOnsetMs: [0, 7, 3] });
    expect(t.flagged).toBe(false);
    expect(t.owedAtOnsetMaxMs).toBe(7);
  });

  it("an adapter's instrument lateness (a page's injected microphone) counts near a measured moment", () => {
    const at = (atMs: number, latenessMs: number) => ({ atMs, latenessMs });
    const timing = (moments: number[]) =>
      sessionTiming({
        latenessMs: lateness(5, 0.3),
        frameMs: FRAME_MS,
        measuredAtMs: moments,
        playout,
        owedAtOnsetMs: [],
        instrumentLateness: [at(3000, 840), at(6000, 4)],
      });
    expect(timing([3000 + HARNESS_ERROR_WINDOW_MS])).toMatchObject({ harnessErrorMs: 840, flagged: true });
    expect(timing([3000 + HARNESS_ERROR_WINDOW_MS + 1, 6000])).toMatchObject({ harnessErrorMs: 4, flagged: false });
  });

  it('a session with no measured moment has no harness-made error to report', () => {
    expect(sessionTiming({ latenessMs: lateness(5, 90), frameMs: FRAME_MS, measuredAtMs: [], playout, owedAtOnsetMs: [] }).harnessErrorMs).toBe(0);
  });
});
