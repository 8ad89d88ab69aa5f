/**
 * The generic client for any server that speaks crosstalk-ws v1 (PROTOCOL.md, protocol.ts). It
 * translates only: user frames go out as binary as soon as they are handed over, agent audio and
 * events are emitted the moment they arrive. Pacing and playout belong to the runner. Video
 * frames go out as `video.frame` only to a server whose session.ready offered video: a session
 * with any other server has no sendVideoFrame, so the runner sends it none (and records none).
 * The socket lifecycle (connect, setup time limit, remote close, abort, close twice) is the one
 * the vendor adapters share (adapters/shared/socket-session.ts, on session-lifecycle.ts).
 *
 * The system under test learns nothing of the scenario: session.start carries an opaque
 * per-session nonce (`session`, a random UUID) for correlating its logs, never the scenario's
 * id, name or text.
 */
import { randomUUID } from 'node:crypto';
import type WebSocket from 'ws';
import { AdapterError, type Adapter, type AdapterCapabilities, type AdapterSession, type SessionContext } from '../../harness/adapter.ts';
import { Redactor, redactUrl } from '../../harness/redact.ts';
import type { SessionEnd } from '../shared/session-lifecycle.ts';
import { SocketSession } from '../shared/socket-session.ts';
import { awaitClose, connectWebSocket, messageBytes, messageText, type Connection } from '../shared/ws-connect.ts';
import { PROTOCOL_NAME, bytesToPcm, parseTextMessage, pcmToBytes, videoFrameMessage, videoOfferOf, type SessionStart, type TextMessage } from './protocol.ts';

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
    open: (ctx) => open(opts, capabilities.inputSampleRate, ctx),
  };
}

/** The session's settings, resolved once. */
interface WsSettings {
  /** The server's URL as messages may show it (credentials masked). */
  where: string;
  hint: string;
  sampleRate: number;
  connectTimeoutMs: number;
  closeTimeoutMs: number;
  sessionOptions?: Record<string, unknown>;
}

async function open(opts: WsAdapterOptions, sampleRate: number, ctx: SessionContext): Promise<AdapterSession> {
  const s: WsSettings = {
    where: redactUrl(opts.url),
    hint: opts.unreachableHint ?? DEFAULT_HINT,
    sampleRate,
    connectTimeoutMs: opts.connectTimeoutMs ?? 5_000,
    closeTimeoutMs: opts.closeTimeoutMs ?? 2_000,
    sessionOptions: opts.sessionOptions,
  };
  const redactor = new Redactor([...urlSecrets(opts.url), ...Object.values(opts.headers ?? {})]);
  const conn = await connectWebSocket({
    vendor: `crosstalk-ws server ${s.where}`,
    url: opts.url,
    headers: opts.headers,
    authHint: 'check the credentials given for it',
    unreachableHint: s.hint,
    redactor,
    timeoutMs: s.connectTimeoutMs,
    retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
    signal: ctx.signal,
  });
  const session = new WsSession(conn, ctx, redactor, s);
  // One budget for connect, upgrade and session.ready together.
  await session.handshake(Math.max(1, s.connectTimeoutMs - conn.connectMs));
  return session;
}

/** What in a URL may be a credential: userinfo and every query value. */
function urlSecrets(url: string): string[] {
  try {
    const u = new URL(url);
    return [decodeURIComponent(u.username), decodeURIComponent(u.password), ...u.searchParams.values()];
  } catch {
    return [];
  }
}

class WsSession extends SocketSession implements AdapterSession {
  /** session.ready came. */
  private live = false;
  /** The server announced a fatal error: its close needs no error of ours. */
  private fatalSeen = false;
  /** The largest JPEG the server takes; undefined: it takes no video. */
  private videoMaxBytes: number | undefined;
  /** Present only once a server's session.ready offered video. */
  declare sendVideoFrame?: (jpeg: Uint8Array) => void;

  constructor(
    conn: Connection,
    ctx: SessionContext,
    redactor: Redactor,
    private readonly s: WsSettings,
  ) {
    super(conn, ctx, redactor, 'crosstalk-ws');
  }

  /** Send session.start and wait for session.ready (or the server's refusal). */
  async handshake(budgetMs: number): Promise<void> {
    const ready = this.awaitSetup(budgetMs);
    const start: SessionStart = {
      type: 'session.start',
      sampleRate: this.s.sampleRate,
      encoding: 'pcm_s16le',
      session: randomUUID(),
      ...(this.s.sessionOptions ? { options: this.s.sessionOptions } : {}),
    };
    this.sendJson(start);
    await ready;
  }

