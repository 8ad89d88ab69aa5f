/**
 * The demo web voice agent, served on loopback: two pages that talk to the reference agent
 * the way real products do, and the WebRTC bridge one of them needs.
 *
 *   /ws.html?agent=ws://...      the browser speaks crosstalk-ws to the agent itself
 *   /webrtc.html                 the browser speaks WebRTC to the bridge (POST /webrtc/offer)
 *
 * Both have a Start button (#start) and set `data-state` on <body>: idle, starting, live,
 * ended, error. They are the systems under test for the browser adapter and a template for
 * putting a web agent under test.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { startReferenceServer, type ReferenceServer } from '../server.ts';
import { createWebRtcBridge } from './webrtc-bridge.ts';

interface WebDemoOptions {
  /** A running crosstalk-ws agent; default: a reference server started (and closed) with the demo. */
  agentUrl?: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** More folders to serve files from (after the demo pages), e.g. a test's fixture pages. */
  extraDirs?: string[];
}

export interface WebDemo {
  /** http://host:port/ */
  url: string;
  agentUrl: string;
  /** The crosstalk-ws variant, with its agent URL filled in. */
  wsPageUrl: string;
  webrtcPageUrl: string;
  close(): Promise<void>;
}

const PAGES_DIR = join(import.meta.dirname, 'pages');
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };
const MAX_OFFER_BYTES = 64 * 1024;

export async function startWebDemo(opts: WebDemoOptions = {}): Promise<WebDemo> {
  let agent: ReferenceServer | undefined;
  const agentUrl = opts.agentUrl ?? (agent = await startReferenceServer()).url;
  const bridge = createWebRtcBridge(agentUrl);
  const dirs = [PAGES_DIR, ...(opts.extraDirs ?? [])];

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => send(res, 500, 'text/plain', `demo server: ${e instanceof Error ? e.message : String(e)}`));
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/webrtc/offer' && req.method === 'POST') {
      const body = await readBody(req);
      const offer = JSON.parse(body) as { sdp?: unknown };
      if (typeof offer.sdp !== 'string') return send(res, 400, 'text/plain', 'POST {"sdp": "<offer>"}');
      return send(res, 200, 'application/json', JSON.stringify({ sdp: await bridge.answer(offer.sdp) }));
    }
    const rel = normalize(path === '/' ? '/index.html' : path).replace(/^(\.\.[/\\])+/, '');
    for (const dir of dirs) {
      const file = join(dir, rel);
      if (!file.startsWith(dir)) continue;
      const body = await readFile(file).catch(() => undefined);
      if (body) return send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', body);
    }
    send(res, 404, 'text/plain', `not found: ${path}`);
  }

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`web demo: unexpected address ${String(address)}`);
  const url = `http://${host}:${address.port}/`;
  return {
    url,
    agentUrl,
    wsPageUrl: `${url}ws.html?agent=${encodeURIComponent(agentUrl)}`,
    webrtcPageUrl: `${url}webrtc.html`,
    async close() {
      await bridge.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await agent?.close();
    },
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const parts: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_OFFER_BYTES) throw new Error(`offer larger than ${MAX_OFFER_BYTES} bytes`);
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts).toString('utf8');
}
