/**
 * Speech synthesis off the event loop: one worker thread per process (tts-worker.ts, on the
 * harness's RequestThread). What comes back is trimmed and framed the way the voice bank's
 * phrases are.
 */
import { onceAsync } from '../../harness/once.ts';
import { RequestThread } from '../../harness/request-thread.ts';
import { AGENT_VOICE, MAX_INNER_GAP_MS, shortenGaps, trimToFrames, type AgentVoice } from '../voice-bank.ts';
import type { TtsRequest } from './tts-worker.ts';

export class TtsThread {
  private readonly thread = new RequestThread<TtsRequest, Int16Array>(
    new URL('./tts-worker-entry.mjs', import.meta.url),
    'reference agent: the speech synthesis thread',
  );

  constructor(private readonly voice: AgentVoice = AGENT_VOICE) {}

  /** `text` spoken in the agent's voice: 16 kHz PCM16, edges trimmed, whole 20 ms frames. */
  async render(text: string): Promise<Int16Array> {
    try {
      return shortenGaps(trimToFrames(await this.thread.request({ text, voice: this.voice })), MAX_INNER_GAP_MS);
    } catch (e) {
      if (this.thread.dead) throw e;
      throw new Error(`reference agent: speech synthesis failed: ${(e as Error).message}`);
    }
  }

  /** The worker has died (or was closed): this thread renders nothing more. */
  get dead(): boolean {
    return this.thread.dead;
  }

  close(): Promise<number> {
    return this.thread.close();
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
