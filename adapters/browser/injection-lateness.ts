/**
 * Where the page's injected microphone put the user's audio late or out of place, on the
 * session clock. The injected microphone is the harness's instrument, not the page's: audio it
 * lost or moved is the harness's own timing error, which the runner counts next to its own
 * frame lateness (AdapterSession.instrumentLateness, harness/runner/harness-error.ts).
 */
import type { InstrumentLateness } from '../../harness/adapter.ts';

export class InjectionLateness {
  /** Session time of each user frame not yet accounted for, by sequence number (ms). */
  private readonly frameAtMs = new Map<number, number>();
  readonly samples: InstrumentLateness[] = [];

  sent(seq: number, tMs: number): void {
    this.frameAtMs.set(seq, tMs);
  }

  /** The frame went into the stream in its slot (mic.frame). */
  started(seq: number): void {
    this.frameAtMs.delete(seq);
  }

  /** The frame came after its slot and lost its first lateMs (mic.late). */
  late(seq: number, lateMs: number): void {
    this.count(seq, lateMs);
    this.frameAtMs.delete(seq);
  }

  /** The schedule moved at this frame: the frames before it had gone in movedMs from their place (mic.moved). */
  moved(seq: number, movedMs: number): void {
    this.count(seq, Math.abs(movedMs));
  }

  private count(seq: number, latenessMs: number): void {
    const atMs = this.frameAtMs.get(seq);
    if (atMs !== undefined) this.samples.push({ atMs, latenessMs });
  }
}
