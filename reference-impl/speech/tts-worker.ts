/**
 * The reference agent's text-to-speech thread: eSpeak NG (WebAssembly) takes 80-170 ms per
 * utterance here, too long to run on the event loop that paces live sessions. Messages:
 * { id, text, voice } in; { id, pcm } (16 kHz PCM16, transferred) or { id, error } out.
 */
import { parentPort } from 'node:worker_threads';
import { synthesize } from '../../datasets/tts/espeak.ts';
import type { AgentVoice } from '../voice-bank.ts';

export interface TtsRequest {
  id: number;
  text: string;
  voice: AgentVoice;
}

export type TtsReply = { id: number; pcm: Int16Array } | { id: number; error: string };

const port = parentPort;
if (!port) throw new Error('tts-worker.ts runs as a worker thread (see tts-thread.ts)');
port.on('message', (req: TtsRequest) => {
  synthesize(req.text, req.voice).then(
    ({ pcm }) => port.postMessage({ id: req.id, pcm } satisfies TtsReply, [pcm.buffer as ArrayBuffer]),
    (e: unknown) => port.postMessage({ id: req.id, error: e instanceof Error ? e.message : String(e) } satisfies TtsReply),
  );
});
