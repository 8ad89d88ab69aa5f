/**
 * Streaming sample-rate conversion for audio crossing the adapter boundary in chunks
 * (user frames to a 24 kHz vendor, 24 kHz vendor audio into the 16 kHz recording).
 *
 * Linear interpolation with state carried across chunks, so chunk boundaries add no clicks
 * and the output length tracks the input exactly over a stream (no drift). It is not a
 * mastering-grade filter (a little aliasing above ~6 kHz on 24->16 kHz); timing, which is what
 * crosstalk measures, is exact to the sample.
 */
export class StreamResampler {
  /** Input samples consumed so far (the position of `prev`'s successor). */
  private inCount = 0;
  /** Output samples produced so far. */
  private outCount = 0;
  private prev = 0;

  constructor(
    readonly fromRate: number,
    readonly toRate: number,
  ) {}

  push(pcm: Int16Array): Int16Array {
    if (this.fromRate === this.toRate) return pcm;
    const ratio = this.fromRate / this.toRate;
    const endIn = this.inCount + pcm.length;
    const out: number[] = [];
    for (;;) {
      // Position of the next output sample on the input timeline.
      const pos = this.outCount * ratio;
      if (pos > endIn - 1) break;
      const i = Math.floor(pos);
      const frac = pos - i;
      const a = i - this.inCount < 0 ? this.prev : pcm[i - this.inCount];
      const b = i + 1 - this.inCount < 0 ? this.prev : (pcm[i + 1 - this.inCount] ?? a);
      out.push(Math.round(a + (b - a) * frac));
      this.outCount++;
    }
    if (pcm.length > 0) this.prev = pcm[pcm.length - 1];
    this.inCount = endIn;
    return Int16Array.from(out);
  }
}
