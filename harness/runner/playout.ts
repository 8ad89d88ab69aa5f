/**
 * The playout buffer: agent audio is heard the way a real client hears it. Received audio is
 * queued and plays at real-time rate from the moment it arrives (or from the end of what is
 * already queued); a flush drops what has not been played yet. Sample positions are absolute
 * on the session timeline, so the agent channel of the recording is exactly what was played
 * and a burst that arrives faster than real time is spread out as a speaker would spread it.
 *
 * Jitter: the target delay is zero (a sample plays when it arrives, or when the one before it
 * has played). When a stream that is still going runs dry for a moment (an underrun: the agent
 * sent late, or the harness read late) and resumes, everything after the gap would play late
 * by the gap, and gap upon gap would pile up into every later latency. So, as WebRTC's NetEQ
 * does, the shift an underrun leaves behind is owed, and paid back by dropping received
 * silence until the stream is back on its own clock. Speech is never dropped or moved earlier
 * than it arrived: an agent that sends late is still heard late. A gap longer than
 * MAX_UNDERRUN_GAP_MS is a new talkspurt, not jitter: it owes nothing.
 */
import { msToSamples, samplesToMs } from '../audio/units.ts';

/** A dry spell up to this long inside a stream counts as an underrun (jitter), ms. */
export const MAX_UNDERRUN_GAP_MS = 200;
/** A received stretch is silence (may be dropped to catch up) when its RMS is at most this, dBFS. */
const CATCH_UP_SILENCE_DBFS = -45;

interface FlushResult {
  /** Stream positions (ms of received agent audio since the session began); see PlayoutFlush. */
  playedMs: number;
  receivedMs: number;
  /** Audio that was queued but never played. */
  droppedMs: number;
}

/** What the playout did to keep the agent's stream on its own clock, for the recording. */
export interface PlayoutStats {
  /** Times the stream ran dry and resumed within MAX_UNDERRUN_GAP_MS. */
  underruns: number;
  /** Their gaps added up, ms: delay the stream (agent or harness) put into later audio. */
  underrunMs: number;
  /** Received silence dropped to pay the gaps back, ms. */
  catchUpMs: number;
  /** Shift still owed when the session ended, ms. */
  owedAtEndMs: number;
}

interface Chunk {
  startSample: number;
  pcm: Int16Array;
  /** Stream position of the chunk's first sample, and the stream ms each sample stands for. */
  streamStartMs: number;
  streamMsPerSample: number;
}

const SILENCE_MEAN_SQUARE = (32768 * 10 ** (CATCH_UP_SILENCE_DBFS / 20)) ** 2;

function isSilence(pcm: Int16Array): boolean {
  let sum = 0;
  for (const x of pcm) sum += x * x;
  return pcm.length > 0 && sum / pcm.length <= SILENCE_MEAN_SQUARE;
}

export class PlayoutBuffer {
  private chunks: Chunk[] = [];
  /** End (exclusive) of everything queued, as a sample index on the session timeline. */
  private queuedEndSample = 0;
  /** Samples before this index have been handed out as played. */
  private takenSample = 0;
  private receivedStreamMs = 0;
  /** Underrun shift not yet paid back, samples. */
  private owedSamples = 0;
  private underruns = 0;
  private underrunSamples = 0;
  private catchUpSamples = 0;

  constructor(readonly sampleRate: number) {}

  sampleAt(ms: number): number {
    return msToSamples(ms, this.sampleRate);
  }

  /** Is audio playing at `nowMs`? */
  isPlaying(nowMs: number): boolean {
    return this.queuedEndSample > this.sampleAt(nowMs);
  }

  /** When playout will run dry if nothing else arrives, ms. */
  queuedEndMs(): number {
    return samplesToMs(this.queuedEndSample, this.sampleRate);
  }

  /** Underrun shift not yet paid back, ms. */
  owedMs(): number {
    return samplesToMs(this.owedSamples, this.sampleRate);
  }

  stats(): PlayoutStats {
    const ms = (n: number) => samplesToMs(n, this.sampleRate);
    return { underruns: this.underruns, underrunMs: ms(this.underrunSamples), catchUpMs: ms(this.catchUpSamples), owedAtEndMs: ms(this.owedSamples) };
  }

  /**
   * Queue `pcm` (already at this buffer's rate) that arrived at `nowMs`. `sourceDurationMs` is
   * its length as received (before any resampling). Returns whether playout started with it.
   */
  enqueue(pcm: Int16Array, nowMs: number, sourceDurationMs: number): { started: boolean; startMs: number } {
    const now = Math.max(this.sampleAt(nowMs), this.takenSample);
    const started = this.queuedEndSample <= now;
    if (started && pcm.length > 0) this.noteDrySpell(now - this.queuedEndSample);
    const startSample = started ? now : this.queuedEndSample;
    const streamMsPerSample = pcm.length > 0 ? sourceDurationMs / pcm.length : 0;
    const dropped = this.owedSamples > 0 && isSilence(pcm) ? Math.min(this.owedSamples, pcm.length) : 0;
    this.owedSamples -= dropped;
    this.catchUpSamples += dropped;
    const kept = pcm.subarray(dropped);
    if (kept.length > 0) {
      this.chunks.push({ startSample, pcm: kept, streamStartMs: this.receivedStreamMs + dropped * streamMsPerSample, streamMsPerSample });
      this.queuedEndSample = startSample + kept.length;
    }
    this.receivedStreamMs += sourceDurationMs;
    return { started: started && kept.length > 0, startMs: samplesToMs(startSample, this.sampleRate) };
  }

  /** The queue was dry for `gapSamples` when audio arrived: jitter inside a stream, or a new talkspurt. */
  private noteDrySpell(gapSamples: number): void {
    const inStream = this.receivedStreamMs > 0 && gapSamples > 0 && gapSamples <= this.sampleAt(MAX_UNDERRUN_GAP_MS);
    if (!inStream) {
      if (gapSamples > 0) this.owedSamples = 0;
      return;
    }
    this.underruns++;
    this.underrunSamples += gapSamples;
    this.owedSamples += gapSamples;
  }

  /** Drop everything not yet played at `nowMs`. */
  flush(nowMs: number): FlushResult {
    const cut = Math.max(this.sampleAt(nowMs), this.takenSample);
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
    this.queuedEndSample = Math.min(this.queuedEndSample, cut);
    // What follows a flush is a new answer: nothing is owed across it.
    this.owedSamples = 0;
    return { playedMs, receivedMs: this.receivedStreamMs, droppedMs: samplesToMs(droppedSamples, this.sampleRate) };
  }

  /** Hand out the played samples [taken, uptoSample) with silence in gaps, and forget them. */
  take(uptoSample: number): Int16Array {
    const from = this.takenSample;
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
    this.takenSample = uptoSample;
    return out;
  }
}
