/**
 * One monotonic clock per session, in milliseconds since the session started.
 *
 * Real mode schedules by absolute deadlines on the process's monotonic clock (never by
 * chaining relative timers, so lateness cannot accumulate). Virtual mode keeps its own time
 * and runs scheduled callbacks in time order, awaiting each, as fast as the CPU allows: the
 * same inputs give the same event times on every run.
 */
import { PreciseWake } from './precise-wake.ts';

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
 * All real clocks share one scheduler, so 64 sessions cost one wake-up source, not 64. It sleeps
 * until the earliest deadline on a PreciseWake (a helper thread's fine-grained sleep, not Node's
 * millisecond timers, not a spin), runs what is due, and asks for the next.
 */
class RealScheduler {
  private heap = new TimerHeap();
  readonly wake = new PreciseWake(() => this.runDue());
  private running = false;
  private immediate = false;

  add(t: Timer): void {
    this.heap.push(t);
    if (!this.running) this.arm();
  }

  private arm(): void {
    const next = this.heap.peek();
    if (next && next.tMs <= performance.now()) {
      // Already due (scheduled for now or the past): run it on this turn of the loop, after I/O.
      if (!this.immediate) {
        this.immediate = true;
        setImmediate(() => {
          this.immediate = false;
          this.runDue();
        });
      }
      return;
    }
    this.wake.set(next?.tMs);
  }

  private runDue(): void {
    this.running = true;
    for (;;) {
      const next = this.heap.peek();
      if (!next || next.tMs > performance.now()) break;
      this.heap.pop();
      if (next.cancelled) continue;
      try {
        const r = next.fn();
        if (r instanceof Promise) r.catch(reportTimerError);
      } catch (e) {
        reportTimerError(e);
      }
    }
    this.running = false;
    this.arm();
  }
}

function reportTimerError(e: unknown): void {
  // A throwing callback must not stop other sessions' timers; surface it loudly instead.
  process.emitWarning(`crosstalk: scheduled callback threw: ${e instanceof Error ? e.stack : String(e)}`);
}

const sharedScheduler = new RealScheduler();

/** Whether this thread's deadline wake-ups run in the real-time class (harness/priority.ts); undefined until known, or when not asked. */
export function liveWakeRealtime(): boolean | undefined {
  return sharedScheduler.wake.threadClass?.realtime;
}

/**
 * The origin for a new real-time session, spread over the frame period: sessions started
 * together (a run's first `--workers` sessions) would otherwise have every frame deadline fall
 * due at the same instant, and the last of 64 serial sends would always be late. `phaseMs` is
 * where in the period the deadlines fall on the machine's clock (performance.timeOrigin-based, as
 * `originEpochMs`), so phases given by one run (FramePhases) stay apart across its processes; by default successive calls step
 * through the period (a step co-prime with it). At most one period from now.
 */
let nextPhase = 0;
export function staggeredOrigin(periodMs: number, phaseMs?: number, now = performance.now()): number {
  let phase = phaseMs;
  if (phase === undefined) {
    phase = nextPhase;
    nextPhase = (nextPhase + 7) % periodMs;
  }
  const into = (performance.timeOrigin + now - phase) % periodMs;
  return now + ((periodMs - into) % periodMs);
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