  protected onMessage(data: WebSocket.RawData, _ws: WebSocket, isBinary: boolean): void {
    if (isBinary) {
      if (this.live && !this.closing) this.onAudio(messageBytes(data));
      return;
    }
    const parsed = parseTextMessage(messageText(data));
    if (!parsed.ok) {
      if (this.inSetup)
        this.setupFailed(new AdapterError(`crosstalk-ws: ${this.s.where} broke ${PROTOCOL_NAME} during the handshake: ${parsed.reason}`, 'protocol'));
      else this.emit({ type: 'error', message: `crosstalk-ws: server sent a bad message: ${parsed.reason}`, recoverable: true, code: 'protocol' });
      return;
    }
    if (this.inSetup) this.onHandshake(parsed.message);
    else if (this.live) this.onEvent(parsed.message);
  }

  protected override setupTimeoutMessage(): string {
    return `crosstalk-ws: no session.ready from ${this.s.where} within ${this.s.connectTimeoutMs} ms. ${this.s.hint}`;
  }

  private onHandshake(m: TextMessage): void {
    const { where } = this.s;
    if (m.type === 'session.ready') {
      this.live = true;
      this.videoMaxBytes = videoOfferOf(m)?.maxBytes;
      if (this.videoMaxBytes !== undefined) this.sendVideoFrame = (jpeg) => this.sendVideo(jpeg);
      this.setupDone();
    } else if (m.type === 'error') {
      const msg = typeof m.message === 'string' ? m.message : 'no message';
      const kind = m.code === 'unsupported_format' ? 'config' : 'infrastructure';
      this.setupFailed(new AdapterError(`crosstalk-ws: ${where} refused the session: ${msg}${m.code ? ` (${String(m.code)})` : ''}`, kind));
    } else {
      this.setupFailed(
        new AdapterError(`crosstalk-ws: ${where} sent "${m.type}" before session.ready; expected session.ready or error (${PROTOCOL_NAME})`, 'protocol'),
      );
    }
  }

  protected override setupCloseError(code: number, reason: string): AdapterError {
    return new AdapterError(
      `crosstalk-ws: ${this.s.where} closed the connection during the handshake (code ${code}${reason ? `: ${reason}` : ''}). ${this.s.hint}`,
      'infrastructure',
    );
  }

  protected override remoteCloseEnd(code: number, reason: string): SessionEnd {
    const why = reason || this.lastSocketError;
    return {
      error: this.fatalSeen
        ? undefined
        : { message: `crosstalk-ws: server closed the session unexpectedly (code ${code}${why ? `: ${why}` : ''})`, code: `close_${code}` },
      closedReason: `server closed (code ${code}${reason ? `: ${reason}` : ''})`,
    };
  }

  private onAudio(data: Buffer): void {
    if (data.byteLength % 2 !== 0) {
      this.emit({
        type: 'error',
        message: `crosstalk-ws: server sent ${data.byteLength} bytes of audio, not a whole number of 16-bit samples; last byte dropped`,
        recoverable: true,
        code: 'protocol',
      });
    }
    if (data.byteLength < 2) return;
    this.emit({ type: 'audio', pcm: bytesToPcm(data), sampleRate: this.s.sampleRate });
  }

  private onEvent(m: TextMessage): void {
    switch (m.type) {
      case 'agent.interrupted':
        this.emit({ type: 'interrupted', reason: 'agent.interrupted' });
        return;
      case 'transcript':
        if ((m.role === 'agent' || m.role === 'user') && typeof m.text === 'string') {
          this.emit({ type: 'transcript', role: m.role, text: m.text, final: m.final !== false });
        } else {
          this.emit({ type: 'error', message: 'crosstalk-ws: transcript needs "role" (agent|user) and "text"', recoverable: true, code: 'protocol' });
        }
        return;
      case 'error': {
        const fatal = m.fatal === true;
        if (fatal) this.fatalSeen = true;
        const message = typeof m.message === 'string' ? m.message : 'server error without a message';
        this.emit({ type: 'error', message: `server: ${message}`, recoverable: !fatal, ...(typeof m.code === 'string' ? { code: m.code } : {}) });
        return;
      }
      default:
        this.emit({ type: 'vendor', name: m.type, payload: m });
    }
  }

  sendAudio(pcm: Int16Array): void {
    if (!this.live || this.closing || pcm.length === 0) return;
    this.send(pcmToBytes(pcm));
  }

  private sendVideo(jpeg: Uint8Array): void {
    if (!this.live || this.closing) return;
    const max = this.videoMaxBytes!;
    if (jpeg.byteLength > max) {
      // Sent, it would be over the server's message limit and end the session (1009).
      this.emit({
        type: 'error',
        message: `crosstalk-ws: video frame of ${jpeg.byteLength} bytes not sent: ${this.s.where} takes JPEGs of at most ${max} bytes`,
        recoverable: true,
        code: 'video_frame_too_big',
      });
      return;
    }
    this.send(videoFrameMessage(jpeg));
  }

  /** The protocol's own end: session.end, then the server finishes and closes (1000). */
  protected override shutdown(): Promise<void> {
    if (!this.live) return super.shutdown();
    this.send(JSON.stringify({ type: 'session.end' }));
    return awaitClose(this.ws, this.s.closeTimeoutMs);
  }
}
