/**
 * `moshi`: Kyutai's Moshi server (moshi.server or moshi-backend), WebSocket at /api/chat.
 * User audio goes in as PCM16 24 kHz (the runner resamples) and is Opus-encoded here; agent
 * audio comes out decoded, PCM16 24 kHz, continuously.
 *
 * Options (run config, never logged): url (default ws://localhost:8998/api/chat), apiKey (or
 * KYUTAI_API_KEY; sent as the kyutai-api-key header, only where the server wants one),
 * connectTimeoutMs, setupTimeoutMs, retryAttempts, retryBaseDelayMs, retryMaxDelayMs, rttIntervalMs.
 */
import type { Adapter, AdapterSession, SessionContext } from '../../harness/adapter.ts';
import { connectionSettings, stringOption } from '../shared/options.ts';
import { Redactor } from '../../harness/redact.ts';
import { connectWebSocket } from '../shared/ws-connect.ts';
import { MOSHI_RATE } from './protocol.ts';
import { MoshiSession, VENDOR } from './session.ts';

const MOSHI_KEY_ENV = 'KYUTAI_API_KEY';

export function createMoshiAdapter(defaults: Record<string, unknown> = {}): Adapter {
  return {
    name: 'moshi',
    // Moshi decides when to speak itself (full duplex), though it reports no turn events.
    capabilities: { inputSampleRate: MOSHI_RATE, video: false, transcripts: true, serverTurnDetection: true, virtualTime: false, truncation: false },
    async open(ctx: SessionContext): Promise<AdapterSession> {
      const options = { ...defaults, ...ctx.options };
      const settings = connectionSettings(options);
      const apiKey = stringOption(options, 'apiKey') ?? process.env[MOSHI_KEY_ENV];
      const redactor = new Redactor([apiKey]);
      const conn = await connectWebSocket({
        vendor: VENDOR,
        url: stringOption(options, 'url') ?? 'ws://localhost:8998/api/chat',
        headers: apiKey ? { 'kyutai-api-key': apiKey } : undefined,
        authHint: `set ${MOSHI_KEY_ENV} (or the adapter option apiKey) to a key the server accepts`,
        redactor,
        timeoutMs: settings.connectTimeoutMs,
        retry: settings.retry,
        signal: ctx.signal,
      });
      const session = new MoshiSession(conn, ctx, redactor, settings.setupTimeoutMs, settings.rttIntervalMs);
      await session.handshake();
      return session;
    },
  };
}
