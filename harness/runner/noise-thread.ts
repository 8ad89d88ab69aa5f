/**
 * The noise floor thread: one worker per process (noise-worker.ts) draws the floors of all its
 * real-time sessions, each into its own ring in shared memory (noise-ring.ts) that it keeps a
 * few hundred ms ahead, so the frame step on the live loop only copies. The thread builds each
 * stream from its recipe and is the only one ever to draw from it. Like the other request
 * threads it holds the process open only while a request is pending.
 */
import type { NoiseRecipe } from '../media.ts';
import { liveNiceAsked } from '../priority.ts';
import { RequestThread } from '../request-thread.ts';
import type { NoiseFloor } from './noise-floor.ts';
import { allocateNoiseRing, NoiseRingReader, type NoiseRingBuffers } from './noise-ring.ts';

export type NoiseRequest =
  { op: 'open'; ring: number; recipe: NoiseRecipe; buffers: NoiseRingBuffers; wake: SharedArrayBuffer } | { op: 'close'; ring: number };

/**
 * A frame step waits this long at most for samples the thread has not drawn: far past any
 * scheduling hiccup (a ring holds a few hundred ms), so reaching it means the thread is stuck.
 */
const WAIT_LIMIT_MS = 2_000;

class NoiseThread {
  private readonly thread = new RequestThread<NoiseRequest, null>(new URL('./noise-worker-entry.mjs', import.meta.url), 'the noise floor thread', {
    // It keeps the live loop's frames supplied: the live loop's priority.
    nice: liveNiceAsked(),
  });
  private readonly wakeBuffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  /** Bumped and notified to make the thread top up every ring. */
  private readonly wake = new Int32Array(this.wakeBuffer);
  private nextRing = 0;

  get dead(): boolean {
    return this.thread.dead;
  }

  async open(recipe: NoiseRecipe, capacitySamples: number): Promise<NoiseFloor> {
    const ring = this.nextRing++;
    const buffers = allocateNoiseRing(capacitySamples);
    await this.thread.request({ op: 'open', ring, recipe, buffers, wake: this.wakeBuffer });
    const reader = new NoiseRingReader(buffers, this.topUp, WAIT_LIMIT_MS);
    return {
      take: (out) => reader.take(out),
      waits: reader.waits,
      // Closing is best effort: a thread that died has let go of the ring already.
      close: () => void this.thread.request({ op: 'close', ring }).catch(() => {}),
    };
  }

  private readonly topUp = (): void => {
    Atomics.add(this.wake, 0, 1);
    Atomics.notify(this.wake, 0);
  };
}

let shared: NoiseThread | undefined;

/** A floor drawn by this process's noise thread (started on first use, and again if it died), `capacitySamples` ahead. */
export function openInNoiseThread(recipe: NoiseRecipe, capacitySamples: number): Promise<NoiseFloor> {
  if (!shared || shared.dead) shared = new NoiseThread();
  return shared.open(recipe, capacitySamples);
}
