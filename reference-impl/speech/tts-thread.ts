/**
 * Speech synthesis off the event loop: one worker thread per process (tts-worker.ts), requests
 * answered in order. What comes back is trimmed and framed the way the voice bank's phrases are.
 */
import { Worker } from 'node:worker_threads';
import { onceAsync } from '../../harness/once.ts';
import { AGENT_VOICE, MAX_INNER_GAP_MS, shortenGaps, trimToFrames, type AgentVoice } from '../voice-bank.ts';
import type { TtsReply, TtsRequest } from './tts-worker.ts';

export class TtsThread {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (pcm: Int16Array) => void; reject: (e: Error) => void }>();
  /** Set once the worker has died: later requests fail at once instead of waiting forever. */
  private failure: Error | undefined;

  constructor(private readonly voice: AgentVoice = AGENT_VOICE) {
    // The worker is TypeScript like the rest: its entry registers tsx first, as the CLI does.
    this.worker = new Worker(new URL('./tts-worker-entry.mjs', import.meta.url));
    this.worker.on('message', (reply: TtsReply) => {
      const w = this.waiting.get(reply.id);
      if (!w) return;
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) this.worker.unref();
      if ('error' in reply) w.reject(new Error(`reference agent: speech synthesis failed: ${reply.error}`));
      else w.resolve(shortenGaps(trimToFrames(reply.pcm), MAX_INNER_GAP_MS));
    });
    this.worker.on('error', (e) => this.fail(new Error(`reference agent: the speech synthesis thread failed: ${e.message}`)));
    this.worker.on('exit', (code) => this.fail(new Error(`reference agent: the speech synthesis thread exited (code ${code})`)));
    // Only a pending render keeps the process alive: an idle synthesis thread must not hold it
    // open once the run is over (unref after the listeners: adding one refs the port again).
    this.worker.unref();
  }

  /** `text` spoken in the agent's voice: 16 kHz PCM16, edges trimmed, whole 20 ms frames. */
  render(text: string): Promise<Int16Array> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, text, voice: this.voice } satisfies TtsRequest);
    });
  }

  /** The worker has died (or was closed): this thread renders nothing more. */
  get dead(): boolean {
    return this.failure !== undefined;
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const w of this.waiting.values()) w.reject(this.failure);
    this.waiting.clear();
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

let shared: TtsThread | undefined;

/** The process's synthesis thread, started on first use (and again if it died). */
export function sharedTtsThread(): TtsThread {
  if (!shared || shared.dead) shared = new TtsThread();
  return shared;
}

/**
 * Starts the process's thread and renders once, so that the first line said in a session does
 * not wait for the worker and eSpeak to start (about 0.6 s here; later sentences 60-210 ms).
 */
export const warmSharedTtsThread: () => Promise<void> = onceAsync(async () => {
  await sharedTtsThread().render('Okay.');
});
