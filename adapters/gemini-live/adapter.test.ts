import { describe, expect, it } from 'vitest';
import { AdapterError, type AdapterEvent } from '../../harness/adapter.ts';
import { collectingContext } from '../shared/testing/collect.ts';
import { expectAdapterLegs, vendorFixture } from '../shared/testing/vendor-fixture.ts';
import { concat, noiseFloor, playFrames, tone } from '../shared/testing/signals.ts';
import { createGeminiLiveAdapter } from './adapter.ts';
import { startFakeGeminiServer } from './testing/fake-server.ts';

const KEY = 'AIza-SENTINEL-0123456789';
const RATE = 16_000;
const RESPONSE_DELAY_MS = 500;
const INTERRUPT_DELAY_MS = 200;
/** A JPEG's start and end markers around a few bytes: what the fake checks. */
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0xff, 0xd9]);

const vendor = vendorFixture(KEY, () =>
  startFakeGeminiServer({ apiKey: KEY, responseDelayMs: RESPONSE_DELAY_MS, interruptDelayMs: INTERRUPT_DELAY_MS, responseAudioMs: 3000 }),
);
const { ctxFor } = vendor;

const isAudio = (e: AdapterEvent): e is Extract<AdapterEvent, { type: 'audio' }> => e.type === 'audio';

