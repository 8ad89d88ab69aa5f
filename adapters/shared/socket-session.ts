/**
 * The lifecycle of a session over a WebSocket the harness dialled (the vendor adapters and the
 * generic crosstalk-ws client), on the transport-free one (session-lifecycle.ts): network facts,
 * early messages replayed, a remote close during setup failing it, a remote close mid-session ->
 * `error` (not recoverable) + `closed`, a fatal failure closing the socket with 1002. Subclasses
 * speak their protocol in `onMessage`.
 */
import WebSocket from 'ws';
import { AdapterError, type SessionContext } from '../../harness/adapter.ts';
import { NetworkReporter } from './network.ts';
import type { Redactor } from '../../harness/redact.ts';
import { SessionLifecycle, type SessionEnd } from './session-lifecycle.ts';
import { closeSocket, type Connection } from './ws-connect.ts';

export abstract class SocketSession extends SessionLifecycle {
  protected ws: WebSocket;
  protected readonly net: NetworkReporter;
  /** The last socket error, redacted: the reason of a close that gives none. */
  protected lastSocketError: string | undefined;

  constructor(conn: Connection, ctx: SessionContext, redactor: Redactor, vendor: string) {
    super(ctx, redactor, vendor);
    this.net = new NetworkReporter(this.emit, performance.now() - conn.connectMs);
    this.net.connected(conn.connectMs);
    this.ws = conn.ws;
    this.adopt(conn);
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

  protected abandon(): Promise<void> {
    return closeSocket(this.ws, 1002, 'protocol error');
  }

  override close(): Promise<void> {
    this.net.stop();
    return super.close();
  }
}
