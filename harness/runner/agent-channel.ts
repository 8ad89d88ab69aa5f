/**
 * The agent's side of a session: adapter events in, played audio and speech changes out.
 * Audio is stamped with the session clock when it arrives, resampled to the session rate and
 * queued for playout; each frame the audio played up to now is taken into the recording and
 * the online VAD, whose onsets and offsets go to whoever drives reactive actions. Barge-in
 * flushes, transcripts, vendor and network events, and errors are recorded as they come.
 */
import type { Clock } from '../clock.ts';
import type { AdapterEvent } from '../adapter.ts';
import type { RecordingEvent } from '../recording/events.ts';
import type { RecordingWriter } from '../recording/writer.ts';
import { StreamingVad, type VadChange } from '../vad/energy.ts';
import { StreamResampler } from '../audio/stream-resampler.ts';
import { samplesToMs } from '../audio/units.ts';
import { PlayoutBuffer } from './playout.ts';

/** A vendor-supplied rate outside this range would make resampling meaningless, Hz. */
const MIN_AGENT_RATE_HZ = 1000;
const MAX_AGENT_RATE_HZ = 384_000;

interface AgentChannelParts {
  clock: Clock;
  sampleRate: number;
  writer: RecordingWriter;
  record: (e: RecordingEvent) => void;
  /** The agent's played speech started or stopped. */
  onSpeech: (changes: VadChange[]) => void;
  /** A flush the agent asked for; told to adapters that truncate what the user heard. */
  onFlushed?: (f: { playedMs: number; receivedMs: number }) => void;
  /** The agent failed or closed the session. */
  onFatal: (message: string) => void;
  /** Every played chunk, in order from sample 0 (the echo path, harness/runner/echo-path.ts). */
  onPlayed?: (played: Int16Array) => void;
}

export class AgentChannel {
  readonly playout: PlayoutBuffer;
  private readonly vad: StreamingVad;
  private readonly resamplers = new Map<number, StreamResampler>();
  /** Underrun shift still owed when each played onset was found, ms (harness or agent jitter). */
  readonly owedAtOnsetMs: number[] = [];

  constructor(private readonly p: AgentChannelParts) {
    this.playout = new PlayoutBuffer(p.sampleRate);
    this.vad = new StreamingVad(p.sampleRate);
  }

  /** One adapter event, stamped now. */
  receive(e: AdapterEvent): void {
    const { clock, record } = this.p;
    const t = clock.nowMs();
    switch (e.type) {
      case 'audio':
        this.audio(e.pcm, e.sampleRate, t);
        break;
      case 'interrupted': {
        const wasPlaying = this.playout.isPlaying(t);
        const f = this.playout.flush(t);
        record({ type: 'playout.flush', t, ...f, reason: e.reason });
        if (wasPlaying) record({ type: 'playout.stop', t });
        this.p.onFlushed?.({ playedMs: f.playedMs, receivedMs: f.receivedMs });
        break;
      }
      case 'transcript':
        record({ type: 'transcript', t, role: e.role, text: e.text, final: e.final });
        break;
      case 'vendor':
        record({ type: 'vendor', t, name: e.name, payload: e.payload });
        break;
      case 'network':
        record({ type: 'network', t, name: e.name, valueMs: e.valueMs });
        break;
      case 'error':
        record({ type: 'adapter.error', t, message: e.message, recoverable: e.recoverable, code: e.code });
        if (!e.recoverable) this.p.onFatal(e.message);
        break;
      case 'closed':
        record({ type: 'vendor', t, name: 'closed', payload: { reason: e.reason } });
        this.p.onFatal(`the system closed the session: ${e.reason}`);
        break;
    }
  }

  private audio(pcm: Int16Array, sampleRate: number, t: number): void {
    const { clock, record } = this.p;
    if (!(Number.isInteger(sampleRate) && sampleRate >= MIN_AGENT_RATE_HZ && sampleRate <= MAX_AGENT_RATE_HZ)) {
      record({
        type: 'adapter.error',
        t,
        message: `agent audio at an impossible sample rate (${sampleRate} Hz) dropped`,
        recoverable: true,
        code: 'bad_sample_rate',
      });
      return;
    }
    let resampler = this.resamplers.get(sampleRate);
    if (!resampler) this.resamplers.set(sampleRate, (resampler = new StreamResampler(sampleRate, this.p.sampleRate)));
    const durationMs = samplesToMs(pcm.length, sampleRate);
    record({ type: 'agent.audio', t, samples: pcm.length, sampleRate, durationMs });
    const { started, startMs } = this.playout.enqueue(resampler.push(pcm), t, durationMs);
    if (started) record({ type: 'playout.start', t: startMs });
    const endMs = this.playout.queuedEndMs();
    clock.at(endMs, () => {
      if (!this.playout.isPlaying(clock.nowMs()) && this.playout.queuedEndMs() === endMs) record({ type: 'playout.stop', t: endMs });
    });
  }

  /** Take the audio played up to `nowMs` into the recording and the VAD. */
  playUntil(nowMs: number): void {
    const played = this.playout.take(this.playout.sampleAt(nowMs));
    this.p.writer.agent(played);
    this.p.onPlayed?.(played);
    this.speech(this.vad.push(played));
  }

  /** The session is over: what is still queued is never heard. */
  close(nowMs: number): void {
    this.playUntil(nowMs);
    this.speech(this.vad.flush());
  }

  private speech(changes: VadChange[]): void {
    for (const c of changes) if (c.type === 'onset') this.owedAtOnsetMs.push(this.playout.owedMs());
    if (changes.length > 0) this.p.onSpeech(changes);
  }
}
