/**
 * Work off the event loop that paces live sessions: one worker thread, requests answered by id,
 * in any order. The worker holds the process open only while a request is pending (an idle
 * thread must not keep a finished run alive), and once it dies every pending and later request
 * fails at once instead of waiting forever.
 *
 * The worker's entry is a .mjs that registers tsx and imports the TypeScript worker (threads
 * start without the parent's loader). Its messages: `{ id, ...request }` in; `{ id, result }` or
 * `{ id, error }` out (serveRequests below does that side).
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { setThreadNice } from './priority.ts';

type Reply<R> = { id: number; result: R } | { id: number; error: string };

export class RequestThread<Q extends object, R> {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (r: R) => void; reject: (e: Error) => void }>();
  private failure: Error | undefined;

  /**
   * `what` names the thread in errors: "the speech synthesis thread". `nice`: the thread's
   * scheduling priority (harness/priority.ts), set by the thread itself; by default it keeps its
   * creator's.
   */
  constructor(entry: URL, what: string, opts: { nice?: number } = {}) {
    this.worker = new Worker(entry, { workerData: { nice: opts.nice } });
    this.worker.on('message', (reply: Reply<R>) => {
      const w = this.waiting.get(reply.id);
      if (!w) return;
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) this.worker.unref();
      if ('error' in reply) w.reject(new Error(reply.error));
      else w.resolve(reply.result);
    });
    this.worker.on('error', (e) => this.fail(new Error(`${what} failed: ${e.message}`)));
    this.worker.on('exit', (code) => this.fail(new Error(`${what} exited (code ${code})`)));
    // Unref after the listeners: adding a 'message' listener refs the port again.
    this.worker.unref();
  }

  request(q: Q, transfer: ArrayBuffer[] = []): Promise<R> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ ...q, id }, transfer);
    });
  }

  /** The worker has died (or was closed): nothing more is answered. */
  get dead(): boolean {
    return this.failure !== undefined;
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const w of this.waiting.values()) w.reject(this.failure);
    this.waiting.clear();
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

/** The worker's side: answer each request with `handle`; `transferOf` names buffers to move, not copy. */
export function serveRequests<Q, R>(handle: (q: Q) => R | Promise<R>, transferOf: (r: R) => ArrayBuffer[] = () => []): void {
  const port = parentPort;
  if (!port) throw new Error('this module runs as a worker thread (see harness/request-thread.ts)');
  // Nice is per thread: only the thread itself can set its own (a refusal leaves it as it was).
  const { nice } = (workerData ?? {}) as { nice?: number };
  if (nice !== undefined) setThreadNice(nice);
  port.on('message', (q: Q & { id: number }) => {
    Promise.resolve()
      .then(() => handle(q))
      .then(
        (result) => port.postMessage({ id: q.id, result } satisfies Reply<R>, transferOf(result)),
        (e: unknown) => port.postMessage({ id: q.id, error: e instanceof Error ? e.message : String(e) } satisfies Reply<R>),
      );
  });
}