describe('gemini-live against the fake BidiGenerateContent server', () => {
  it('setup first, 16 kHz audio and JPEG in, binary-framed 24 kHz audio out, planted delays, interrupted', async () => {
    const c = ctxFor({});
    const session = await createGeminiLiveAdapter().open(c.ctx);
    expect(vendor.fake.record.setups.at(-1)).toEqual({ model: 'models/gemini-2.5-flash-native-audio-preview-09-2025', handle: undefined });
    expect(c.events.map((e) => e.event.type === 'vendor' && e.event.name).filter(Boolean)).toContain('setupComplete');
    await session.sendVideoFrame!(JPEG, 0);

    // Speech 300..1100 ms, barge-in at 2000 ms (stream positions of the user track).
    const user = concat(noiseFloor(300, RATE), tone(800, RATE), noiseFloor(900, RATE), tone(500, RATE), noiseFloor(300, RATE));
    const rec = vendor.fake.record;
    const seen = {
      ends: rec.speechEndArrivedAtMs.length,
      onsets: rec.onsetArrivedAtMs.length,
      replies: rec.responseAudioSentAtMs.length,
      interrupts: rec.interruptsSentAtMs.length,
    };
    const start = c.clock.nowMs();
    const handedAtMs = await playFrames(session, user, RATE, c.clock, start);
    const interrupted = await c.waitFor((e) => e.type === 'interrupted');
    await session.close();
    await session.close();

    expect(vendor.fake.record.videoFrames).toBe(1);
    expect([...vendor.fake.record.audioMimeTypes]).toEqual(['audio/pcm;rate=16000']);
    expect(vendor.fake.record.audioMs).toBeCloseTo(2800, 0);
    const audio = c.events.filter((x) => isAudio(x.event));
    for (const a of audio) expect((a.event as Extract<AdapterEvent, { type: 'audio' }>).sampleRate).toBe(24_000);
    // Frame k covers [20k, 20k + 20): the speech ends with frame 54, the barge-in starts with frame 100.
    expectAdapterLegs('gemini', c.clock, [
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
        name: 'interrupted',
        plantedMs: INTERRUPT_DELAY_MS,
        handedAtMs: handedAtMs[100],
        fakeArrivedAtPerfMs: rec.onsetArrivedAtMs[seen.onsets],
        fakeSentAtPerfMs: rec.interruptsSentAtMs[seen.interrupts],
        emittedAtMs: interrupted.t,
        endToEndMs: interrupted.t - (start + 2020),
      },
    ]);
    expect(c.of('transcript').map((t) => t.event)).toEqual(
      expect.arrayContaining([
        { type: 'transcript', role: 'user', text: 'fake user words', final: false },
        { type: 'transcript', role: 'agent', text: 'fake reply', final: false },
      ]),
    );
    expect(c.of('error')).toEqual([]);
  });

  it('goAway: reconnects with the resumption handle within the scenario and keeps going', async () => {
    const g = await startFakeGeminiServer({ apiKey: KEY, responseDelayMs: 100, responseAudioMs: 400, goAwayAfterMs: 200, goAwayTimeLeftMs: 1000 });
    const c = ctxFor({ url: g.url });
    const session = await createGeminiLiveAdapter().open(c.ctx);
    await c.waitFor((e) => e.type === 'vendor' && e.name === 'client.resumed');
    expect(g.record.setups.map((s) => s.handle)).toEqual([undefined, 'handle-1']);
    // The session goes on over the new connection: a turn gets an answer.
    await playFrames(session, concat(tone(300, RATE), noiseFloor(500, RATE)), RATE, c.clock, c.clock.nowMs());
    await c.waitFor((e) => e.type === 'vendor' && e.name === 'turnComplete');
    // The old connection's close (after timeLeft) is not an error of the session.
    await new Promise((r) => setTimeout(r, 1100));
    expect(c.of('error')).toEqual([]);
    expect(c.of('closed')).toEqual([]);
    expect(c.of('audio').length).toBeGreaterThan(0);
    await session.close();
    await g.stop();
  });

  it('a missing key is a config error naming GEMINI_API_KEY, before any connection', async () => {
    const saved = [process.env.GEMINI_API_KEY, process.env.GOOGLE_API_KEY];
    delete process.env.GEMINI_API_KEY;
    delete process.env.GOOGLE_API_KEY;
    const connections = vendor.fake.record.connections;
    const err = await createGeminiLiveAdapter()
      .open(collectingContext({ url: vendor.fake.url }).ctx)
      .catch((e: unknown) => e);
    if (saved[0] !== undefined) process.env.GEMINI_API_KEY = saved[0];
    if (saved[1] !== undefined) process.env.GOOGLE_API_KEY = saved[1];
    expect(err).toBeInstanceOf(AdapterError);
    expect(err).toMatchObject({ kind: 'config' });
    expect((err as Error).message).toContain('GEMINI_API_KEY');
    expect(vendor.fake.record.connections).toBe(connections);
  });

  it('a refused key (close 1007 during setup, or HTTP 403) is a config error without the key', async () => {
    const other = await startFakeGeminiServer({ apiKey: 'AIza-another-key' });
    const err = await createGeminiLiveAdapter()
      .open(ctxFor({ url: other.url }).ctx)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'config' });
    expect((err as Error).message).toMatch(/API key not valid.*GEMINI_API_KEY/);
    other.server.refuseNext(403);
    const err403 = await createGeminiLiveAdapter()
      .open(ctxFor({ url: other.url }).ctx)
      .catch((e: unknown) => e);
    await other.stop();
    expect(err403).toMatchObject({ kind: 'config' });
    for (const e of [err, err403]) expect((e as Error).message).not.toContain(KEY);
  });

  it('429/5xx at upgrade are retried, then give up as infrastructure; a close mid-session is error + closed', async () => {
    vendor.fake.server.refuseNext(429, 500);
    const c = ctxFor({});
    const session = await createGeminiLiveAdapter().open(c.ctx);
    vendor.fake.server.dropAll(1011, 'Internal error occurred.');
    await c.waitFor((e) => e.type === 'closed');
    expect(c.of('error')[0].event).toMatchObject({ recoverable: false, code: 'ws_close_1011' });
    await session.close();

    vendor.fake.server.refuseNext(503, 503);
    const err = await createGeminiLiveAdapter()
      .open(ctxFor({ retryAttempts: 2 }).ctx)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'infrastructure', recoverable: false });
    expect((err as Error).message).toMatch(/HTTP 503.*gave up after 2 attempts/);
  });
});
