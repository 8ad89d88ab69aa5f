/**
 * Writes one session's recording as it happens: events.jsonl (header first) and audio.wav
 * (left: user as sent, right: agent as played). Both stream to disk, so a long session holds
 * only a few seconds in memory and a crash loses at most the last unflushed moment.
 */
import { appendFileSync, mkdirSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { StereoWavWriter } from './wav.ts';
import type { RecordingEvent, RecordingHeader } from './events.ts';

export const EVENTS_FILE = 'events.jsonl';
export const AUDIO_FILE = 'audio.wav';

export class RecordingWriter {
  private eventsFd: number;
  private lines: string[] = [];
  private wav: StereoWavWriter;
  /** Samples written per channel; the other channel waits until both are known. */
  private userQueue: Int16Array[] = [];
  private agentQueue: Int16Array[] = [];
  private userQueued = 0;
  private agentQueued = 0;
  private closed = false;

  constructor(
    readonly dir: string,
    header: RecordingHeader,
  ) {
    mkdirSync(dir, { recursive: true });
    this.eventsFd = openSync(join(dir, EVENTS_FILE), 'w');
    this.wav = new StereoWavWriter(join(dir, AUDIO_FILE), header.sampleRate);
    this.event(header);
    this.flushEvents();
  }

  event(e: RecordingEvent): void {
    if (this.closed) return;
    this.lines.push(JSON.stringify(e));
    if (this.lines.length >= 256) this.flushEvents();
  }

  user(pcm: Int16Array): void {
    this.userQueue.push(pcm);
    this.userQueued += pcm.length;
    this.pair();
  }

  agent(pcm: Int16Array): void {
    this.agentQueue.push(pcm);
    this.agentQueued += pcm.length;
    this.pair();
  }

  /** Write the stretch both channels have reached. */
  private pair(): void {
    const n = Math.min(this.userQueued, this.agentQueued);
    if (n === 0) return;
    this.wav.write(take(this.userQueue, n), take(this.agentQueue, n));
    this.userQueued -= n;
    this.agentQueued -= n;
  }

  flushEvents(): void {
    if (this.lines.length === 0) return;
    writeSync(this.eventsFd, this.lines.join('\n') + '\n');
    this.lines = [];
  }

  /** Flush everything; the shorter channel is padded with silence so both end together. */
  close(): void {
    if (this.closed) return;
    const pad = Math.abs(this.userQueued - this.agentQueued);
    if (this.userQueued < this.agentQueued) this.user(new Int16Array(pad));
    else if (this.agentQueued < this.userQueued) this.agent(new Int16Array(pad));
    this.flushEvents();
    this.closed = true;
    closeSync(this.eventsFd);
    this.wav.close();
  }
}

/**
 * Add events to a finished recording (what was learnt about it after the session, before scoring:
 * transcripts from an endpoint, judge verdicts). Readers take events in any order.
 */
export function appendEvents(dir: string, events: readonly RecordingEvent[]): void {
  if (events.length > 0) appendFileSync(join(dir, EVENTS_FILE), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
}

/** Remove and concatenate the first n samples of a queue of chunks. */
function take(queue: Int16Array[], n: number): Int16Array {
  const out = new Int16Array(n);
  let filled = 0;
  while (filled < n) {
    const head = queue[0];
    const k = Math.min(head.length, n - filled);
    out.set(head.subarray(0, k), filled);
    filled += k;
    if (k === head.length) queue.shift();
    else queue[0] = head.subarray(k);
  }
  return out;
}
