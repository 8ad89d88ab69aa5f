/**
 * A noise floor's next samples in shared memory: one writer (the noise thread, which alone draws
 * from the stream) keeps the ring full, one reader (the session's frame step) copies out of it.
 * The count of samples buffered is the one shared index (Atomics): the writer adds what it
 * wrote, the reader subtracts what it took, and each keeps its own position. A reader that finds
 * too few samples waits for the writer (Atomics.wait, bounded) and counts the wait: the harness
 * itself held the frame back.
 */

/** The ring's memory, as sent to the noise thread. */
export interface NoiseRingBuffers {
  samples: SharedArrayBuffer;
  /** Int32 [COUNT, READ_AT, WRITE_AT]. */
  control: SharedArrayBuffer;
}

/** Samples buffered (both sides). */
const COUNT = 0;
/** Index of the oldest buffered sample (the reader's alone). */
const READ_AT = 1;
/** Index the next sample is written at (the writer's alone). */
const WRITE_AT = 2;

export function allocateNoiseRing(capacitySamples: number): NoiseRingBuffers {
  if (!(capacitySamples >= 1)) throw new RangeError(`noise ring of ${capacitySamples} samples`);
  return { samples: new SharedArrayBuffer(capacitySamples * Float32Array.BYTES_PER_ELEMENT), control: new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT) };
}

/** The noise thread's side. */
export class NoiseRingWriter {
  private readonly ring: Float32Array;
  private readonly control: Int32Array;

  constructor(buffers: NoiseRingBuffers) {
    this.ring = new Float32Array(buffers.samples);
    this.control = new Int32Array(buffers.control);
  }

  /** Space left, samples. */
  get free(): number {
    return this.ring.length - Atomics.load(this.control, COUNT);
  }

  /** Append `samples` (at most `free` of them) and wake a waiting reader. */
  write(samples: Float32Array): void {
    const at = this.control[WRITE_AT];
    const first = Math.min(samples.length, this.ring.length - at);
    this.ring.set(samples.subarray(0, first), at);
    this.ring.set(samples.subarray(first), 0);
    this.control[WRITE_AT] = (at + samples.length) % this.ring.length;
    // The samples above are visible to a reader that sees the new count (Atomics order them).
    Atomics.add(this.control, COUNT, samples.length);
    Atomics.notify(this.control, COUNT);
  }
}

/** Times the reader waited for the writer, and how long in all. */
export interface NoiseWaits {
  count: number;
  totalMs: number;
}

/** The frame step's side. */
export class NoiseRingReader {
  private readonly ring: Float32Array;
  private readonly control: Int32Array;
  readonly waits: NoiseWaits = { count: 0, totalMs: 0 };

  /**
   * `refill` is called when a take leaves the ring half empty or less (and before a wait), to
   * wake the writer; a wait longer than `waitLimitMs` throws.
   */
  constructor(
    buffers: NoiseRingBuffers,
    private readonly refill: () => void,
    private readonly waitLimitMs: number,
  ) {
    this.ring = new Float32Array(buffers.samples);
    this.control = new Int32Array(buffers.control);
  }

  /** Samples drawn and not taken yet. */
  get buffered(): number {
    return Atomics.load(this.control, COUNT);
  }

  /** The stream's next `out.length` samples, into `out`. */
  take(out: Float32Array): void {
    const n = out.length;
    if (n > this.ring.length) throw new RangeError(`a take of ${n} samples from a noise ring of ${this.ring.length}`);
    if (this.buffered < n) this.waitFor(n);
    const at = this.control[READ_AT];
    const first = Math.min(n, this.ring.length - at);
    out.set(this.ring.subarray(at, at + first));
    out.set(this.ring.subarray(0, n - first), first);
    this.control[READ_AT] = (at + n) % this.ring.length;
    const left = Atomics.sub(this.control, COUNT, n) - n;
    if (left <= this.ring.length / 2) this.refill();
  }

  private waitFor(n: number): void {
    this.refill();
    const start = performance.now();
    for (let count = this.buffered; count < n; count = this.buffered) {
      const waitedMs = performance.now() - start;
      if (waitedMs >= this.waitLimitMs)
        throw new Error(`the noise floor thread drew no samples for ${this.waitLimitMs} ms (${count} of the ${n} due are ready): it is stuck or gone`);
      Atomics.wait(this.control, COUNT, count, this.waitLimitMs - waitedMs);
    }
    this.waits.count++;
    this.waits.totalMs += performance.now() - start;
  }
}
