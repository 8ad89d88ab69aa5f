/**
 * The generic crosstalk-ws client against real loopback servers: the reference server for
 * the conversation path, a scripted one for what servers rarely send.
 */
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError, type AdapterEvent } from '../../../harness/adapter.ts';
import { synthesize } from '../../../datasets/tts/espeak.ts';
import { startReferenceServer, type ReferenceServer } from '../../../reference-impl/server.ts';
import { FRAME_SAMPLES } from '../../../reference-impl/frames.ts';
import { runAgent } from '../../../reference-impl/testing/conversation.ts';
import { userTrack } from '../../../reference-impl/testing/signals.ts';
import { defaultVoiceBank } from '../../../reference-impl/voice-bank.ts';
import { createWsAdapter } from '../adapter.ts';
import { startScriptedServer } from '../testing/scripted-server.ts';
import { testContext } from '../testing/test-context.ts';

let server: ReferenceServer;
let track: Int16Array;
/** The statement alone: the agent answers it and plays the answer to its end. */
let statementOnly: Int16Array;

beforeAll(async () => {
  server = await startReferenceServer();
  const q = await synthesize('We moved into the new apartment last month and we still have boxes everywhere.', { name: 'en-gb', rate_wpm: 170, pitch: 50 });
  const statementEndMs = 500 + q.words[q.words.length - 1].endMs;
  const answerStartMs = (await runAgent(await defaultVoiceBank(), userTrack(statementEndMs + 2_000, [{ pcm: q.pcm, atMs: 500 }]))).speechStartAfter(0)!;
  const barge = await synthesize('Hold on, wait.', { name: 'en-gb', rate_wpm: 170, pitch: 50 });
  track = userTrack(answerStartMs + 3_000, [
    { pcm: q.pcm, atMs: 500 },
    { pcm: barge.pcm, atMs: answerStartMs + 1_000 },
  ]);
  statementOnly = userTrack(answerStartMs + 12_000, [{ pcm: q.pcm, atMs: 500 }]);
});
afterAll(() => server.close());

/** Every frame of `pcm` through the session (not paced: the adapter never paces). */
function sendAll(session: { sendAudio(p: Int16Array, t: number): unknown }, pcm: Int16Array): void {
  for (let i = 0; i + FRAME_SAMPLES <= pcm.length; i += FRAME_SAMPLES) session.sendAudio(pcm.subarray(i, i + FRAME_SAMPLES), (i / FRAME_SAMPLES) * 20);
}

const ofType = <T extends AdapterEvent['type']>(events: AdapterEvent[], type: T) =>
  events.filter((e): e is Extract<AdapterEvent, { type: T }> => e.type === type);

async function openError(url: string, opts: Partial<Parameters<typeof createWsAdapter>[0]> = {}): Promise<AdapterError> {
  const err = await createWsAdapter({ url, connectTimeoutMs: 2_000, ...opts })
    .open(testContext())
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(err).toBeInstanceOf(AdapterError);
  return err as AdapterError;
}

