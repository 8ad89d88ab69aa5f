/**
 * The reference server under abuse, over real loopback sockets: oversized messages, a flood of
 * connections, fuzzed protocol garbage (fast-check) and raw non-WebSocket bytes. Each abusive
 * connection is refused with a documented error and close code, never an internal error, and a
 * well-behaved session running alongside keeps being served: after the abuse it still holds a
 * whole conversation with agent audio coming back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { connect } from 'node:net';
import { synthesize } from '../../datasets/tts/espeak.ts';
import { CLOSE } from '../../adapters/ws/protocol.ts';
import { FRAME_SAMPLES } from '../frames.ts';
import { startReferenceServer, type ReferenceServer } from '../server.ts';
import { defaultVoiceBank, type VoiceBank } from '../voice-bank.ts';
import { userTrack } from '../testing/signals.ts';
import { RawClient } from '../testing/raw-client.ts';

const MAX_SESSIONS = 16;
const MAX_MESSAGE_BYTES = 65_536;
/** Close codes a refusal may use (PROTOCOL.md), 1000 for a client that said session.end. */
const DOCUMENTED = new Set<number>([
  CLOSE.normal,
  CLOSE.unsupportedFormat,
  CLOSE.protocolViolation,
  CLOSE.messageTooBig,
  CLOSE.tooManySessions,
  CLOSE.idleTimeout,
]);

let bank: VoiceBank;
let server: ReferenceServer;
let statement: Int16Array;
const serverLog: string[] = [];

beforeAll(async () => {
  bank = await defaultVoiceBank();
  server = await startReferenceServer({
    bank,
    maxSessions: MAX_SESSIONS,
    maxMessageBytes: MAX_MESSAGE_BYTES,
    idleTimeoutMs: 5_000,
    log: (l) => serverLog.push(l),
  });
  const s = await synthesize('Could you tell me how long it takes to get to the station from here?', { name: 'en-us', rate_wpm: 170, pitch: 50 });
  statement = userTrack(500 + s.words[s.words.length - 1].endMs + 6_000, [{ pcm: s.pcm, atMs: 500 }]);
});
afterAll(() => server.close());

/** A whole conversation on a fresh connection: the agent must answer with audio, no error. */
async function conversation(): Promise<number> {
  const c = await RawClient.start(server.url);
  c.audio(statement);
  const { code } = await c.end();
  expect(code).toBe(CLOSE.normal);
  expect(c.jsonOfType('error')).toEqual([]);
  return c.received.filter((r) => r.kind === 'audio').length;
}

/** A session that keeps sending silence frames in real time until stopped, and must stay served. */
function bystander(): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  const started = RawClient.start(server.url).then((c) => {
    timer = setInterval(() => c.audio(new Int16Array(FRAME_SAMPLES)), 20);
    return c;
  });
  return {
    stop: async () => {
      const c = await started;
      clearInterval(timer);
      // Never dropped nor told off: it ends the normal way.
      const { code } = await c.end();
      expect(code).toBe(CLOSE.normal);
      expect(c.jsonOfType('error')).toEqual([]);
    },
  };
}

