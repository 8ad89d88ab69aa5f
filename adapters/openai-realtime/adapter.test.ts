import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { AdapterError, type AdapterEvent } from '../../harness/adapter.ts';
import { collectingContext } from '../shared/testing/collect.ts';
import { expectAdapterLegs, vendorFixture } from '../shared/testing/vendor-fixture.ts';
import { PlayoutModel } from '../shared/testing/playout-model.ts';
import { concat, noiseFloor, playFrames, tone } from '../shared/testing/signals.ts';
import { createOpenAIRealtimeAdapter } from './adapter.ts';
import { startFakeOpenAIServer } from './testing/fake-server.ts';

const KEY = 'sk-SENTINEL-0123456789abcdef';
const RATE = 24_000;
const RESPONSE_DELAY_MS = 600;
const SPEECH_STARTED_DELAY_MS = 150;

const vendor = vendorFixture(KEY, () =>
  startFakeOpenAIServer({ apiKey: KEY, responseDelayMs: RESPONSE_DELAY_MS, speechStartedDelayMs: SPEECH_STARTED_DELAY_MS, responseAudioMs: 3000, speedup: 4 }),
);
const { ctxFor } = vendor;

const isAudio = (e: AdapterEvent): e is Extract<AdapterEvent, { type: 'audio' }> => e.type === 'audio';

