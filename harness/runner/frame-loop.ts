/**
 * The session's heartbeat: at every 20 ms frame deadline on the session clock, send the next
 * user frame (and any video frame due), take the agent audio played up to now, and sample the
 * harness's memory once a minute. Deadlines are absolute, so a late frame does not push the
 * next one back; how late each frame went out is kept, as that is harness-made error. In
 * virtual time each step awaits the adapter, so runs are identical.
 */
import type { Clock } from '../clock.ts';
import type { AdapterSession } from '../adapter.ts';
import type { RecordingEvent } from '../recording/events.ts';
import type { RecordingWriter } from '../recording/writer.ts';
import type { StreamResampler } from '../audio/stream-resampler.ts';
import type { AgentChannel } from './agent-channel.ts';
import type { UserTrack } from './user-track.ts';
import type { VideoSchedule } from './video-stream.ts';
import type { VideoTrack } from '../media.ts';

/** The harness samples its own memory this often (session time) into the recording. */
const HARNESS_SAMPLE_MS = 60_000;
/**
 * Events reach the disk this often (frames), as the audio does (recording/wav.ts, about half a
 * second): a write per frame per session was the live loop's largest cost at 64 sessions.
 */
const FLUSH_EVERY_FRAMES = 25;

interface FrameLoopParts {
  clock: Clock;
  frameMs: number;
  track: UserTrack;
  writer: RecordingWriter;
  record: (e: RecordingEvent) => void;
  session: AdapterSession;
  /** Set when the adapter takes user audio at another rate. */
  userResampler?: StreamResampler;
  agent: AgentChannel;
  video?: { schedule: VideoSchedule; track: VideoTrack };
  /** The adapter takes video frames (the stream advances either way, so cue onsets do not depend on it). */
  acceptsVideo: boolean;
  /** The session's end time as it stands now, ms. */
  endAtMs: () => number;
  ended: () => boolean;
  /** The last frame is out: the session is complete. */
  onComplete: () => void;
  /** A step threw (`inStep`), or a send failed in real time. */
  onFailure: (message: string, inStep: boolean) => void;
}

export class FrameLoop {
  /** How late each frame went out behind its deadline, ms. */
  readonly latenessMs: number[] = [];
  private seq = 0;
  private readonly frameSamples: number;

  constructor(private readonly p: FrameLoopParts) {
    this.frameSamples = (p.track.sampleRate * p.frameMs) / 1000;
  }

  start(): void {
    this.p.clock.at(this.p.frameMs, () => this.tick());
  }

  // A step that throws (an adapter bug, a codec crash) ends the session as errored; left alone
  // it would stop the tick chain and the session would never end.
  private async tick(): Promise<void> {
    try {
      await this.step();
    } catch (e) {
      this.p.onFailure(`session step failed: ${e instanceof Error ? e.message : String(e)}`, true);
    }
  }

  private async step(): Promise<void> {
    const { clock, frameMs, record, session, writer } = this.p;
    if (this.p.ended()) return;
    const seq = this.seq++;
    const deadlineMs = (seq + 1) * frameMs;
    const now = clock.nowMs();
    this.latenessMs.push(now - deadlineMs);
    const frame = this.p.track.nextFrame(this.frameSamples);
    writer.user(frame);
    record({ type: 'frame.sent', t: now, seq, deadlineMs });
    const sent = session.sendAudio(this.p.userResampler ? this.p.userResampler.push(frame) : frame, now);
    this.p.agent.playUntil(now);
    if (deadlineMs % HARNESS_SAMPLE_MS === 0) {
      const m = process.memoryUsage();
      record({ type: 'harness.sample', t: now, rssBytes: m.rss, heapUsedBytes: m.heapUsed });
    }
    if (deadlineMs >= this.p.endAtMs()) {
      this.p.onComplete();
      return;
    }
    clock.at(deadlineMs + frameMs, () => this.tick());
    const sentVideo = this.sendVideo(deadlineMs, now);
    for (const pending of [sent, sentVideo]) {
      if (!(pending instanceof Promise)) continue;
      if (clock.mode === 'virtual') await pending;
      else pending.catch((e) => this.p.onFailure(e instanceof Error ? e.message : String(e), false));
    }
    if (seq % FLUSH_EVERY_FRAMES === 0) writer.flushEvents();
  }

  /** The video frame due at this tick, sent to adapters that accept video. */
  private sendVideo(deadlineMs: number, now: number): void | Promise<void> {
    const { video, session, record } = this.p;
    const due = video?.schedule.due(deadlineMs);
    if (!due || !this.p.acceptsVideo) return;
    const jpeg = video!.track.frame(due.index, due.cue);
    record({ type: 'video.frame', t: now, index: due.index, cue: due.cue?.id ?? null });
    return session.sendVideoFrame!(jpeg, now);
  }
}
