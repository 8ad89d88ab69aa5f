/**
 * A minimal stand-in for the runner's playout buffer, for adapter tests: received agent audio
 * plays at real-time rate from its arrival; a flush skips what was not played. Positions are
 * on the stream of received audio, as in PlayoutFlush.
 */
import type { PlayoutFlush } from '../../../harness/adapter.ts';

export class PlayoutModel {
  private receivedMs = 0;
  private playedMs = 0;
  private lastMs = 0;

  /** Audio of `durationMs` arrived at clock time `tMs`. */
  receive(tMs: number, durationMs: number): void {
    this.advance(tMs);
    this.receivedMs += durationMs;
  }

  /** Flush at clock time `tMs`: what the runner would hand to playoutFlushed. */
  flush(tMs: number): PlayoutFlush {
    this.advance(tMs);
    const flush = { playedMs: this.playedMs, receivedMs: this.receivedMs };
    this.playedMs = this.receivedMs;
    return flush;
  }

  private advance(tMs: number): void {
    const buffered = this.receivedMs - this.playedMs;
    if (buffered > 0) this.playedMs += Math.min(buffered, tMs - this.lastMs);
    this.lastMs = tMs;
  }
}