describe('ws adapter against the reference server', () => {
  it('declares its capabilities', () => {
    expect(createWsAdapter({ url: server.url }).capabilities).toEqual({
      inputSampleRate: 16000,
      video: true,
      transcripts: true,
      serverTurnDetection: true,
      virtualTime: false,
      truncation: false,
    });
    expect(createWsAdapter({ url: server.url, sampleRate: 24000 }).capabilities.inputSampleRate).toBe(24000);
  });

  it('streams a conversation: audio, decisions, interruption (no transcript for the cut answer), network facts', async () => {
    const ctx = testContext();
    const session = await createWsAdapter({ url: server.url }).open(ctx);
    sendAll(session, track);
    await ctx.waitFor((e) => e.type === 'interrupted');
    await session.close();

    const audio = ofType(ctx.events, 'audio');
    expect(audio.length).toBeGreaterThan(10);
    expect(audio.every((a) => a.sampleRate === 16000 && a.pcm.length === FRAME_SAMPLES)).toBe(true);
    expect(audio.some((a) => a.pcm.some((v) => v !== 0))).toBe(true);
    expect(ofType(ctx.events, 'interrupted')).toEqual([{ type: 'interrupted', reason: 'agent.interrupted' }]);
    // The answer was cut 1 s in: the agent claims no words it did not play whole (its first sentence is longer).
    expect(ofType(ctx.events, 'transcript').filter((t) => t.role === 'agent')).toEqual([]);
    // The agent's decisions reach the client as vendor events: it answers, then holds when the
    // user talks over it (what follows, resume or barge-in, is the agent's policy, not the protocol).
    expect(
      ofType(ctx.events, 'vendor')
        .map((v) => (v.payload as { kind: string }).kind)
        .slice(0, 2),
    ).toEqual(['answer', 'hold']);
    expect(ofType(ctx.events, 'network').map((n) => n.name)).toEqual(['connect_ms', 'first_byte_ms']);
    expect(ofType(ctx.events, 'network').every((n) => n.valueMs >= 0)).toBe(true);
    // A close we asked for is not reported as an error or a remote close.
    expect(ofType(ctx.events, 'error')).toEqual([]);
    expect(ofType(ctx.events, 'closed')).toEqual([]);
  });

  it('streams the transcript of an answer played whole, once it has played', async () => {
    const ctx = testContext();
    const session = await createWsAdapter({ url: server.url }).open(ctx);
    sendAll(session, statementOnly);
    const transcript = await ctx.waitFor((e) => e.type === 'transcript');
    await session.close();
    expect(transcript).toMatchObject({ role: 'agent', final: true });
    expect((transcript as Extract<AdapterEvent, { type: 'transcript' }>).text.length).toBeGreaterThan(3);
  });

  it('reports the server going away as a non-recoverable error and closed', async () => {
    const own = await startReferenceServer();
    const ctx = testContext();
    await createWsAdapter({ url: own.url }).open(ctx);
    await own.close();
    await ctx.waitFor((e) => e.type === 'closed');
    expect(ofType(ctx.events, 'error')).toEqual([{ type: 'error', message: 'server: server shutting down', recoverable: false, code: 'shutdown' }]);
    expect(ofType(ctx.events, 'closed')).toEqual([{ type: 'closed', reason: 'server closed (code 1001: shutdown)' }]);
  });
});

