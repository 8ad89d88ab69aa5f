/**
 * Opening a vendor WebSocket: one attempt classified the way CI needs it (401/403 -> config,
 * 429/5xx/unreachable -> infrastructure, retryable), bounded retries with backoff, and the
 * connect time. Nothing here ever prints the URL or headers: messages name the vendor only.
 */
import WebSocket from 'ws';
import { AdapterError } from '../../harness/adapter.ts';
import { withRetry, type RetryPolicy } from './backoff.ts';
import type { Redactor } from '../../harness/redact.ts';

export interface ConnectOptions {
  /** Vendor name for messages, e.g. "OpenAI Realtime". */
  vendor: string;
  url: string;
  headers?: Record<string, string>;
  /** What to tell the user when the key is refused, e.g. "check OPENAI_API_KEY". */
  authHint: string;
  /** What to tell the user when the server cannot be reached or is failing (appended). */
  unreachableHint?: string;
  redactor: Redactor;
  /** Limit for the opening handshake of one attempt. */
  timeoutMs: number;
  retry: RetryPolicy;
  signal?: AbortSignal;
}

/** A message as the socket delivered it. */
export interface SocketMessage {
  data: WebSocket.RawData;
  isBinary: boolean;
}

export interface Connection {
  ws: WebSocket;
  /**
   * Messages that arrived between `open` and the session taking over the socket (a vendor
   * may speak first, in the same packet as the upgrade answer). Taking them stops the buffering.
   */
  takeEarlyMessages(): SocketMessage[];
  /** From the start of the attempt that succeeded to the socket being open, in ms. */
  connectMs: number;
  /** Attempts made, the successful one included. */
  attempts: number;
}

export async function connectWebSocket(opts: ConnectOptions): Promise<Connection> {
  let attempts = 0;
  return withRetry(
    opts.retry,
    async () => {
      attempts++;
      const started = performance.now();
      const { ws, early, buffer } = await openOnce(opts);
      const connectMs = performance.now() - started;
      return {
        ws,
        connectMs,
        attempts,
        takeEarlyMessages() {
          ws.off('message', buffer);
          return early;
        },
      };
    },
    opts.signal,
  );
}

interface Opened {
  ws: WebSocket;
  early: SocketMessage[];
  buffer: (data: WebSocket.RawData, isBinary: boolean) => void;
}

function openOnce(opts: ConnectOptions): Promise<Opened> {
  return new Promise((resolve, reject) => {
    let ws: WebSocket;
    try {
      ws = new WebSocket(opts.url, { headers: opts.headers, handshakeTimeout: opts.timeoutMs, perMessageDeflate: false });
    } catch (e) {
      reject(new AdapterError(`${opts.vendor}: bad URL: ${opts.redactor.errorMessage(e)}`, 'config'));
      return;
    }
    ws.binaryType = 'nodebuffer';
    const fail = (e: AdapterError): void => {
      ws.removeAllListeners();
      ws.on('error', () => {}); // a late socket error after we gave up must not crash the process
      ws.terminate();
      reject(e.kind === 'infrastructure' && opts.unreachableHint ? new AdapterError(`${e.message}. ${opts.unreachableHint}`, e.kind, e.recoverable) : e);
    };
    ws.once('open', () => {
      ws.removeAllListeners('error');
      ws.removeAllListeners('unexpected-response');
      // Buffer from this very moment: the server's first message may be in the same packet.
      const early: SocketMessage[] = [];
      const buffer = (data: WebSocket.RawData, isBinary: boolean): void => void early.push({ data, isBinary });
      ws.on('message', buffer);
      resolve({ ws, early, buffer });
    });
    ws.once('unexpected-response', (req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < 400) body += chunk;
      });
      const done = (): void => {
        req.destroy();
        fail(classifyStatus(opts, res.statusCode ?? 0, body.slice(0, 400)));
      };
      res.once('end', done);
      res.once('error', done);
    });
    ws.once('error', (e) => fail(new AdapterError(`${opts.vendor}: cannot connect: ${opts.redactor.errorMessage(e)}`, 'infrastructure', true)));
  });
}

/** HTTP status at upgrade -> AdapterError; recoverable marks what a retry may fix. */
function classifyStatus(opts: Pick<ConnectOptions, 'vendor' | 'authHint' | 'redactor'>, status: number, body: string): AdapterError {
  const detail = body.trim() ? `: ${opts.redactor.text(body.trim())}` : '';
  if (status === 401 || status === 403) {
    return new AdapterError(`${opts.vendor} refused the credentials (HTTP ${status}): ${opts.authHint}${detail}`, 'config');
  }
  if (status === 429) return new AdapterError(`${opts.vendor} is rate limiting (HTTP 429)${detail}`, 'infrastructure', true);
  if (status >= 500) return new AdapterError(`${opts.vendor} server error (HTTP ${status})${detail}`, 'infrastructure', true);
  return new AdapterError(`${opts.vendor} rejected the connection (HTTP ${status}): check the URL and model${detail}`, 'config');
}

/** Close a socket and resolve once it is closed (terminating it if the peer does not answer). */
export function closeSocket(ws: WebSocket, code = 1000, reason = 'client closed', waitMs = 2000): Promise<void> {
  const closed = awaitClose(ws, waitMs);
  if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
  else if (ws.readyState === WebSocket.OPEN) ws.close(code, reason);
  return closed;
}

/** Resolve once the peer closes the socket, terminating it after `waitMs` if it does not. */
export function awaitClose(ws: WebSocket, waitMs: number): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => ws.terminate(), waitMs);
    ws.once('close', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

/** Text of a WebSocket message whether the server framed it as text or binary. */
export function messageText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** Bytes of a WebSocket message. */
export function messageBytes(data: WebSocket.RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return data;
}
