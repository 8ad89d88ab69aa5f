/**
 * The generic client for any server that speaks crosstalk-ws v1 (PROTOCOL.md). It translates
 * only: user frames go out as binary as soon as they are handed over, agent audio and events
 * are emitted the moment they arrive. Pacing and playout belong to the runner. Video frames go
 * out as `video.frame` only to a server whose session.ready offered video: a session with any
 * other server has no sendVideoFrame, so the runner sends it none (and records none).
 *
 * The system under test learns nothing of the scenario: session.start carries an opaque
 * per-session nonce (`session`, a random UUID) for correlating its logs, never the scenario's
 * id, name or text.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { AdapterError, type Adapter, type AdapterCapabilities, type AdapterErrorKind, type AdapterSession, type SessionContext } from '../../harness/adapter.ts';
import { PROTOCOL_NAME, bytesToPcm, parseTextMessage, pcmToBytes, videoFrameMessage, videoOfferOf, type SessionStart, type TextMessage } from '../../reference-impl/protocol.ts';
import { redactUrl } from '../shared/redact.ts';

export interface WsAdapterOptions {
  /** ws:// or wss:// URL of the server. May hold a token; it is never logged. */
  url: string;
  /** Sample rate of audio both ways, Hz (default 16000). */
  sampleRate?: number;
  /** Budget for TCP connect, upgrade and `session.ready` together (default 5000 ms). */
  connectTimeoutMs?: number;
  /** How long `close()` waits for the server to close after `session.end` (default 2000 ms). */
  closeTimeoutMs?: number;
  /** Sent as `session.start.options`. */
  sessionOptions?: Record<string, unknown>;
  /** Extra HTTP headers for the upgrade (e.g. Authorization). Never logged. */
  headers?: Record<string, string>;
  /** Adapter name in recordings (default `ws`). */
  name?: string;
  /** What to suggest when the server cannot be reached. */
  unreachableHint?: string;
}

const DEFAULT_HINT = 'Is the server running and listening there? For the bundled agent: `crosstalk serve reference --port N`.';

export function createWsAdapter(opts: WsAdapterOptions): Adapter {
  const capabilities: AdapterCapabilities = {
    inputSampleRate: opts.sampleRate ?? 16_000,
    video: true,
    transcripts: true,
    serverTurnDetection: true,
    virtualTime: false,
    truncation: false,
  };
  return {
    name: opts.name ?? 'ws',
    capabilities,
    open: (ctx) => connect(opts, capabilities.inputSampleRate, ctx),
  };
}

type Phase = 'connecting' | 'handshake' | 'open' | 'closing' | 'closed';

