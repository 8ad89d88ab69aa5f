/**
 * A wake-up at a sub-millisecond deadline without spinning. Node's timers have millisecond
 * granularity and fire 1-2 ms late; finishing the wait by spinning the event loop costs a core
 * while it spins, and on a busy machine a spinning thread has used up its share, so the kernel
 * lets other work run ahead of it for milliseconds at a time. Instead a helper thread sleeps in
 * the kernel until the deadline (Atomics.wait: a futex with a fine timeout) and posts a message;
 * the caller's event loop sleeps in epoll until that message or I/O arrives. A sleeping thread
 * that wakes is run promptly, ahead of CPU-bound work at its priority or below.
 *
 * The helper thread starts on the first ask, inherits its creator's scheduling priority (Linux
 * nice is per thread, inherited at creation: harness/priority.ts) and then asks for the real-time
 * class (WAKE_RT_PRIORITY, unless CROSSTALK_LIVE_NICE=0 leaves priorities alone), so its wake-up
 * never queues behind other threads; it holds the process open only while an ask is pending. If
 * it dies, asks fall back to setTimeout (with a warning): late wake-ups, never lost ones.
 */
import { Worker } from 'node:worker_threads';
import { liveNiceAsked, setThreadRealtime, WAKE_RT_PRIORITY, type ThreadClass } from './priority.ts';

export class PreciseWake {
  private thread: Worker | undefined;
  private shared: { ask: Int32Array; deadline: Float64Array } | undefined;
  private fallback: NodeJS.Timeout | undefined;
  private failed = false;
  private held = false;
  /** The deadline the thread is sleeping towards (undefined: none, or already posted). */
  private pendingMs: number | undefined;
  /** The thread's scheduling class once the system has answered; undefined before, or when not asked. */
  threadClass: ThreadClass | undefined;
  /** The helper thread's Linux thread id, once it has said (undefined elsewhere). */
  threadId: number | undefined;

  /** `onWake` runs on this thread's event loop, at or just after each deadline asked for. */
  constructor(private readonly onWake: () => void) {}

  /**
   * Wake at `atMs` (this thread's performance.now()), replacing any earlier ask; undefined
   * cancels. One wake per ask.
   */
  set(atMs: number | undefined): void {
    if (atMs === this.pendingMs) return;
    this.pendingMs = atMs;
    if (this.failed) return this.setFallback(atMs);
    const s = this.shared ?? this.start();
    s.deadline[0] = atMs ?? Infinity;
    Atomics.add(s.ask, 0, 1);
    Atomics.notify(s.ask, 0);
    this.holdProcess(atMs !== undefined);
  }

  /** Keep the process open while a wake is pending, as a pending setTimeout would. */
  private holdProcess(hold: boolean): void {
    if (hold === this.held) return;
    this.held = hold;
    if (hold) this.thread?.ref();
    else this.thread?.unref();
  }

  private start(): { ask: Int32Array; deadline: Float64Array } {
    const shared = new SharedArrayBuffer(16);
    this.shared = { ask: new Int32Array(shared, 0, 2), deadline: new Float64Array(shared, 8, 1) };
    this.shared.deadline[0] = Infinity;
    // No execArgv: the thread is plain JavaScript and must not inherit flags meant for its creator's entry (--input-type, loaders).
    const thread = new Worker(new URL('./precise-wake-thread.mjs', import.meta.url), {
      workerData: { shared, creatorTimeOrigin: performance.timeOrigin },
      execArgv: [],
    });
    thread.on('message', (m: number | { tid: number }) => {
      if (typeof m === 'object') {
        this.threadId = m.tid;
        return this.askRealtime(m.tid);
      }
      const askSeen = m;
      // A message for an ask since replaced is a spare wake: harmless, the caller re-asks.
      if (this.shared && askSeen === Atomics.load(this.shared.ask, 0)) this.pendingMs = undefined;
      this.onWake();
      if (this.pendingMs === undefined) this.holdProcess(false);
    });
    const die = (why: string) => {
      if (this.failed) return;
      this.failed = true;
      process.emitWarning(`crosstalk: the precise-wake thread ${why}; timers now use setTimeout (up to 2 ms late)`);
      this.setFallback(this.pendingMs);
    };
    thread.on('error', (e) => die(`failed: ${e.message}`));
    thread.on('exit', (code) => die(`exited (code ${code})`));
    // Unref after the listeners (a 'message' listener refs the port); holdProcess refs it while an ask is pending.
    thread.unref();
    this.thread = thread;
    return this.shared;
  }

  private askRealtime(tid: number): void {
    let asked: boolean;
    try {
      asked = liveNiceAsked() !== undefined;
    } catch {
      asked = false; // a bad CROSSTALK_LIVE_NICE is reported where a run starts; here, leave the class alone
    }
    if (asked) void setThreadRealtime(tid, WAKE_RT_PRIORITY).then((c) => (this.threadClass = c));
  }

  private setFallback(atMs: number | undefined): void {
    if (this.fallback) clearTimeout(this.fallback);
    this.fallback = undefined;
    if (atMs === undefined) return;
    // A timer counts from the loop's cached millisecond clock, so it can fire early by as long as
    // the current turn of the loop has run: never wake before the deadline, wait out the rest.
    const arm = () => {
      this.fallback = setTimeout(
        () => {
          if (performance.now() < atMs) return arm();
          this.fallback = undefined;
          this.pendingMs = undefined;
          this.onWake();
        },
        Math.ceil(atMs - performance.now()),
      );
    };
    arm();
  }

  /** Stop the helper thread (tests: shows the fallback). */
  async stopThread(): Promise<void> {
    await this.thread?.terminate();
  }
}
