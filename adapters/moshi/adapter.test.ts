import { describe, expect, it } from 'vitest';
import type { AdapterEvent } from '../../harness/adapter.ts';
import { collectingContext } from '../shared/testing/collect.ts';
import { vendorFixture, WALL_CLOCK_TOLERANCE_MS } from '../shared/testing/vendor-fixture.ts';
import { concat, firstLoudMs, noiseFloor, playFrames, tone } from '../shared/testing/signals.ts';
import { createMoshiAdapter } from './adapter.ts';
import { startFakeMoshiServer } from './testing/fake-server.ts';

const KEY = 'kyutai-SENTINEL-0123456789';
const RATE = 24_000;
const RESPONSE_DELAY_MS = 600;
const STOP_DELAY_MS = 160;
/** Opus look-ahead both ways (~13 ms) and the 20 ms VAD windows fit in the shared wall-clock tolerance too. */
const TOLERANCE_MS = WALL_CLOCK_TOLERANCE_MS;

const vendor = vendorFixture(KEY, () =>
  startFakeMoshiServer({ apiKey: KEY, responseDelayMs: RESPONSE_DELAY_MS, stopDelayMs: STOP_DELAY_MS, responseAudioMs: 2000 }),
);
const { ctxFor } = vendor;

type Audio = Extract<AdapterEvent, { type: 'audio' }>;

describe('moshi against the fake Kyutai server', () => {
  it('handshake, Ogg Opus both ways at 24 kHz, planted start and stop in the agent stream', async () => {
    const c = ctxFor({});
    const session = await createMoshiAdapter().open(c.ctx);
    expect(c.events.some((e) => e.event.type === 'vendor' && e.event.name === 'handshake')).toBe(true);
    // Speech 200..1000 ms; barge-in at 2000 ms, inside the agent's tone (from 1600 ms).
    const user = concat(noiseFloor(200, RATE), tone(800, RATE), noiseFloor(1000, RATE), tone(400, RATE), noiseFloor(1000, RATE));
    await playFrames(session, user, RATE, c.clock, c.clock.nowMs());
    await new Promise((r) => setTimeout(r, 200));
    await session.close();
    await session.close();

    expect(vendor.fake.record.headers.at(-1)).toEqual(['OpusHead', 'OpusTags']);
    // Every 20 ms packet decoded on the far side: all 3.4 s arrived.
    expect(vendor.fake.record.receivedMs).toBeCloseTo(3400, 0);
    const audio = c.events.filter((e) => e.event.type === 'audio').map((e) => e.event as Audio);
    expect(audio.every((a) => a.sampleRate === 24_000)).toBe(true);
    const agent = concat(...audio.map((a) => a.pcm));
    // Continuous audio back: one 80 ms step per 80 ms received.
    expect((agent.length / RATE) * 1000).toBeCloseTo(3360, -1);
    const onsetMs = firstLoudMs(agent, RATE);
    const offsetMs = firstQuietAfterMs(agent, RATE, onsetMs);
    const startDelay = onsetMs - 1000;
    const stopDelay = offsetMs - 2000;
    console.log(
      `moshi planted start ${RESPONSE_DELAY_MS} ms after speech end, observed ${startDelay.toFixed(1)} ms; planted stop ${STOP_DELAY_MS} ms after barge-in, observed ${stopDelay.toFixed(1)} ms`,
    );
    expect(Math.abs(startDelay - RESPONSE_DELAY_MS)).toBeLessThan(TOLERANCE_MS);
    expect(Math.abs(stopDelay - STOP_DELAY_MS)).toBeLessThan(TOLERANCE_MS);
    expect(c.of('transcript').length).toBeGreaterThan(0);
    expect(c.of('transcript')[0].event).toEqual({ type: 'transcript', role: 'agent', text: ' hello', final: false });
    expect(c.of('interrupted')).toEqual([]); // Moshi has no turn events
    expect(c.of('error')).toEqual([]);
    const net = c.of('network').map((n) => n.event.name);
    expect(net).toEqual(expect.arrayContaining(['connect_ms', 'first_byte_ms', 'rtt_ms']));
  });

  it("accepts the Python server's bare handshake byte", async () => {
    const py = await startFakeMoshiServer({ handshake: 'python' });
    const c = collectingContext({ url: py.url });
    const session = await createMoshiAdapter().open(c.ctx);
    expect(c.of('vendor')[0].event).toMatchObject({ name: 'handshake', payload: { bytes: 0 } });
    await session.close();
    await py.stop();
  });

  it('401 -> config, 5xx retried, a close mid-session -> error + closed', async () => {
    const err = await createMoshiAdapter()
      .open(ctxFor({ apiKey: 'wrong-key-xyz' }).ctx)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'config' });
    expect((err as Error).message).toContain('KYUTAI_API_KEY');

    vendor.fake.server.refuseNext(502);
    const c = ctxFor({});
    const session = await createMoshiAdapter().open(c.ctx);
    vendor.fake.server.dropAll(1011, 'model crashed');
    await c.waitFor((e) => e.type === 'closed');
    expect(c.of('error')[0].event).toMatchObject({ recoverable: false, code: 'ws_close_1011' });
    await session.close();
  });
});

/** Start of the first 10 ms stretch with no loud sample at or after `fromMs`. */
function firstQuietAfterMs(pcm: Int16Array, sampleRate: number, fromMs: number, threshold = 1000): number {
  const win = sampleRate / 100;
  let quietSince = -1;
  for (let i = Math.ceil((fromMs * sampleRate) / 1000); i < pcm.length; i++) {
    if (Math.abs(pcm[i]) > threshold) quietSince = -1;
    else if (quietSince < 0) quietSince = i;
    else if (i - quietSince >= win) return (quietSince / sampleRate) * 1000;
  }
  return -1;
}