describe('openai-realtime against the fake GA server', () => {
  it('server VAD: planted response delay, barge-in, interrupted -> playoutFlushed -> truncate', async () => {
    const c = ctxFor({ silenceDurationMs: 200 });
    const adapter = createOpenAIRealtimeAdapter();
    const session = await adapter.open(c.ctx);
    const before = vendor.fake.record.clientEventTypes.length;
    expect(vendor.fake.record.clientEventTypes[before - 1]).toBe('session.update');
    const update = vendor.fake.record.sessionUpdates.at(-1) as any;
    expect(update.audio.input.format).toEqual({ type: 'audio/pcm', rate: 24000 });
    expect(update.audio.output.format).toEqual({ type: 'audio/pcm', rate: 24000 });
    expect(update.audio.input.turn_detection).toEqual({ type: 'server_vad', silence_duration_ms: 200 });

    // The test plays the runner: playout model, flush on interrupted.
    const playout = new PlayoutModel();
    let flushSent: { playedMs: number; receivedMs: number } | undefined;
    const emit = c.ctx.emit;
    c.ctx.emit = (e) => {
      emit(e);
      const t = c.clock.nowMs();
      if (e.type === 'audio') playout.receive(t, (e.pcm.length / e.sampleRate) * 1000);
      if (e.type === 'interrupted') {
        flushSent = playout.flush(t);
        session.playoutFlushed!(flushSent);
      }
    };

    // Speech 300..1100 ms, barge-in 2300..2900 ms (stream positions of the user track).
    const user = concat(noiseFloor(300, RATE), tone(800, RATE), noiseFloor(1200, RATE), tone(600, RATE), noiseFloor(400, RATE));
    const rec = vendor.fake.record;
    const seen = {
      ends: rec.speechEndArrivedAtMs.length,
      onsets: rec.onsetArrivedAtMs.length,
      replies: rec.responseAudioSentAtMs.length,
      started: rec.speechStartedSentAtMs.length,
    };
    const start = c.clock.nowMs();
    const handedAtMs = await playFrames(session, user, RATE, c.clock, start);
    await c.waitFor((e) => e.type === 'vendor' && e.name === 'conversation.item.truncated');
    await session.close();
    await session.close(); // twice is safe

    const audio = c.events.filter((x) => isAudio(x.event));
    expect(audio.length).toBeGreaterThan(0);
    for (const a of audio) expect((a.event as Extract<AdapterEvent, { type: 'audio' }>).sampleRate).toBe(24_000);
    // Frame k covers [20k, 20k + 20): the speech ends with frame 54, the barge-in starts with frame 115.
    const interrupted = c.of('interrupted')[0];
    expectAdapterLegs('openai', c.clock, [
      {
        name: 'response',
        plantedMs: RESPONSE_DELAY_MS,
        handedAtMs: handedAtMs[54],
        fakeArrivedAtPerfMs: rec.speechEndArrivedAtMs[seen.ends],
        fakeSentAtPerfMs: rec.responseAudioSentAtMs[seen.replies],
        emittedAtMs: audio[0].t,
        endToEndMs: audio[0].t - (start + 1100),
      },
      {
        name: 'speech_started',
        plantedMs: SPEECH_STARTED_DELAY_MS,
        handedAtMs: handedAtMs[115],
        fakeArrivedAtPerfMs: rec.onsetArrivedAtMs[seen.onsets + 1], // the first onset is the question's
        fakeSentAtPerfMs: rec.speechStartedSentAtMs[seen.started + 1],
        emittedAtMs: interrupted.t,
        endToEndMs: interrupted.t - (start + 2320),
      },
    ]);

    // Truncate carries what was played of the item (it began at stream position 0).
    expect(flushSent).toBeDefined();
    expect(flushSent!.playedMs).toBeLessThan(flushSent!.receivedMs);
    expect(vendor.fake.record.truncates).toHaveLength(1);
    const tr = vendor.fake.record.truncates[0];
    expect(tr).toMatchObject({ content_index: 0, audio_end_ms: Math.floor(flushSent!.playedMs), accepted: true });
    // Audio arrived faster than real time: most of the 3000 ms response (the barge-in cancels
    // the tail, how much depends on where the burst was) within about a second.
    const received = audio.reduce((n, a) => n + (a.event as any).pcm.length, 0);
    expect(received / RATE).toBeGreaterThan(2.5);
    expect(received / RATE).toBeLessThanOrEqual(3);
    expect(audio.at(-1)!.t - audio[0].t).toBeLessThan(1500);
    const transcripts = c.of('transcript').map((x) => x.event);
    expect(transcripts).toContainEqual({ type: 'transcript', role: 'agent', text: 'fake reply', final: false });
    expect(c.of('vendor').map((v) => v.event.name)).toContain('input_audio_buffer.speech_started');
    const net = c.of('network').map((n) => n.event.name);
    expect(net).toEqual(expect.arrayContaining(['connect_ms', 'first_byte_ms', 'rtt_ms']));
    expect(c.of('error')).toEqual([]);
    expect(c.of('closed')).toEqual([]);
  });

  it('turn detection none: the adapter commits after its energy hangover and asks for a response', async () => {
    const c = ctxFor({ turnDetection: 'none', commitHangoverMs: 300 });
    const session = await createOpenAIRealtimeAdapter({ turnDetection: 'none' }).open(c.ctx);
    expect((vendor.fake.record.sessionUpdates.at(-1) as any).audio.input.turn_detection).toBeNull();
    const rec = vendor.fake.record;
    const from = rec.clientEventTypes.length;
    const seen = { creates: rec.responseCreateArrivedAtMs.length, replies: rec.responseAudioSentAtMs.length };
    const start = c.clock.nowMs();
    const handedAtMs = await playFrames(session, concat(noiseFloor(200, RATE), tone(500, RATE), noiseFloor(500, RATE)), RATE, c.clock, start);
    const first = await c.waitFor(isAudio);
    const types = rec.clientEventTypes.slice(from);
    const commit = types.indexOf('input_audio_buffer.commit');
    expect(commit).toBeGreaterThan(0);
    expect(types[commit + 1]).toBe('response.create');
    // Speech ends at 700 (with frame 34); the local VAD ends it once the quiet is longer than its
    // 300 ms merge gap, which frame 50 makes certain: the commit and response.create go with it;
    // then the fake's planted delay.
    expectAdapterLegs('openai manual commit', c.clock, [
      {
        name: 'response after the hangover',
        plantedMs: RESPONSE_DELAY_MS,
        handedAtMs: handedAtMs[50],
        fakeArrivedAtPerfMs: rec.responseCreateArrivedAtMs[seen.creates],
        fakeSentAtPerfMs: rec.responseAudioSentAtMs[seen.replies],
        emittedAtMs: first.t,
        endToEndMs: first.t - (start + 700),
      },
    ]);
    await session.close();
  });

  it('a missing key is a config error naming OPENAI_API_KEY, before any connection', async () => {
    const saved = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    const connections = vendor.fake.record.connections;
    const c = collectingContext({ url: vendor.fake.url });
    const err = await createOpenAIRealtimeAdapter()
      .open(c.ctx)
      .catch((e: unknown) => e);
    if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
    expect(err).toBeInstanceOf(AdapterError);
    expect(err).toMatchObject({ kind: 'config' });
    expect((err as Error).message).toContain('OPENAI_API_KEY');
    expect(vendor.fake.record.connections).toBe(connections);
  });

  it('401 at upgrade -> config error without the key in it', async () => {
    const other = await startFakeOpenAIServer({ apiKey: 'sk-another-key-entirely' });
    const c = ctxFor({ url: other.url });
    const err = await createOpenAIRealtimeAdapter()
      .open(c.ctx)
      .catch((e: unknown) => e);
    await other.stop();
    expect(err).toMatchObject({ name: 'AdapterError', kind: 'config' });
    expect((err as Error).message).toMatch(/HTTP 401.*OPENAI_API_KEY/);
    expect((err as Error).message).not.toContain(KEY);
  });

  it('429 and 5xx at upgrade are retried with backoff, then give up as infrastructure', async () => {
    vendor.fake.server.refuseNext(429, 503);
    const connections = vendor.fake.record.connections;
    const c = ctxFor({});
    const session = await createOpenAIRealtimeAdapter().open(c.ctx);
    expect(vendor.fake.record.connections).toBe(connections + 1);
    await session.close();

    vendor.fake.server.refuseNext(500, 502, 429);
    const err = await createOpenAIRealtimeAdapter()
      .open(ctxFor({ retryAttempts: 3 }).ctx)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'infrastructure', recoverable: false });
    expect((err as Error).message).toMatch(/HTTP 429.*gave up after 3 attempts/);
  });

  it('a close mid-session is an error (not recoverable) and a closed event', async () => {
    const c = ctxFor({});
    const session = await createOpenAIRealtimeAdapter().open(c.ctx);
    vendor.fake.server.dropAll(1011, 'internal server error');
    const closed = await c.waitFor((e) => e.type === 'closed');
    const error = c.of('error')[0].event;
    expect(error).toMatchObject({ recoverable: false, code: 'ws_close_1011' });
    expect(error.message).toContain('internal server error');
    expect(closed.event).toMatchObject({ type: 'closed' });
    session.sendAudio(new Int16Array(480), 0); // after the end: dropped, no throw
    await session.close();
  });

  it('first_byte_ms runs from the start of the connection to the first server message (session.created planted 300 ms late)', async () => {
    const CREATED_DELAY_MS = 300;
    const slow = await startFakeOpenAIServer({ apiKey: KEY, sessionCreatedDelayMs: CREATED_DELAY_MS });
    const c = ctxFor({ url: slow.url });
    const openedAtMs = performance.now();
    const session = await createOpenAIRealtimeAdapter().open(c.ctx);
    const openMs = performance.now() - openedAtMs;
    await session.close();
    await slow.stop();
    const firstByte = c.of('network').filter((n) => n.event.name === 'first_byte_ms');
    expect(firstByte).toHaveLength(1);
    // The planted delay starts after the connection started (timers may fire up to 1 ms early by performance.now()).
    expect(firstByte[0].event.valueMs).toBeGreaterThanOrEqual(CREATED_DELAY_MS - 1);
    // Received before open() resolved, which waits for session.created and session.updated.
    expect(firstByte[0].event.valueMs).toBeLessThanOrEqual(openMs);
  });

  it('a beta-protocol server is refused at setup, and beta event names mid-session are an error', async () => {
    const beta = await startFakeOpenAIServer({ apiKey: KEY, beta: true });
    const err = await createOpenAIRealtimeAdapter()
      .open(ctxFor({ url: beta.url }).ctx)
      .catch((e: unknown) => e);
    await beta.stop();
    expect(err).toMatchObject({ kind: 'protocol' });
    expect((err as Error).message).toMatch(/^beta protocol: /);

    const half = await startFakeOpenAIServer({ apiKey: KEY, betaAudioEvents: true, responseDelayMs: 0 });
    const c = ctxFor({ url: half.url, turnDetection: 'none', commitHangoverMs: 100 });
    const session = await createOpenAIRealtimeAdapter().open(c.ctx);
    await playFrames(session, concat(tone(200, RATE), noiseFloor(200, RATE)), RATE, c.clock, c.clock.nowMs());
    const e = await c.waitFor((x) => x.type === 'error');
    expect(e.event).toMatchObject({ recoverable: false, code: 'beta_protocol' });
    expect((e.event as { message: string }).message).toContain("beta protocol: server sent 'response.audio.delta'");
    await c.waitFor((x) => x.type === 'closed');
    await session.close();
    await half.stop();
  });
});

