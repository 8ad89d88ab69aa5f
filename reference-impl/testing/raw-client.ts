/**
 * A bare crosstalk-ws client for server tests: sends what it is told (including garbage) and
 * keeps everything it receives, in order, with the close code.
 */
import WebSocket from 'ws';
import { FRAME_SAMPLES } from '../frames.ts';
import { videoFrameMessage } from '../../adapters/ws/protocol.ts';

type Received = { kind: 'json'; msg: { type: string } & Record<string, unknown> } | { kind: 'audio'; bytes: number };

export class RawClient {
  readonly received: Received[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];
  private isClosed = false;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      this.received.push(isBinary ? { kind: 'audio', bytes: data.byteLength } : { kind: 'json', msg: JSON.parse(data.toString('utf8')) });
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        this.isClosed = true;
        for (const w of this.waiters.splice(0)) w();
        resolve({ code, reason: reason.toString() });
      }),
    );
  }

  static connect(url: string): Promise<RawClient> {
    const ws = new WebSocket(url);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new RawClient(ws)));
      ws.once('error', reject);
    });
  }

  /** Connect and complete the handshake. */
  static async start(url: string): Promise<RawClient> {
    const c = await RawClient.connect(url);
    c.json({ type: 'session.start', sampleRate: 16000, encoding: 'pcm_s16le', scenario: 'test' });
    await c.waitFor((r) => r.kind === 'json' && r.msg.type === 'session.ready');
    return c;
  }

  json(msg: unknown): void {
    this.ws.send(JSON.stringify(msg));
  }

  /** Sends `pcm` as binary messages of `samplesPerMessage` samples each, back to back. */
  audio(pcm: Int16Array, samplesPerMessage = FRAME_SAMPLES): void {
    for (let i = 0; i < pcm.length; i += samplesPerMessage) {
      const part = pcm.subarray(i, i + samplesPerMessage);
      this.ws.send(new Uint8Array(part.buffer, part.byteOffset, part.byteLength));
    }
  }

  /** One JPEG as a `video.frame` message. */
  video(jpeg: Uint8Array): void {
    this.ws.send(videoFrameMessage(jpeg));
  }

  /** Resolves once something received matches. */
  async waitFor(match: (r: Received) => boolean): Promise<Received> {
    for (;;) {
      const hit = this.received.find(match);
      if (hit) return hit;
      if (this.isClosed) throw new Error(`closed before the awaited message came; received: ${JSON.stringify(this.received.filter((r) => r.kind === 'json'))}`);
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  /** session.end, then everything the server sent before closing with 1000. */
  async end(): Promise<{ code: number; received: Received[] }> {
    this.json({ type: 'session.end' });
    const { code } = await this.closed;
    return { code, received: this.received };
  }

  jsonOfType(type: string): Record<string, unknown>[] {
    return this.received.flatMap((r) => (r.kind === 'json' && r.msg.type === type ? [r.msg] : []));
  }
}
