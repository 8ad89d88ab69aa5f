/**
 * Speech synthesis off the event loop: one worker thread per process (tts-worker.ts), requests
 * answered in order. What comes back is trimmed and framed the way the voice bank's phrases are.
 */
import { Worker } from 'node:worker_threads';
import { AGENT_VOICE, MAX_INNER_GAP_MS, shortenGaps, trimToFrames, type AgentVoice } from '../voice-bank.ts';
import type { TtsReply, TtsRequest } from './tts-worker.ts';

export class TtsThread {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (pcm: Int16Array) => void; reject: (e: Error) => void }>();

  constructor(private readonly voice: AgentVoice = AGENT_VOICE) {
    // The worker is TypeScript like the rest: its entry registers tsx first, as the CLI does.
    this.worker = new Worker(new URL('./tts-worker-entry.mjs', import.meta.url));
    this.worker.unref();
    this.worker.on('message', (reply: TtsReply) => {
      const w = this.waiting.get(reply.id);
      if (!w) return;
      this.waiting.delete(reply.id);
      if ('error' in reply) w.reject(new Error(`reference agent: speech synthesis failed: ${reply.error}`));
      else w.resolve(shortenGaps(trimToFrames(reply.pcm), MAX_INNER_GAP_MS));
    });
    this.worker.on('error', (e) => {
      for (const w of this.waiting.values()) w.reject(new Error(`reference agent: the speech synthesis thread failed: ${e.message}`));
      this.waiting.clear();
    });
  }

  /** `text` spoken in the agent's voice: 16 kHz PCM16, edges trimmed, whole 20 ms frames. */
  render(text: string): Promise<Int16Array> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, text, voice: this.voice } satisfies TtsRequest);
    });
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

let shared: TtsThread | undefined;
let warm: Promise<void> | undefined;

/** The process's synthesis thread, started on first use. */
export function sharedTtsThread(): TtsThread {
  shared ??= new TtsThread();
  return shared;
}

/**
 * Starts the process's thread and renders once, so that the first line said in a session does
 * not wait for the worker and eSpeak to start (about 0.6 s here; later sentences 60-210 ms).
 */
export function warmSharedTtsThread(): Promise<void> {
  warm ??= sharedTtsThread()
    .render('Okay.')
    .then(() => undefined);
  return warm;
}