describe('the fake validates like the vendor', () => {
  it('rejects a truncate beyond the audio sent, unknown event types and bad audio', async () => {
    const ws = new WebSocket(`${vendor.fake.url}?model=m`, { headers: { Authorization: `Bearer ${KEY}` } });
    const got: any[] = [];
    ws.on('message', (d) => got.push(JSON.parse(d.toString())));
    await new Promise((r) => ws.once('open', r));
    const send = (e: unknown) => ws.send(JSON.stringify(e));
    send({ type: 'session.update', session: { type: 'realtime', audio: { input: { turn_detection: null } } } });
    send({ type: 'input_audio_buffer.append', audio: 'not base64!' });
    send({ type: 'no.such.event' });
    send({ type: 'input_audio_buffer.commit' });
    send({ type: 'input_audio_buffer.append', audio: Buffer.alloc(24 * 2 * 200).toString('base64') });
    send({ type: 'input_audio_buffer.commit' });
    send({ type: 'response.create' });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        const added = got.find((e) => e.type === 'response.output_item.added');
        if (added && got.some((e) => e.type === 'response.done')) {
          clearInterval(poll);
          send({ type: 'conversation.item.truncate', item_id: added.item.id, content_index: 0, audio_end_ms: 999_999 });
          send({ type: 'conversation.item.truncate', item_id: added.item.id, content_index: 0, audio_end_ms: 100 });
          setTimeout(resolve, 100);
        }
      }, 5);
    });
    ws.close();
    const errors = got.filter((e) => e.type === 'error').map((e) => e.error.code);
    expect(errors).toEqual(['invalid_value', 'invalid_value', 'input_audio_buffer_commit_empty', 'invalid_value']);
    expect(got.find((e) => e.type === 'error' && /shorter than 999999ms/.test(e.error.message))).toBeDefined();
    expect(got.filter((e) => e.type === 'conversation.item.truncated')).toHaveLength(1);
  });
});
