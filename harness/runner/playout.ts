/**
 * The playout buffer: agent audio is heard the way a real client hears it. Received audio is
 * queued and plays at real-time rate from the moment it arrives (or from the end of what is
 * already queued); a flush drops what has not been played yet. Sample positions are absolute
 * on the session timeline, so the agent channel of the recording is exactly what was played
 * and a burst that arrives faster than real time is spread out as a speaker would spread it.
 */
export interface FlushResult {
  /** Stream positions (ms of received agent audio since the session began); see PlayoutFlush. */
  playedMs: number;
  receivedMs: number;
  /** Audio that was queued but never played. */
  droppedMs: number;
}

interface Chunk {
  startSample: number;
  pcm: Int16Array;
  /** Stream position of the chunk's first sample, and the stream ms each sample stands for. */
  streamStartMs: number;
  streamMsPerSample: number;
}

export class PlayoutBuffer {
  private chunks: Chunk[] = [];
  /** End (exclusive) of everything queued, as a sample index on the session timeline. */
  private queuedEnd = 0;
  /** Samples before this index have been handed out as played. */
  private taken = 0;
  private receivedStreamMs = 0;

  constructor(readonly sampleRate: number) {}

  sampleAt(ms: number): number {
    return Math.round((ms * this.sampleRate) / 1000);
  }

  msAt(sample: number): number {
    return (sample * 1000) / this.sampleRate;
  }

  /** Is audio playing at `nowMs`? */
  isPlaying(nowMs: number): boolean {
    return this.queuedEnd > this.sampleAt(nowMs);
  }

  /** When playout will run dry if nothing else arrives, ms. */
  queuedEndMs(): number {
    return this.msAt(this.queuedEnd);
  }

  /**
   * Queue `pcm` (already at this buffer's rate) that arrived at `nowMs`. `sourceDurationMs` is
   * its length as received (before any resampling). Returns whether playout started with it.
   */
  enqueue(pcm: Int16Array, nowMs: number, sourceDurationMs: number): { started: boolean; startMs: number } {
    const now = Math.max(this.sampleAt(nowMs), this.taken);
    const started = this.queuedEnd <= now;
    const startSample = started ? now : this.queuedEnd;
    if (pcm.length > 0) {
      this.chunks.push({
        startSample,
        pcm,
        streamStartMs: this.receivedStreamMs,
        streamMsPerSample: sourceDurationMs / pcm.length,
      });
      this.queuedEnd = startSample + pcm.length;
    }
    this.receivedStreamMs += sourceDurationMs;
    return { started: started && pcm.length > 0, startMs: this.msAt(startSample) };
  }

  /** Drop everything not yet played at `nowMs`. */
  flush(nowMs: number): FlushResult {
    const cut = Math.max(this.sampleAt(nowMs), this.taken);
    let playedMs = this.receivedStreamMs;
    let droppedSamples = 0;
    const kept: Chunk[] = [];
    for (const c of this.chunks) {
      const end = c.startSample + c.pcm.length;
      if (end <= cut) {
        kept.push(c);
        continue;
      }
      if (c.startSample >= cut) {
        playedMs = Math.min(playedMs, c.streamStartMs);
        droppedSamples += c.pcm.length;
        continue;
      }
      const keep = cut - c.startSample;
      playedMs = Math.min(playedMs, c.streamStartMs + keep * c.streamMsPerSample);
      droppedSamples += c.pcm.length - keep;
      kept.push({ ...c, pcm: c.pcm.subarray(0, keep) });
    }
    this.chunks = kept;
    this.queuedEnd = Math.min(this.queuedEnd, cut);
    return { playedMs, receivedMs: this.receivedStreamMs, droppedMs: this.msAt(droppedSamples) };
  }

  /** Hand out the played samples [taken, uptoSample) with silence in gaps, and forget them. */
  take(uptoSample: number): Int16Array {
    const from = this.taken;
    if (uptoSample <= from) return new Int16Array(0);
    const out = new Int16Array(uptoSample - from);
    let consumed = 0;
    for (const c of this.chunks) {
      const end = c.startSample + c.pcm.length;
      const a = Math.max(c.startSample, from);
      const b = Math.min(end, uptoSample);
      if (b > a) out.set(c.pcm.subarray(a - c.startSample, b - c.startSample), a - from);
      if (end <= uptoSample) consumed++;
      else break;
    }
    this.chunks.splice(0, consumed);
    this.taken = uptoSample;
    return out;
  }
}
