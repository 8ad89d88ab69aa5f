/**
 * The system under test learns nothing of the scenario: a loopback crosstalk-ws server records
 * every message the client sends in whole sessions (handshake, audio, a video frame, the end)
 * and the scenario's id appears in none of them, as text or as bytes. session.start carries an
 * opaque nonce instead, fresh for every session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createWsAdapter } from '../adapter.ts';
import { testContext } from '../testing/test-context.ts';

interface Received {
  connection: number;
  binary: boolean;
  data: Buffer;
}

const SCENARIO_ID = 'core/pause-03-zebrafish';
let wss: WebSocketServer;
let url: string;
const received: Received[] = [];

beforeAll(async () => {
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', r));
  let connections = 0;
  wss.on('connection', (ws) => {
    const connection = connections++;
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      received.push({ connection, binary: isBinary, data: Buffer.from(data) });
      if (isBinary) return;
      const m = JSON.parse(data.toString('utf8')) as { type: string };
      if (m.type === 'session.start') ws.send(JSON.stringify({ type: 'session.ready', video: { encoding: 'jpeg', maxBytes: 4096 } }));
      if (m.type === 'session.end') ws.close(1000);
    });
  });
  url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}/`;
});
afterAll(async () => {
  for (const c of wss.clients) c.terminate();
  await new Promise<void>((r) => wss.close(() => r()));
});

describe('crosstalk-ws client: no scenario on the wire', () => {
  it('session.start carries a fresh opaque nonce, and no message holds the scenario id', async () => {
    const adapter = createWsAdapter({ url, sessionOptions: { voice: 'calm' } });
    for (let k = 0; k < 2; k++) {
      const ctx = testContext(SCENARIO_ID);
      const session = await adapter.open(ctx);
      const frame = new Int16Array(320).map((_, i) => Math.round(3000 * Math.sin(i / 5)));
      for (let i = 0; i < 5; i++) session.sendAudio(frame, i * 20);
      // A JPEG-looking frame (SOI ... EOI); the client sends it only because video was offered.
      session.sendVideoFrame!(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]), 100);
      await session.close();
    }
    const texts = received
      .filter((r) => !r.binary)
      .map((r) => ({ connection: r.connection, message: JSON.parse(r.data.toString('utf8')) as Record<string, unknown> }));
    const starts = texts.filter((t) => t.message.type === 'session.start').map((t) => t.message);
    expect(starts).toHaveLength(2);
    for (const start of starts) {
      expect(Object.keys(start).sort()).toEqual(['encoding', 'options', 'sampleRate', 'session', 'type']);
      expect(start.session).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(start.options).toEqual({ voice: 'calm' });
    }
    expect(starts[0].session).not.toBe(starts[1].session);
    // Every message of both sessions: handshake, audio, video, end.
    expect(texts.map((t) => `${t.connection} ${String(t.message.type)}`)).toEqual([
      '0 session.start',
      '0 video.frame',
      '0 session.end',
      '1 session.start',
      '1 video.frame',
      '1 session.end',
    ]);
    expect(received.filter((r) => r.binary)).toHaveLength(10);
    // Not the id, nor any part of it, in any message, as text or bytes (UTF-8 and UTF-16).
    for (const needle of [SCENARIO_ID, 'pause-03', 'zebrafish', 'core/']) {
      for (const r of received) {
        expect(r.data.includes(Buffer.from(needle, 'utf8')), `${needle} in a ${r.binary ? 'binary' : 'text'} message`).toBe(false);
        expect(r.data.includes(Buffer.from(needle, 'utf16le')), `${needle} (UTF-16) in a message`).toBe(false);
      }
    }
  });
});