describe('ws adapter: refusals', () => {
  it('rejects an unreachable server as infrastructure, naming the URL without its credentials', async () => {
    const probe = await startScriptedServer();
    const url = probe.url.replace('ws://', 'ws://alice:s3cret@') + '?token=abc123';
    await probe.close(); // the port is free now: nothing listens there
    const err = await openError(url);
    expect(err.kind).toBe('infrastructure');
    expect(err.message).toContain('ECONNREFUSED');
    expect(err.message).toContain('crosstalk serve reference --port N');
    expect(err.message).toContain(probe.url.replace('ws://', 'ws://***@') + '?token=***');
    expect(err.message).not.toMatch(/s3cret|abc123|alice/);
  });

  it('rejects a server refusing the session (too many sessions) with its message', async () => {
    const full = await startReferenceServer({ maxSessions: 0 });
    const err = await openError(full.url);
    expect(err.kind).toBe('infrastructure');
    expect(err.message).toContain('refused the session: too many sessions');
    await full.close();
  });

  it('rejects an unsupported sample rate as a configuration error', async () => {
    const err = await openError(server.url, { sampleRate: 24000 });
    expect(err.kind).toBe('config');
    expect(err.message).toContain('sampleRate 24000 is not supported');
  });

  it('rejects HTTP 401 on the upgrade as a configuration error', async () => {
    const http = createServer();
    http.on('upgrade', (_req, socket) => socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n'));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const { port } = http.address() as { port: number };
    const err = await openError(`ws://127.0.0.1:${port}/`);
    expect(err.kind).toBe('config');
    expect(err.message).toContain('HTTP 401');
    await new Promise((r) => http.close(r));
  });

  it('times out a server that never says session.ready', async () => {
    const silent = await startScriptedServer(() => {});
    const err = await openError(silent.url, { connectTimeoutMs: 150 });
    expect(err.kind).toBe('infrastructure');
    expect(err.message).toContain('no session.ready from');
    await silent.close();
  });
});

describe('ws adapter: network facts', () => {
  it('first_byte_ms runs from the start of the connection to the first server message (a session.ready planted 300 ms late), not to the first agent audio', async () => {
    const READY_DELAY_MS = 300;
    const slow = await startScriptedServer((ws) => setTimeout(() => ws.send(JSON.stringify({ type: 'session.ready' })), READY_DELAY_MS));
    const ctx = testContext();
    const openedAtMs = performance.now();
    const session = await createWsAdapter({ url: slow.url }).open(ctx);
    const openMs = performance.now() - openedAtMs;
    // The first agent audio comes well after: it must not move first_byte_ms.
    session.sendAudio(new Int16Array(FRAME_SAMPLES), 0);
    (await slow.session()).send(new Uint8Array([1, 0]));
    await ctx.waitFor((e) => e.type === 'audio');
    await session.close();
    await slow.close();

    const net = ofType(ctx.events, 'network');
    expect(net.map((n) => n.name)).toEqual(['connect_ms', 'first_byte_ms']);
    const [connect, firstByte] = net.map((n) => n.valueMs);
    // Timers may fire up to 1 ms early by performance.now().
    expect(firstByte).toBeGreaterThanOrEqual(connect + READY_DELAY_MS - 1);
    // Received before open() resolved, which waits for session.ready.
    expect(firstByte).toBeLessThanOrEqual(openMs);
  });
});

describe('ws adapter: what servers rarely send', () => {
  it('reports garbage as recoverable protocol errors and passes unknown events on as vendor events', async () => {
    const scripted = await startScriptedServer();
    const ctx = testContext();
    const session = await createWsAdapter({ url: scripted.url }).open(ctx);
    const ws = await scripted.session();
    ws.send('not json');
    ws.send(JSON.stringify({ type: 'transcript', role: 'narrator', text: 'x' }));
    ws.send(new Uint8Array([1, 0, 2, 0, 9]));
    ws.send(JSON.stringify({ type: 'usage', tokens: 3 }));
    ws.send(JSON.stringify({ type: 'error', message: 'rate limited for a moment', fatal: false, code: 'busy' }));
    await ctx.waitFor((e) => e.type === 'error' && e.code === 'busy');
    expect(ctx.events.map((e) => e.type)).toEqual(['network', 'network', 'error', 'error', 'error', 'audio', 'vendor', 'error']); // connect_ms, first_byte_ms (session.ready)
    expect(ofType(ctx.events, 'audio')[0].pcm).toEqual(Int16Array.from([1, 2]));
    expect(ofType(ctx.events, 'vendor')[0]).toEqual({ type: 'vendor', name: 'usage', payload: { type: 'usage', tokens: 3 } });
    expect(ofType(ctx.events, 'error').map((e) => [e.recoverable, e.code])).toEqual([
      [true, 'protocol'],
      [true, 'protocol'],
      [true, 'protocol'],
      [true, 'busy'],
    ]);
    await session.close();
    await scripted.close();
  });

  it('reports an unexpected close without a prior fatal error as an error and closed', async () => {
    const scripted = await startScriptedServer();
    const ctx = testContext();
    await createWsAdapter({ url: scripted.url }).open(ctx);
    (await scripted.session()).close(1011, 'boom');
    await ctx.waitFor((e) => e.type === 'closed');
    expect(ofType(ctx.events, 'error')).toEqual([
      { type: 'error', message: 'crosstalk-ws: server closed the session unexpectedly (code 1011: boom)', recoverable: false, code: 'close_1011' },
    ]);
    await scripted.close();
  });

  it('closes the session when the run is aborted', async () => {
    const ctx = testContext();
    await createWsAdapter({ url: server.url }).open(ctx);
    ctx.abort();
    await new Promise<void>((r) => {
      const poll = () => (server.sessionCount() === 0 ? r() : setImmediate(poll));
      poll();
    });
    expect(ofType(ctx.events, 'closed')).toEqual([]);
  });
});
