/**
 * Hands what the page played to the runner at the moment it was played.
 *
 * The page stamps each chunk with the time its first sample reaches the page's audio output;
 * mapped onto the session clock, that is when a user of the page heard it. The runner's
 * playout buffer starts audio when it receives it, so a chunk that arrives before its play
 * time (the usual case: browsers render audio some tens of ms ahead of output) is held until
 * then, and one that arrives after it is emitted at once. The residual, emission time minus
 * play time, is kept: it is this adapter's output-timing error.
 */
import type { AdapterEvent } from '../../harness/adapter.ts';
import type { Clock } from '../../harness/clock.ts';
import { distMs, type DistMs } from './dist.ts';

interface PlayedAudioStats {
  chunks: number;
  /** Chunks that arrived after their play time (emitted late by the arrival delay). */
  lateChunks: number;
  /** Emission minus play time, ms (>= 0): the error of the agent channel's timing. */
  emitLateMs: DistMs;
  /** How far ahead of its play time a chunk arrived (negative: late), ms. */
  arrivalLeadMs: DistMs;
}

export class PlayedAudio {
  private readonly late: number[] = [];
  private readonly lead: number[] = [];
  private lateChunks = 0;

  constructor(
    private readonly clock: Clock,
    private readonly emit: (e: AdapterEvent) => void,
  ) {}

  /** A chunk whose first sample was played at `playedAtMs` on the session clock. */
  push(pcm: Int16Array, sampleRate: number, playedAtMs: number): void {
    const nowMs = this.clock.nowMs();
    this.lead.push(playedAtMs - nowMs);
    const send = () => {
      this.late.push(Math.max(0, this.clock.nowMs() - playedAtMs));
      this.emit({ type: 'audio', pcm, sampleRate });
    };
    if (playedAtMs > nowMs) {
      this.clock.at(playedAtMs, send);
    } else {
      this.lateChunks++;
      send();
    }
  }

  stats(): PlayedAudioStats {
    return { chunks: this.lead.length, lateChunks: this.lateChunks, emitLateMs: distMs(this.late), arrivalLeadMs: distMs(this.lead) };
  }
}