describe('reference server under abuse', () => {
  it('oversized messages are refused (1009) without disturbing a session alongside', async () => {
    const b = bystander();
    const text = await RawClient.start(server.url);
    text.ws.send(JSON.stringify({ type: 'note', pad: 'x'.repeat(MAX_MESSAGE_BYTES * 2) }));
    expect((await text.closed).code).toBe(CLOSE.messageTooBig);
    expect(text.jsonOfType('error')[0]).toMatchObject({ fatal: true, code: 'message_too_big' });
    const huge = await RawClient.start(server.url);
    huge.ws.send(new Uint8Array(MAX_MESSAGE_BYTES * 16));
    expect((await huge.closed).code).toBe(CLOSE.messageTooBig);
    await b.stop();
  });

  it(`a flood of 200 connections: at most ${MAX_SESSIONS} at once, the rest refused with 1013, the first session unharmed`, async () => {
    const b = bystander();
    const flood = await Promise.all(Array.from({ length: 200 }, () => RawClient.connect(server.url)));
    let peak = 0;
    const closes = await Promise.all(
      flood.map(async (c) => {
        peak = Math.max(peak, server.sessionCount());
        const refused = c.closed.then((x) => x.code);
        // Those let in hold on until the end; those refused are closed by the server.
        const result = await Promise.race([refused, new Promise<'open'>((r) => setTimeout(() => r('open'), 500))]);
        return result;
      }),
    );
    const admitted = closes.filter((c) => c === 'open').length;
    expect(peak).toBeLessThanOrEqual(MAX_SESSIONS);
    expect(admitted).toBe(MAX_SESSIONS - 1); // the bystander holds one place
    expect(closes.filter((c) => c === CLOSE.tooManySessions)).toHaveLength(200 - admitted);
    for (const c of flood) c.ws.terminate();
    await expect.poll(() => server.sessionCount()).toBe(1);
    await b.stop();
    await expect.poll(() => server.sessionCount()).toBe(0);
  });

  it('raw bytes that are not WebSocket are dropped at the HTTP layer', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 2_000 }), async (bytes) => {
        const socket = connect(server.port, '127.0.0.1');
        socket.on('error', () => undefined);
        socket.resume(); // read (and drop) the server's answer, so 'close' can come
        await new Promise<void>((r) => socket.once('connect', () => r()));
        socket.end(Buffer.concat([Buffer.from(bytes), Buffer.from('\r\n\r\n')]));
        const closed = await Promise.race([
          new Promise<boolean>((r) => socket.once('close', () => r(true))),
          new Promise<boolean>((r) => setTimeout(() => r(false), 3_000)),
        ]);
        socket.destroy();
        expect(closed, `still open after ${JSON.stringify(Buffer.from(bytes).toString('latin1').slice(0, 40))}`).toBe(true);
      }),
      { numRuns: 30, seed: 9 },
    );
    expect(server.sessionCount()).toBe(0);
  });

  it('fuzzed protocol garbage: refused with documented codes, never an internal error', async () => {
    const b = bystander();
    const type = fc.constantFrom('session.start', 'session.end', 'error', 'audio', '', 'x'.repeat(300), '__proto__', 'constructor');
    const value = fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 20 }), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}));
    const jsonMessage = fc.record(
      {
        type: fc.oneof(type, value),
        sampleRate: fc.oneof(fc.constant(16_000), value),
        encoding: fc.oneof(fc.constant('pcm_s16le'), value),
        scenario: value,
        options: value,
      },
      { requiredKeys: ['type'] },
    );
    const message = fc.oneof(
      jsonMessage.map((m) => ({ text: JSON.stringify(m) })),
      fc.string({ maxLength: 200 }).map((text) => ({ text })),
      fc.uint8Array({ maxLength: 3_000 }).map((bin) => ({ bin })),
    );
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(message, { minLength: 1, maxLength: 8 }), async (handshake, messages) => {
        const c = handshake ? await RawClient.start(server.url) : await RawClient.connect(server.url);
        for (const m of messages) {
          if (c.ws.readyState !== c.ws.OPEN) break;
          c.ws.send('text' in m ? m.text : m.bin);
        }
        if (c.ws.readyState === c.ws.OPEN) c.json({ type: 'session.end' });
        const { code } = await c.closed;
        seen.set(code, (seen.get(code) ?? 0) + 1);
        expect(DOCUMENTED.has(code), `close code ${code}`).toBe(true);
        for (const e of c.jsonOfType('error')) {
          expect(typeof e.message).toBe('string');
          expect(e.code).not.toBe('internal');
        }
      }),
      { numRuns: 150, seed: 2024 },
    );
    await b.stop();
    expect(serverLog.filter((l) => /internal error/.test(l))).toEqual([]);
    // The garbage reached the refusal paths, not just the happy one.
    expect(seen.get(CLOSE.protocolViolation) ?? 0).toBeGreaterThan(10);
  });

  it('after all of it, the server still holds a whole conversation and answers with audio', async () => {
    await expect.poll(() => server.sessionCount()).toBe(0);
    expect(await conversation()).toBeGreaterThan(0);
  });
});
