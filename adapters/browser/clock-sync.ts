/**
 * The offset between the page's clock (performance.now() in the page) and the harness's
 * (performance.now() in Node), measured by ping-pong over the link. Each exchange brackets the
 * page's reading between send and receipt; the exchange with the smallest round trip bounds
 * the offset most tightly (NTP's minimum-delay filter), so the estimate is that exchange's
 * midpoint and its error is at most half its round trip.
 */
interface SyncSample {
  /** Harness time the ping was sent, ms. */
  sentMs: number;
  /** Harness time the pong arrived, ms. */
  receivedMs: number;
  /** Page time written into the pong, ms. */
  pageMs: number;
}

export interface ClockEstimate {
  /** pageMs - harnessMs for the same instant. */
  offsetMs: number;
  /** Round trip of the exchange it comes from; the offset is within +-rttMs/2. */
  rttMs: number;
  samples: number;
}

export class ClockSync {
  private readonly samples: SyncSample[] = [];

  /** windowSize: only the latest samples count, so a slowly drifting clock is followed. */
  constructor(private readonly windowSize = 32) {}

  add(sample: SyncSample): void {
    if (sample.receivedMs < sample.sentMs) throw new Error('clock sync: a pong cannot arrive before its ping was sent');
    this.samples.push(sample);
    if (this.samples.length > this.windowSize) this.samples.shift();
  }

  get count(): number {
    return this.samples.length;
  }

  estimate(): ClockEstimate | undefined {
    let best: SyncSample | undefined;
    for (const s of this.samples) if (!best || s.receivedMs - s.sentMs < best.receivedMs - best.sentMs) best = s;
    if (!best) return undefined;
    return { offsetMs: best.pageMs - (best.sentMs + best.receivedMs) / 2, rttMs: best.receivedMs - best.sentMs, samples: this.samples.length };
  }
}
