/**
 * The video stream on the session clock. Frame k is due at k / fps and goes out with the first
 * 20 ms audio tick at or after that time, so audio and video share one clock. A cue placed on
 * the timeline starts with the first frame not yet sent whose send time is at or after the
 * wanted time: its onset (the planted truth) is the moment the first frame showing it was sent.
 */
import type { CueKind } from '../scenario/schema.ts';
import type { VisibleCue } from '../media.ts';

export const DEFAULT_VIDEO_FPS = 2;

interface PlacedCue {
  id: string;
  kind: CueKind;
  startMs: number;
  endMs: number;
}

export class VideoSchedule {
  private readonly periodMs: number;
  private cues: PlacedCue[] = [];
  /** Index of the next frame to send. */
  private next = 0;

  constructor(
    readonly fps: number,
    private readonly tickMs: number,
  ) {
    this.periodMs = 1000 / fps;
  }

  /** Send time of frame k: the first tick at or after k / fps (ticks start at one tick). */
  sendMs(index: number): number {
    // The epsilon keeps k * period from landing a float hair past a tick (1000 / 3 * 3).
    return this.tickMs * Math.max(1, Math.ceil((index * this.periodMs) / this.tickMs - 1e-9));
  }

  /** Place a cue wanted at `atMs` for `lengthMs`; returns its onset (the first frame showing it). */
  placeCue(id: string, kind: CueKind, atMs: number, lengthMs: number): { startMs: number; endMs: number } {
    let k = this.next;
    while (this.sendMs(k) < atMs) k++;
    const startMs = this.sendMs(k);
    const cue = { id, kind, startMs, endMs: startMs + lengthMs };
    this.cues.push(cue);
    return cue;
  }

  /** The frame to send at the tick due at `tickDeadlineMs`, if one is due; advances the stream. */
  due(tickDeadlineMs: number): { index: number; cue: VisibleCue | null } | undefined {
    if (this.sendMs(this.next) > tickDeadlineMs) return undefined;
    const index = this.next++;
    const t = this.sendMs(index);
    // The latest-placed cue wins when two overlap; finished cues are dropped (bounded memory).
    this.cues = this.cues.filter((c) => c.endMs > t);
    const visible = this.cues.filter((c) => c.startMs <= t).pop();
    return { index, cue: visible ? { id: visible.id, kind: visible.kind, elapsedMs: t - visible.startMs } : null };
  }
}
