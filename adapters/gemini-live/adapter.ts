/**
 * `gemini-live`: Google's Gemini Live API (BidiGenerateContent over WebSocket). User audio goes
 * in as PCM16 16 kHz, JPEG video frames as realtimeInput.video; agent audio comes out at the
 * rate its mimeType names (24 kHz).
 *
 * Options (run config, never logged): apiKey (or GEMINI_API_KEY / GOOGLE_API_KEY), url,
 * apiVersion, model, voice, systemInstruction, transcripts, connectTimeoutMs, setupTimeoutMs,
 * retryAttempts, retryBaseDelayMs, retryMaxDelayMs, rttIntervalMs.
 */
import type { Adapter, AdapterSession, SessionContext } from '../../harness/adapter.ts';
import { Redactor } from '../../harness/redact.ts';
import { connectWebSocket } from '../shared/ws-connect.ts';
import { endpointUrl, GEMINI_KEY_ENVS, readGeminiOptions } from './options.ts';
import { GeminiLiveSession, VENDOR } from './session.ts';

export function createGeminiLiveAdapter(defaults: Record<string, unknown> = {}): Adapter {
  return {
    name: 'gemini-live',
    capabilities: { inputSampleRate: 16_000, video: true, transcripts: true, serverTurnDetection: true, virtualTime: false, truncation: false },
    async open(ctx: SessionContext): Promise<AdapterSession> {
      const o = readGeminiOptions({ ...defaults, ...ctx.options });
      const redactor = new Redactor([o.apiKey, encodeURIComponent(o.apiKey)]);
      const conn = await connectWebSocket({
        vendor: VENDOR,
        url: endpointUrl(o),
        authHint: `check ${GEMINI_KEY_ENVS[0]}`,
        redactor,
        timeoutMs: o.connectTimeoutMs,
        retry: o.retry,
        signal: ctx.signal,
      });
      const session = new GeminiLiveSession(conn, ctx, redactor, o);
      await session.handshake();
      return session;
    },
  };
}
