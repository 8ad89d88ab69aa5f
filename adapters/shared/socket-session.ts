/**
 * The lifecycle every WebSocket vendor session shares: redacted emits, a setup exchange with a
 * time limit, remote close mid-session -> `error` (not recoverable) + `closed`, and a close()
 * that is safe to call twice. Subclasses speak the vendor protocol in `onMessage`.
 */
import WebSocket from 'ws';
import { AdapterError, type AdapterEvent, type SessionContext } from '../../harness/adapter.ts';
import { NetworkReporter } from './network.ts';
import type { Redactor } from './redact.ts';
import { closeSocket, type Connection } from './ws-connect.ts';

export abstract class SocketSession {
  protected ws: WebSocket;
  protected readonly emit: (e: AdapterEvent) => void;
  protected readonly net: NetworkReporter;
  /** Set once the session is ending by our own choice: a close then is not an error. */
  protected closing = false;
  private ended = false;
  private closed: Promise<void> | undefined;
  private setup: { resolve(): void; reject(e: AdapterError): void; timer: NodeJS.Timeout } | undefined;
  private lastSocketError: string | undefined;

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
  }

  /** Listen to a new connection's socket, its early messages first (replayed next tick). */
  protected adopt(conn: Connection): void {
    this.attach(conn.ws);
    const early = conn.takeEarlyMessages();
    if (early.length > 0) process.nextTick(() => early.forEach((d) => this.handle(d, conn.ws)));
  }

  private handle(data: WebSocket.RawData, ws: WebSocket): void {
    if (ws === this.ws) this.net.message();
    this.onMessage(data, ws);
  }

  /** Handle one server message from `ws` (the current socket, or one being swapped in). */
  protected abstract onMessage(data: WebSocket.RawData, ws: WebSocket): void;

  /** Messages of any socket go to onMessage; only the current socket's close ends the session. */
  private attach(ws: WebSocket): void {
    ws.on('message', (data) => this.handle(data, ws));
    ws.on('error', (e) => {
      this.lastSocketError = this.redactor.errorMessage(e);
    });
    ws.on('close', (code, reason) => {
      if (ws === this.ws) this.onRemoteClose(code, reason.toString('utf8'));
    });
  }

  /** Resolves when the subclass calls setupDone(); rejects on setupFailed(), timeout or close. */
  protected awaitSetup(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => this.setupFailed(new AdapterError(`${this.vendor}: no answer to setup within ${timeoutMs} ms`, 'infrastructure')),
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

  protected onRemoteClose(code: number, reason: string): void {
    this.net.stop();
    if (this.inSetup) {
      this.setupFailed(this.setupCloseError(code, reason));
      return;
    }
    if (this.closing) return;
    const why = reason || this.lastSocketError;
    this.end(`${this.vendor} closed the connection (code ${code}${why ? `: ${why}` : ''})`, `ws_close_${code}`);
  }

  /** A fatal failure mid-session: error (not recoverable) + closed, and the socket closed. */
  protected fail(message: string, code: string): void {
    if (this.inSetup) {
      this.setupFailed(new AdapterError(message, 'protocol'));
      return;
    }
    this.end(message, code);
    this.closing = true;
    void closeSocket(this.ws, 1002, 'protocol error');
  }

  private end(message: string, code: string): void {
    if (this.ended) return;
    this.ended = true;
    this.emit({ type: 'error', message, recoverable: false, code });
    this.emit({ type: 'closed', reason: message });
  }

  /** Send a JSON message if the socket is open (a frame after the end is dropped). */
  protected sendJson(msg: unknown): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      this.closing = true;
      this.net.stop();
      await closeSocket(this.ws);
    })();
    return this.closed;
  }
}
