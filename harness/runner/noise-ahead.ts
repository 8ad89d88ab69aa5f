/**
 * A noise floor drawn ahead of the frame step. Drawing a floor sample is a Gaussian draw and a
 * filter step (datasets/noise.ts), the largest cost of a frame step after the send; NoiseAhead
 * keeps a bounded FIFO of the stream's next samples, topped up by fill() in the slack between
 * frames (frame-loop.ts), so the step itself only copies. take() hands out exactly the stream's
 * samples in order whatever the fills were: the buffered ones first, then, when the fills fell
 * behind (or there were none: virtual time), the rest drawn on the spot.
 */
import type { NoiseStream } from '../media.ts';

export class NoiseAhead {
  private readonly ring: Float32Array;
  /** Index in `ring` of the oldest buffered sample. */
  private head = 0;
  private count = 0;

  constructor(
    private readonly stream: NoiseStream,
    capacitySamples: number,
  ) {
    if (!(capacitySamples >= 1)) throw new RangeError(`noise buffer of ${capacitySamples} samples`);
    this.ring = new Float32Array(capacitySamples);
  }

  /** Samples drawn and not handed out yet. */
  get buffered(): number {
    return this.count;
  }

  /** Draw the stream's next samples until the buffer is full. */
  fill(): void {
    const want = this.ring.length - this.count;
    if (want === 0) return;
    const drawn = this.stream.next(want);
    const tail = (this.head + this.count) % this.ring.length;
    const first = Math.min(want, this.ring.length - tail);
    this.ring.set(drawn.subarray(0, first), tail);
    this.ring.set(drawn.subarray(first), 0);
    this.count += want;
  }

  /** The stream's next `out.length` samples, into `out`. */
  take(out: Float32Array): void {
    const fromRing = Math.min(out.length, this.count);
    const first = Math.min(fromRing, this.ring.length - this.head);
    out.set(this.ring.subarray(this.head, this.head + first));
    out.set(this.ring.subarray(0, fromRing - first), first);
    this.head = (this.head + fromRing) % this.ring.length;
    this.count -= fromRing;
    if (fromRing < out.length) out.set(this.stream.next(out.length - fromRing), fromRing);
  }
}
