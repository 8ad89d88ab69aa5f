/**
 * The reference agent's text-to-speech thread: eSpeak NG (WebAssembly) takes 80-170 ms per
 * utterance here, too long to run on the event loop that paces live sessions. Requests
 * { text, voice }; results 16 kHz PCM16, transferred.
 */
import { serveRequests } from '../../harness/request-thread.ts';
import { synthesize } from '../../datasets/tts/espeak.ts';
import type { AgentVoice } from '../voice-bank.ts';

export interface TtsRequest {
  text: string;
  voice: AgentVoice;
}

serveRequests(
  async (req: TtsRequest) => (await synthesize(req.text, req.voice)).pcm,
  (pcm: Int16Array) => [pcm.buffer as ArrayBuffer],
);
