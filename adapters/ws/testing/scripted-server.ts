/**
 * A crosstalk-ws server that says exactly what a test scripts, for the client's handling of
 * what a real server rarely sends: garbage, errors, odd audio, closes. The handshake is the
 * protocol's own; `onStart` replaces the `session.ready` reply when given.
 */
import { WebSocketServer, type WebSocket } from 'ws';

export interface Scripted {
  url: string;
  /** The server side of the first connection, once the client said session.start. */
  session(): Promise<WebSocket>;
  close(): Promise<void>;
}

export async function startScriptedServer(onStart?: (ws: WebSocket) => void): Promise<Scripted> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', r));
  let resolveSession: (ws: WebSocket) => void = () => {};
  const session = new Promise<WebSocket>((r) => (resolveSession = r));
  wss.on('connection', (ws) => {
    ws.once('message', () => {
      if (onStart) onStart(ws);
      else ws.send(JSON.stringify({ type: 'session.ready' }));
      resolveSession(ws);
      ws.on('message', (data, isBinary) => {
        if (!isBinary && JSON.parse(data.toString()).type === 'session.end') ws.close(1000);
      });
    });
  });
  const { port } = wss.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}/`,
    session: () => session,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}
