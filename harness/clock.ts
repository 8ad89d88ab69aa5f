/**
 * One monotonic clock per session, in milliseconds since the session started.
 *
 * Real mode schedules by absolute deadlines on the process's monotonic clock (never by
 * chaining relative timers, so lateness cannot accumulate). Virtual mode keeps its own time
 * and runs scheduled callbacks in time order, awaiting each, as fast as the CPU allows: the
 * same inputs give the same event times on every run.
 */
type ClockMode = 'real' | 'virtual';

interface Cancel {
  (): void;
}

export interface Clock {
  readonly mode: ClockMode;
  /** Milliseconds since this clock's origin (fractional). */
  nowMs(): number;
  /** Run `fn` at absolute time `tMs` (immediately-ish if already past). */
  at(tMs: number, fn: () => void | Promise<void>): Cancel;
}

interface Timer {
  tMs: number;
  seq: number;
  fn: () => void | Promise<void>;
  cancelled: boolean;
}

/** Binary min-heap on (tMs, seq): equal times run in scheduling order. */
class TimerHeap {
  private items: Timer[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Timer | undefined {
    return this.items[0];
  }
  push(t: Timer): void {
    const a = this.items;
    a.push(t);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  pop(): Timer | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l], a[m])) m = l;
        if (r < a.length && before(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}

function before(x: Timer, y: Timer): boolean {
  return x.tMs < y.tMs || (x.tMs === y.tMs && x.seq < y.seq);
}

let timerSeq = 0;

/**
 * All real clocks share one scheduler, so 64 sessions cost one OS timer, not 64. Its wake-up
 * is set a little early and finished with a setImmediate spin: Node's setTimeout alone fires
 * 1-2 ms late, which would be the whole pacing budget.
 */
class RealScheduler {
  private heap = new TimerHeap();
  private timeout: NodeJS.Timeout | undefined;
  private armedFor = Infinity;
  private spinning = false;
  /** How early the OS timer is asked to fire before the deadline. */
  static readonly earlyWakeMs = 2;

  add(t: Timer): void {
    this.heap.push(t);
    this.arm();
  }

  private arm(): void {
    const next = this.heap.peek();
    if (!next || this.spinning) return;
    if (next.tMs >= this.armedFor && this.timeout) return;
    if (this.timeout) clearTimeout(this.timeout);
    this.armedFor = next.tMs;
    const wait = next.tMs - performance.now() - RealScheduler.earlyWakeMs;
    this.timeout = setTimeout(() => this.wake(), Math.max(0, wait));
  }

  private wake(): void {
    this.timeout = undefined;
    this.armedFor = Infinity;
    this.spinning = true;
    this.spin();
  }

  private spin = (): void => {
    const now = performance.now();
    for (;;) {
      const next = this.heap.peek();
      if (!next || next.tMs > now) break;
      this.heap.pop();
      if (next.cancelled) continue;
      try {
        const r = next.fn();
        if (r instanceof Promise) r.catch(reportTimerError);
      } catch (e) {
        reportTimerError(e);
      }
    }
    const next = this.heap.peek();
    if (next && next.tMs - performance.now() <= RealScheduler.earlyWakeMs) {
      setImmediate(this.spin);
      return;
    }
    this.spinning = false;
    this.arm();
  };
}

function reportTimerError(e: unknown): void {
  // A throwing callback must not stop other sessions' timers; surface it loudly instead.
  process.emitWarning(`crosstalk: scheduled callback threw: ${e instanceof Error ? e.stack : String(e)}`);
}

const sharedScheduler = new RealScheduler();

/**
 * The origin for a new real-time session, spread over the frame period: sessions started
 * together (a run's first `--workers` sessions) would otherwise have every frame deadline fall
 * due at the same instant, and the last of 64 serial sends would always be late. Successive
 * calls step through `periodMs` phases (a step co-prime with the period), at most one period
 * from now.
 */
let nextPhase = 0;
export function staggeredOrigin(periodMs: number, now = performance.now()): number {
  const phase = nextPhase;
  nextPhase = (nextPhase + 7) % periodMs;
  return now + ((((phase - now) % periodMs) + periodMs) % periodMs);
}

export class RealClock implements Clock {
  readonly mode = 'real' as const;
  private readonly originMs: number;
  constructor(originMs = performance.now()) {
    this.originMs = originMs;
  }
  /** This clock's zero as epoch ms on the machine's clock, comparable across processes. */
  get originEpochMs(): number {
    return performance.timeOrigin + this.originMs;
  }
  nowMs(): number {
    return performance.now() - this.originMs;
  }
  at(tMs: number, fn: () => void | Promise<void>): Cancel {
    const timer: Timer = { tMs: tMs + this.originMs, seq: timerSeq++, fn, cancelled: false };
    sharedScheduler.add(timer);
    return () => {
      timer.cancelled = true;
    };
  }
}

export class VirtualClock implements Clock {
  readonly mode = 'virtual' as const;
  private now = 0;
  private heap = new TimerHeap();

  nowMs(): number {
    return this.now;
  }

  at(tMs: number, fn: () => void | Promise<void>): Cancel {
    const timer: Timer = { tMs: Math.max(tMs, this.now), seq: timerSeq++, fn, cancelled: false };
    this.heap.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /**
   * Run every callback due at or before `endMs`, in time order, awaiting each one (so an
   * adapter's asynchronous work finishes before time moves on). Leaves the clock at `endMs`.
   */
  async runUntil(endMs: number, shouldStop: () => boolean = () => false): Promise<void> {
    for (;;) {
      if (shouldStop()) return;
      const next = this.heap.peek();
      if (!next || next.tMs > endMs) break;
      this.heap.pop();
      if (next.cancelled) continue;
      this.now = next.tMs;
      await next.fn();
    }
    this.now = Math.max(this.now, endMs);
  }
}
