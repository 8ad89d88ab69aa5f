/**
 * Where in the frame period each live session's frame deadlines fall. Sessions whose deadlines
 * coincide wake their loops together, and on a machine with fewer cores than runner processes
 * the last of them waits for the others' work: the run hands each session the phase the fewest
 * sessions in flight share, across all its runner processes, and spreads equal choices as far
 * apart as the period allows (0, 10, 5, 15 ... of 20 ms).
 */
export class FramePhases {
  private readonly taken: number[];

  constructor(private readonly periodMs: number) {
    this.taken = new Array<number>(periodMs).fill(0);
  }

  /** A phase in whole ms, [0, periodMs); give it back with release() when the session has ended. */
  acquire(): number {
    const least = Math.min(...this.taken);
    let best = 0;
    let bestGap = -1;
    for (let p = 0; p < this.periodMs; p++) {
      if (this.taken[p] !== least) continue;
      const gap = this.gapToBusier(p, least);
      if (gap > bestGap) [best, bestGap] = [p, gap];
    }
    this.taken[best]++;
    return best;
  }

  release(phaseMs: number): void {
    if (this.taken[phaseMs] > 0) this.taken[phaseMs]--;
  }

  /** Circular distance from `p` to the nearest phase shared by more than `least` sessions (the period if none is). */
  private gapToBusier(p: number, least: number): number {
    for (let d = 1; d <= this.periodMs / 2; d++) {
      const a = this.taken[(p + d) % this.periodMs];
      const b = this.taken[(p - d + this.periodMs) % this.periodMs];
      if (a > least || b > least) return d;
    }
    return this.periodMs;
  }
}
