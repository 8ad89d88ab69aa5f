/**
 * The loopback WebSocket between the harness and the injected page script: one server per
 * adapter, one connection per session, told apart by a random token in the path.
 *
 * Why a WebSocket and not Playwright's exposeBinding/evaluate: audio goes both ways 50-100
 * times a second. Over the link it travels as raw binary straight to the renderer; through
 * Playwright it would be JSON-encoded and queued behind every other CDP message, which adds
 * both cost and jitter to exactly the timings this adapter measures.
 */
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodePlayed, parsePageMessage, type PageMessage, type PlayedChunk } from './link-protocol.ts';

export interface PageLink {
  /** ws:// URL the page connects to. */
  url: string;
  /** Resolves when the page connects. */
  connected: Promise<void>;
  send(data: Buffer | string): void;
  onMessage(fn: (m: PageMessage) => void): void;
  onPlayed(fn: (c: PlayedChunk) => void): void;
  onClose(fn: () => void): void;
  close(): void;
}

export interface LinkServer {
  /** A link waiting for its page. */
  expect(): PageLink;
  close(): Promise<void>;
}

export async function startLinkServer(): Promise<LinkServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const address = wss.address();
  if (address === null || typeof address === 'string') throw new Error(`browser link: unexpected address ${String(address)}`);
  const waiting = new Map<string, (ws: WebSocket) => void>();

  wss.on('connection', (ws, req) => {
    const token = (req.url ?? '').slice(1);
    const accept = waiting.get(token);
    if (!accept) {
      ws.close(1008, 'unknown session');
      return;
    }
    accept(ws);
  });

  return {
    expect(): PageLink {
      const token = randomBytes(12).toString('hex');
      let socket: WebSocket | undefined;
      const messageFns: ((m: PageMessage) => void)[] = [];
      const playedFns: ((c: PlayedChunk) => void)[] = [];
      const closeFns: (() => void)[] = [];
      const connected = new Promise<void>((resolve) => {
        // A page that navigates connects again from its new document: the newest socket wins.
        waiting.set(token, (ws) => {
          socket?.terminate();
          socket = ws;
          ws.on('message', (data: Buffer, isBinary: boolean) => {
            if (isBinary) {
              const chunk = decodePlayed(data);
              if (chunk) for (const fn of playedFns) fn(chunk);
              return;
            }
            const m = parsePageMessage(data.toString('utf8'));
            if (m) for (const fn of messageFns) fn(m);
          });
          ws.on('close', () => {
            if (socket === ws) for (const fn of closeFns) fn();
          });
          resolve();
        });
      });
      return {
        url: `ws://127.0.0.1:${address.port}/${token}`,
        connected,
        send(data) {
          if (socket?.readyState === socket?.OPEN) socket?.send(data);
        },
        onMessage: (fn) => void messageFns.push(fn),
        onPlayed: (fn) => void playedFns.push(fn),
        onClose: (fn) => void closeFns.push(fn),
        close() {
          waiting.delete(token);
          socket?.close();
        },
      };
    },
    async close() {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
