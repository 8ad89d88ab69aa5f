/**
 * `openai-realtime`: OpenAI's Realtime API (GA) over WebSocket. User audio goes in as PCM16
 * 24 kHz (the runner resamples), agent audio comes out as PCM16 24 kHz.
 *
 * Options (run config, never logged): apiKey (or OPENAI_API_KEY), url, model, turnDetection
 * (server_vad | semantic_vad | none), silenceDurationMs, eagerness, voice, instructions,
 * inputTranscriptionModel, manualCommit (energy | truth), commitHangoverMs, commitThresholdDbfs,
 * connectTimeoutMs, setupTimeoutMs, retryAttempts, retryBaseDelayMs, retryMaxDelayMs, rttIntervalMs.
 */
import type { Adapter, AdapterCapabilities, AdapterSession, SessionContext } from '../../harness/adapter.ts';
import { Redactor } from '../../harness/redact.ts';
import { connectWebSocket } from '../shared/ws-connect.ts';
import { OPENAI_KEY_ENV, readOpenAIOptions } from './options.ts';
import { OpenAIRealtimeSession } from './session.ts';

export function createOpenAIRealtimeAdapter(defaults: Record<string, unknown> = {}): Adapter {
  const capabilities: AdapterCapabilities = {
    inputSampleRate: 24_000,
    video: false,
    transcripts: true,
    serverTurnDetection: defaults.turnDetection !== 'none',
    virtualTime: false,
    truncation: true,
  };
  return {
    name: 'openai-realtime',
    capabilities,
    async open(ctx: SessionContext): Promise<AdapterSession> {
      const o = readOpenAIOptions({ ...defaults, ...ctx.options });
      const redactor = new Redactor([o.apiKey]);
      const url = new URL(o.url);
      url.searchParams.set('model', o.model);
      const conn = await connectWebSocket({
        vendor: 'OpenAI Realtime',
        url: url.toString(),
        headers: { Authorization: `Bearer ${o.apiKey}` },
        authHint: `check ${OPENAI_KEY_ENV}`,
        redactor,
        timeoutMs: o.connectTimeoutMs,
        retry: o.retry,
        signal: ctx.signal,
      });
      const session = new OpenAIRealtimeSession(conn, ctx, redactor, o);
      await session.handshake();
      return session;
    },
  };
}
