/**
 * A loopback relay in front of a crosstalk-ws agent that notes when each audio message passed
 * it, each way. Put between a client (the direct ws adapter, a page, the WebRTC bridge) and the
 * reference agent, it shows where the agent's input and output were in wall time
 * (performance.now(), the clock the harness runs on in this process), whatever the client is.
 * The relay adds the same sub-millisecond hop to every path.
 */
import { WebSocket, WebSocketServer, type RawData } from 'ws';

/** Audio messages of one connection, in order: mono PCM16 and the time it passed the tap. */
export interface TappedAudio {
  atMs: number;
  pcm: Int16Array;
}

export interface TappedConnection {
  openedAtMs: number;
  /** Client -> agent (the user's audio as the agent got it). */
  toAgent: TappedAudio[];
  /** Agent -> client (the agent's audio as it left the agent). */
  fromAgent: TappedAudio[];
  /** The agent's turn decisions (`agent.decision` kinds) and interruptions, in order: what to compare when a metric differs. */
  decisions: { atMs: number; kind: string; detail: Record<string, unknown> }[];
}

export interface AgentTap {
  /** ws://127.0.0.1:port/ : give this to clients instead of the agent's URL. */
  url: string;
  connections: TappedConnection[];
  close(): Promise<void>;
}

const pcmOf = (data: RawData): Int16Array => {
  const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
  return new Int16Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength - (buf.byteLength % 2)));
};

export async function startAgentTap(agentUrl: string): Promise<AgentTap> {
  const connections: TappedConnection[] = [];
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  server.on('connection', (client) => {
    const tapped: TappedConnection = { openedAtMs: performance.now(), toAgent: [], fromAgent: [], decisions: [] };
    connections.push(tapped);
    const agent = new WebSocket(agentUrl);
    const pending: [RawData, boolean][] = [];
    const relay = (from: WebSocket, to: WebSocket, log: TappedAudio[]) =>
      from.on('message', (data, isBinary) => {
        if (isBinary) log.push({ atMs: performance.now(), pcm: pcmOf(data) });
        if (to === agent && agent.readyState === WebSocket.CONNECTING) pending.push([data, isBinary]);
        else if (to.readyState === WebSocket.OPEN) to.send(data, { binary: isBinary });
      });
    relay(client, agent, tapped.toAgent);
    relay(agent, client, tapped.fromAgent);
    agent.on('message', (data, isBinary) => {
      if (isBinary) return;
      const { type, kind, ...detail } = JSON.parse(data.toString()) as { type?: string; kind?: string };
      if (type === 'agent.decision' || type === 'agent.interrupted') tapped.decisions.push({ atMs: performance.now(), kind: kind ?? type, detail });
    });
    agent.on('open', () => {
      for (const [data, isBinary] of pending.splice(0)) agent.send(data, { binary: isBinary });
    });
    const closeBoth = () => {
      client.close();
      agent.close();
    };
    for (const ws of [client, agent]) {
      ws.on('close', closeBoth);
      ws.on('error', closeBoth);
    }
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `ws://127.0.0.1:${port}/`,
    connections,
    async close() {
      for (const c of server.clients) c.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