function connect(opts: WsAdapterOptions, sampleRate: number, ctx: SessionContext): Promise<AdapterSession> {
  const where = redactUrl(opts.url);
  const connectTimeoutMs = opts.connectTimeoutMs ?? 5_000;
  const hint = opts.unreachableHint ?? DEFAULT_HINT;
  const startedMs = performance.now();

  return new Promise<AdapterSession>((resolve, reject) => {
    let ws: WebSocket;
    try {
      ws = new WebSocket(opts.url, { headers: opts.headers, handshakeTimeout: connectTimeoutMs });
    } catch (e) {
      reject(new AdapterError(`crosstalk-ws: bad server URL ${where}: ${(e as Error).message}`, 'config'));
      return;
    }
    let phase: Phase = 'connecting';
    let firstSentMs: number | undefined;
    let firstByteSeen = false;
    let fatalSeen = false;
    /** The largest JPEG the server takes; undefined: it takes no video. */
    let videoMaxBytes: number | undefined;
    let closed: () => void = () => {};
    const closedPromise = new Promise<void>((r) => (closed = r));

    const fail = (message: string, kind: AdapterErrorKind): void => {
      if (phase !== 'connecting' && phase !== 'handshake') return;
      phase = 'closed';
      clearTimeout(timer);
      ws.terminate();
      reject(new AdapterError(message, kind));
    };
    const timer = setTimeout(
      () => fail(`crosstalk-ws: no ${phase === 'connecting' ? 'connection to' : 'session.ready from'} ${where} within ${connectTimeoutMs} ms. ${hint}`, 'infrastructure'),
      connectTimeoutMs,
    );

    const session: AdapterSession = {
      sendAudio(pcm) {
        if (phase !== 'open' || pcm.length === 0) return;
        firstSentMs ??= performance.now();
        ws.send(pcmToBytes(pcm));
      },
      sendVideoFrame(jpeg) {
        if (phase !== 'open' || !videoMaxBytes) return;
        if (jpeg.byteLength > videoMaxBytes) {
          // Sent, it would be over the server's message limit and end the session (1009).
          ctx.emit({ type: 'error', message: `crosstalk-ws: video frame of ${jpeg.byteLength} bytes not sent: ${where} takes JPEGs of at most ${videoMaxBytes} bytes`, recoverable: true, code: 'video_frame_too_big' });
          return;
        }
        ws.send(videoFrameMessage(jpeg));
      },
      async close() {
        if (phase === 'open') {
          phase = 'closing';
          ws.send(JSON.stringify({ type: 'session.end' }));
          const force = setTimeout(() => ws.terminate(), opts.closeTimeoutMs ?? 2_000);
          await closedPromise;
          clearTimeout(force);
        } else if (phase === 'closing') {
          await closedPromise;
        }
      },
    };

    const onAbort = (): void => void session.close();
    ctx.signal.addEventListener('abort', onAbort, { once: true });

    ws.on('unexpected-response', (_req, res) => {
      const status = res.statusCode ?? 0;
      const kind: AdapterErrorKind = status === 401 || status === 403 ? 'config' : 'infrastructure';
      const what = kind === 'config' ? 'Check the credentials given for it.' : hint;
      fail(`crosstalk-ws: ${where} refused the WebSocket upgrade with HTTP ${status}. ${what}`, kind);
    });

    ws.on('open', () => {
      if (phase !== 'connecting') return;
      phase = 'handshake';
      ctx.emit({ type: 'network', name: 'connect_ms', valueMs: performance.now() - startedMs });
      const start: SessionStart = {
        type: 'session.start',
        sampleRate,
        encoding: 'pcm_s16le',
        session: randomUUID(),
        ...(opts.sessionOptions ? { options: opts.sessionOptions } : {}),
      };
      ws.send(JSON.stringify(start));
    });

    ws.on('error', (err: Error & { code?: string }) => {
      const cause = err.code ?? err.message;
      if (phase === 'connecting' || phase === 'handshake') {
        fail(`crosstalk-ws: cannot reach ${where} (${cause}). ${hint}`, 'infrastructure');
      } else if (phase === 'open') {
        ctx.emit({ type: 'error', message: `crosstalk-ws: connection error (${cause})`, recoverable: false, code: 'network' });
      }
    });

    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) {
        if (phase !== 'open') return;
        onAudio(data);
        return;
      }
      const parsed = parseTextMessage(data.toString('utf8'));
      if (!parsed.ok) {
        if (phase === 'handshake') fail(`crosstalk-ws: ${where} broke ${PROTOCOL_NAME} during the handshake: ${parsed.reason}`, 'protocol');
        else ctx.emit({ type: 'error', message: `crosstalk-ws: server sent a bad message: ${parsed.reason}`, recoverable: true, code: 'protocol' });
        return;
      }
      if (phase === 'handshake') onHandshake(parsed.message);
      else if (phase === 'open' || phase === 'closing') onEvent(parsed.message);
    });

    ws.on('close', (code: number, reasonBytes: Buffer) => {
      const reason = reasonBytes.toString('utf8');
      const was = phase;
      phase = 'closed';
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
      closed();
      if (was === 'connecting' || was === 'handshake') {
        // Reached only when the server closed without a fatal error first (fail() sets 'closed').
        reject(new AdapterError(`crosstalk-ws: ${where} closed the connection during the handshake (code ${code}${reason ? `: ${reason}` : ''}). ${hint}`, 'infrastructure'));
      } else if (was === 'open') {
        if (!fatalSeen) {
          ctx.emit({ type: 'error', message: `crosstalk-ws: server closed the session unexpectedly (code ${code}${reason ? `: ${reason}` : ''})`, recoverable: false, code: `close_${code}` });
        }
        ctx.emit({ type: 'closed', reason: `server closed (code ${code}${reason ? `: ${reason}` : ''})` });
      }
    });

    function onHandshake(m: TextMessage): void {
      if (m.type === 'session.ready') {
        phase = 'open';
        clearTimeout(timer);
        videoMaxBytes = videoOfferOf(m)?.maxBytes;
        if (videoMaxBytes === undefined) delete session.sendVideoFrame;
        resolve(session);
      } else if (m.type === 'error') {
        const msg = typeof m.message === 'string' ? m.message : 'no message';
        const kind: AdapterErrorKind = m.code === 'unsupported_format' ? 'config' : 'infrastructure';
        fail(`crosstalk-ws: ${where} refused the session: ${msg}${m.code ? ` (${String(m.code)})` : ''}`, kind);
      } else {
        fail(`crosstalk-ws: ${where} sent "${m.type}" before session.ready; expected session.ready or error (${PROTOCOL_NAME})`, 'protocol');
      }
    }

    function onAudio(data: Buffer): void {
      if (data.byteLength % 2 !== 0) {
        ctx.emit({ type: 'error', message: `crosstalk-ws: server sent ${data.byteLength} bytes of audio, not a whole number of 16-bit samples; last byte dropped`, recoverable: true, code: 'protocol' });
      }
      if (data.byteLength < 2) return;
      if (!firstByteSeen) {
        firstByteSeen = true;
        // From the first user audio sent to the first agent audio received.
        if (firstSentMs !== undefined) ctx.emit({ type: 'network', name: 'first_byte_ms', valueMs: performance.now() - firstSentMs });
      }
      ctx.emit({ type: 'audio', pcm: bytesToPcm(data), sampleRate });
    }

    function onEvent(m: TextMessage): void {
      switch (m.type) {
        case 'agent.interrupted':
          ctx.emit({ type: 'interrupted', reason: 'agent.interrupted' });
          return;
        case 'transcript':
          if ((m.role === 'agent' || m.role === 'user') && typeof m.text === 'string') {
            ctx.emit({ type: 'transcript', role: m.role, text: m.text, final: m.final !== false });
          } else {
            ctx.emit({ type: 'error', message: 'crosstalk-ws: transcript needs "role" (agent|user) and "text"', recoverable: true, code: 'protocol' });
          }
          return;
        case 'error': {
          const fatal = m.fatal === true;
          if (fatal) fatalSeen = true;
          const message = typeof m.message === 'string' ? m.message : 'server error without a message';
          ctx.emit({ type: 'error', message: `server: ${message}`, recoverable: !fatal, ...(typeof m.code === 'string' ? { code: m.code } : {}) });
          return;
        }
        default:
          ctx.emit({ type: 'vendor', name: m.type, payload: m });
      }
    }
  });
}
