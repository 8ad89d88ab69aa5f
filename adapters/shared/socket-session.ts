/**
 * The lifecycle every WebSocket session shares (the vendor adapters and the generic
 * crosstalk-ws client): redacted emits, a setup exchange with a time limit, remote close
 * mid-session -> `error` (not recoverable) + `closed`, a run's abort closing the session, and a
 * close() that is safe to call twice. Subclasses speak their protocol in `onMessage`.
 */
import WebSocket from 'ws';
import { AdapterError, type AdapterEvent, type SessionContext } from '../../harness/adapter.ts';
import { NetworkReporter } from './network.ts';
import type { Redactor } from '../../harness/redact.ts';
import { closeSocket, type Connection } from './ws-connect.ts';

/** What a session that ends mid-way reports: the error (none when one was already reported) and the closed reason. */
export interface SessionEnd {
  error?: { message: string; code: string };
  closedReason: string;
}

export abstract class SocketSession {
  protected ws: WebSocket;
  protected readonly emit: (e: AdapterEvent) => void;
  protected readonly net: NetworkReporter;
  /** Set once the session is ending by our own choice: a close then is not an error. */
  protected closing = false;
  /** The last socket error, redacted: the reason of a close that gives none. */
  protected lastSocketError: string | undefined;
  private ended = false;
  private closed: Promise<void> | undefined;
  private setup: { resolve(): void; reject(e: AdapterError): void; timer: NodeJS.Timeout } | undefined;

  constructor(
    conn: Connection,
    protected readonly ctx: SessionContext,
    protected readonly redactor: Redactor,
    /** Vendor name for messages. */
    protected readonly vendor: string,
  ) {
    this.emit = (e) => ctx.emit(redactor.event(e));
    this.net = new NetworkReporter(this.emit, performance.now() - conn.connectMs);
    this.net.connected(conn.connectMs);
    this.ws = conn.ws;
    this.adopt(conn);
    // The run is over (or interrupted): close, as the runner will (close() is safe twice).
    ctx.signal.addEventListener('abort', () => void this.close(), { once: true });
  }

  /** Listen to a new connection's socket, its early messages first (replayed next tick). */
  protected adopt(conn: Connection): void {
    this.attach(conn.ws);
    const early = conn.takeEarlyMessages();
    if (early.length > 0) process.nextTick(() => early.forEach((m) => this.handle(m.data, conn.ws, m.isBinary)));
  }

  private handle(data: WebSocket.RawData, ws: WebSocket, isBinary: boolean): void {
    if (ws === this.ws) this.net.message();
    this.onMessage(data, ws, isBinary);
  }

  /** Handle one server message from `ws` (the current socket, or one being swapped in). */
  protected abstract onMessage(data: WebSocket.RawData, ws: WebSocket, isBinary: boolean): void;

  /** Messages of any socket go to onMessage; only the current socket's close ends the session. */
  private attach(ws: WebSocket): void {
    ws.on('message', (data, isBinary) => this.handle(data, ws, isBinary));
    ws.on('error', (e) => {
      this.lastSocketError = this.redactor.errorMessage(e);
    });
    ws.on('close', (code, reason) => {
      if (ws === this.ws) this.onRemoteClose(code, reason.toString('utf8'));
    });
  }

  /**
   * Resolves when the subclass calls setupDone(); rejects on setupFailed(), timeout or close.
   * `timeoutMessage` replaces the default message of a timeout.
   */
  protected awaitSetup(timeoutMs: number, timeoutMessage?: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => this.setupFailed(new AdapterError(timeoutMessage ?? `${this.vendor}: no answer to setup within ${timeoutMs} ms`, 'infrastructure')),
        timeoutMs,
      );
      this.setup = { resolve, reject, timer };
    }).catch(async (e: unknown) => {
      this.closing = true;
      await closeSocket(this.ws);
      throw e;
    });
  }

  protected get inSetup(): boolean {
    return this.setup !== undefined;
  }

  protected setupDone(): void {
    const s = this.setup;
    if (!s) return;
    this.setup = undefined;
    clearTimeout(s.timer);
    s.resolve();
  }

  protected setupFailed(e: AdapterError): void {
    const s = this.setup;
    if (!s) return;
    this.setup = undefined;
    clearTimeout(s.timer);
    s.reject(new AdapterError(this.redactor.text(e.message), e.kind, e.recoverable));
  }

  /** How a close during setup is classified (a vendor may close with an auth reason). */
  protected setupCloseError(code: number, reason: string): AdapterError {
    return new AdapterError(`${this.vendor} closed the connection during setup (code ${code}${reason ? `: ${reason}` : ''})`, 'infrastructure');
  }

  /** What a close by the server mid-session reports. */
  protected remoteCloseEnd(code: number, reason: string): SessionEnd {
    const why = reason || this.lastSocketError;
    const message = `${this.vendor} closed the connection (code ${code}${why ? `: ${why}` : ''})`;
    return { error: { message, code: `ws_close_${code}` }, closedReason: message };
  }

  protected onRemoteClose(code: number, reason: string): void {
    this.net.stop();
    if (this.inSetup) {
      this.setupFailed(this.setupCloseError(code, reason));
      return;
    }
    if (this.closing) return;
    this.end(this.remoteCloseEnd(code, reason));
  }

  /** A fatal failure mid-session: error (not recoverable) + closed, and the socket closed. */
  protected fail(message: string, code: string): void {
    if (this.inSetup) {
      this.setupFailed(new AdapterError(message, 'protocol'));
      return;
    }
    this.end({ error: { message, code }, closedReason: message });
    this.closing = true;
    void closeSocket(this.ws, 1002, 'protocol error');
  }

  private end(how: SessionEnd): void {
    if (this.ended) return;
    this.ended = true;
    if (how.error) this.emit({ type: 'error', message: how.error.message, recoverable: false, code: how.error.code });
    this.emit({ type: 'closed', reason: how.closedReason });
  }

  /** Send a message if the socket is open (a frame after the end is dropped). */
  protected send(data: string | Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data);
  }

  /** Send a JSON message if the socket is open. */
  protected sendJson(msg: unknown): void {
    this.send(JSON.stringify(msg));
  }

  /** How our own close ends the connection (default: a close frame, then wait for the peer's). */
  protected shutdown(): Promise<void> {
    return closeSocket(this.ws);
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      this.closing = true;
      this.net.stop();
      await this.shutdown();
    })();
    return this.closed;
  }
}
