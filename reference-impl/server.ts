/**
 * The reference agent behind a real WebSocket server speaking crosstalk-ws v1
 * (adapters/ws/PROTOCOL.md): one ReferenceAgent per connection. Loopback only unless a host
 * is given.
 */
import { createServer as createHttpServer, STATUS_CODES } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { InputError } from '../harness/errors.ts';
import { CLOSE, errorMessage } from '../adapters/ws/protocol.ts';
import { ServerSession } from './server-session.ts';
import type { KeywordSpotter } from './perception/keywords/spotter.ts';
import { defaultKeywordSpotter } from './perception/keywords/templates.ts';
import { bundledOnsetClassifier } from './perception/keywords/onset-model.ts';
import { warmSharedTtsThread } from './speech/tts-thread.ts';
import { sharedRecognizer } from './perception/lexical/recognizer.ts';
import { loadSileroModel, SileroBatcher, type Device } from './perception/silero.ts';
import type { PolicyConfig } from './policy.ts';
import { defaultVoiceBank, type VoiceBank } from './voice-bank.ts';

interface ReferenceServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  maxSessions?: number;
  maxMessageBytes?: number;
  idleTimeoutMs?: number;
  /** Default: the bank rendered with the default voice (once per process). */
  bank?: VoiceBank;
  /** Default: the spotter with the default vocabulary (built once per process). */
  spotter?: KeywordSpotter;
  /**
   * Where the neural parts run (default cpu). The model is loaded before listening, so a
   * device that cannot run it fails here with an InputError (exit 2 in the CLI).
   */
  device?: Device;
  /** How every session meets speech over its answer (default DEFAULT_POLICY). */
  policy?: PolicyConfig;
  /** Where session-level problems are reported (default: nowhere). */
  log?: (line: string) => void;
}

export interface ReferenceServer {
  /** ws://host:port/ */
  url: string;
  port: number;
  /** Sessions open now. */
  sessionCount(): number;
  /** Ends every session (fatal `shutdown`, close 1001) and stops listening. */
  close(): Promise<void>;
}

export const REFERENCE_SERVER_DEFAULTS = {
  host: '127.0.0.1',
  maxSessions: 64,
  maxMessageBytes: 65_536,
  idleTimeoutMs: 15_000,
} as const;

/** The WebSocket layer refuses to read messages this many times over the limit at all. */
const HARD_PAYLOAD_FACTOR = 4;

export async function startReferenceServer(opts: ReferenceServerOptions = {}): Promise<ReferenceServer> {
  const host = opts.host ?? REFERENCE_SERVER_DEFAULTS.host;
  const service = await createService(opts);
  try {
    await listenOn(service.http, host, opts.port ?? 0);
  } catch (e) {
    await service.close();
    throw e;
  }
  const address = service.http.address();
  if (address === null || typeof address === 'string') throw new Error(`reference server: unexpected address ${String(address)}`);
  const port = address.port;
  return {
    url: serverUrl(host, port),
    port,
    sessionCount: service.sessionCount,
    close: service.close,
  };
}

/** The ws:// URL of a server on host:port (an IPv6 address in brackets). */
export const serverUrl = (host: string, port: number) => `ws://${host.includes(':') ? `[${host}]` : host}:${port}/`;

/** A reference server without a listening socket of its own: a process that accepts connections hands them over. */
export interface HandedReferenceServer {
  /** Serves a connection accepted elsewhere (paused, nothing read yet); `closed` runs when it ends. */
  accept(socket: Socket, closed: () => void): void;
  sessionCount(): number;
  close(): Promise<void>;
}

export async function startHandedReferenceServer(opts: Omit<ReferenceServerOptions, 'host' | 'port'> = {}): Promise<HandedReferenceServer> {
  const service = await createService(opts);
  return {
    accept: (socket, closed) => {
      socket.once('close', closed);
      service.http.emit('connection', socket);
      socket.resume();
    },
    sessionCount: service.sessionCount,
    close: service.close,
  };
}

/** Listens, or fails with the address and what to do when the address cannot be had. */
export async function listenOn(server: NetServer, host: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (e: Error & { code?: string }) =>
      reject(
        e.code === 'EADDRINUSE' || e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL'
          ? new InputError(`cannot listen on ${host}:${port} (${e.code})`, {
              field: 'port',
              hint: 'Choose another --port (0 picks a free one) or --host.',
            })
          : e,
      ),
    );
    server.listen(port, host);
  });
}

/** The agent's models and sessions behind an HTTP server that upgrades to WebSocket (not listening yet). */
async function createService(opts: ReferenceServerOptions) {
  const maxSessions = opts.maxSessions ?? REFERENCE_SERVER_DEFAULTS.maxSessions;
  const limits = {
    maxMessageBytes: opts.maxMessageBytes ?? REFERENCE_SERVER_DEFAULTS.maxMessageBytes,
    idleTimeoutMs: opts.idleTimeoutMs ?? REFERENCE_SERVER_DEFAULTS.idleTimeoutMs,
  };
  const log = opts.log ?? (() => {});
  const bank = opts.bank ?? (await defaultVoiceBank());
  const spotter = opts.spotter ?? (await defaultKeywordSpotter());
  const onset = await bundledOnsetClassifier();
  const recognizer = opts.policy?.lexical ? sharedRecognizer() : undefined;
  await warmSharedTtsThread();
  // One batcher for all sessions: windows that arrive in the same event-loop turn run as one batch.
  const silero = new SileroBatcher(await loadSileroModel(opts.device ?? 'cpu'));

  // A plain HTTP request is told to upgrade (426), as the ws library's own server answers it.
  const http = createHttpServer((_req, res) => {
    const body = STATUS_CODES[426]!;
    res.writeHead(426, { 'Content-Length': body.length, 'Content-Type': 'text/plain' }).end(body);
  });
  const wss = new WebSocketServer({ server: http, maxPayload: limits.maxMessageBytes * HARD_PAYLOAD_FACTOR });
  const sessions = new Set<ServerSession>();
  wss.on('connection', (ws) => {
    if (sessions.size >= maxSessions) {
      ws.send(errorMessage(`too many sessions: this server takes at most ${maxSessions} at once; try again later`, true, 'too_many_sessions'));
      ws.close(CLOSE.tooManySessions, 'too_many_sessions');
      return;
    }
    const session = new ServerSession(ws, { bank, silero, spotter, onset, recognizer, policy: opts.policy }, limits, log);
    sessions.add(session);
    ws.on('close', () => sessions.delete(session));
  });

  return {
    http,
    sessionCount: () => sessions.size,
    close: async () => {
      for (const s of sessions) s.fail(CLOSE.shutdown, 'shutdown', 'server shutting down');
      // Give closing handshakes a moment, then cut whatever is left.
      const force = setTimeout(() => {
        for (const c of wss.clients) c.terminate();
      }, 1_000);
      await Promise.all([...wss.clients].map((c) => (c.readyState === c.CLOSED ? undefined : new Promise((r) => c.once('close', r)))));
      clearTimeout(force);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      if (http.listening) await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
