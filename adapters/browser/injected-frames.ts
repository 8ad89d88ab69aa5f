/**
 * The user frames the adapter handed to the page's injected microphone, until each went into the
 * stream: when it was sent (for the input latency in browser.stats) and its session time. The
 * injected microphone is the harness's instrument, not the page's: audio it got late or moved is
 * the harness's own timing error, kept here at the frame's session time for the runner
 * (AdapterSession.instrumentLateness, harness/runner/harness-error.ts).
 */
import type { InstrumentLateness } from '../../harness/adapter.ts';

export class InjectedFrames {
  /** Frames not yet in the stream, by sequence number: performance.now() at send and session time (ms). */
  private readonly pending = new Map<number, { sentMs: number; tMs: number }>();
  readonly lateness: InstrumentLateness[] = [];

  sent(seq: number, sentMs: number, tMs: number): void {
    this.pending.set(seq, { sentMs, tMs });
  }

  /** The frame went into the stream in its slot (mic.frame): when it was sent, if it was. */
  started(seq: number): number | undefined {
    const frame = this.pending.get(seq);
    this.pending.delete(seq);
    return frame?.sentMs;
  }

  /** The frame came after its slot and lost its first lateMs (mic.late). */
  late(seq: number, lateMs: number): void {
    this.count(seq, lateMs);
    this.pending.delete(seq);
  }

  /** The schedule moved at this frame: the frames before it had gone in movedMs from their place (mic.moved). */
  moved(seq: number, movedMs: number): void {
    this.count(seq, Math.abs(movedMs));
  }

  private count(seq: number, latenessMs: number): void {
    const frame = this.pending.get(seq);
    if (frame) this.lateness.push({ atMs: frame.tMs, latenessMs });
  }
}
