/**
 * A real WebSocket server on loopback for the fake vendors: it can refuse upgrades with an
 * HTTP status (to play 401/429/5xx), and hands accepted sockets to the fake's protocol code.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

interface UpgradeRefusal {
  status: number;
  body?: string;
}

export interface FakeWsServerOptions {
  /** Decide on an upgrade request: a refusal, or undefined to accept. */
  checkUpgrade(req: IncomingMessage, url: URL): UpgradeRefusal | undefined;
  onConnection(ws: WebSocket, req: IncomingMessage, url: URL): void;
}

export interface FakeWsServer {
  /** ws://127.0.0.1:PORT */
  readonly origin: string;
  readonly sockets: Set<WebSocket>;
  /** Refuse the next upgrades with these statuses, in order, before accepting again. */
  refuseNext(...statuses: number[]): void;
  /** Close every open socket with this code (a vendor dropping its sessions). */
  dropAll(code: number, reason: string): void;
  stop(): Promise<void>;
}

export async function startFakeWsServer(opts: FakeWsServerOptions): Promise<FakeWsServer> {
  const refusals: number[] = [];
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const http = createServer((_req, res) => {
    res.writeHead(426).end('WebSocket only');
  });
  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const queued = refusals.shift();
    const refusal = queued !== undefined ? { status: queued, body: `{"error":"planted ${queued}"}` } : opts.checkUpgrade(req, url);
    if (refusal) {
      const body = refusal.body ?? '';
      socket.end(
        `HTTP/1.1 ${refusal.status} Refused\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => {});
      opts.onConnection(ws, req, url);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    origin: `ws://127.0.0.1:${port}`,
    sockets,
    refuseNext: (...statuses) => refusals.push(...statuses),
    dropAll(code, reason) {
      for (const ws of sockets) ws.close(code, reason);
    },
    async stop() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** Run `fn` at performance.now() time `atMs` (at once if past): how fakes plant delays. */
export function laterAt(atMs: number, fn: () => void): NodeJS.Timeout {
  return setTimeout(fn, Math.max(0, atMs - performance.now()));
}
