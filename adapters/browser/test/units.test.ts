/** Known-answer tests of the adapter's pure parts: clock offset, play-time emission, wire format, options. */
import { beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../harness/clock.ts';
import type { AdapterEvent } from '../../../harness/adapter.ts';
import { ClockSync } from '../clock-sync.ts';
import { PlayedAudio } from '../played-audio.ts';
import { PLAYED_AUDIO, decodePlayed, encodeMicFrame } from '../link-protocol.ts';
import { readBrowserOptions } from '../options.ts';
import { findChromium } from '../../../harness/chromium.ts';
import { disturbance, residualsOf, type ParitySession } from '../parity/compare.ts';
import { inputStalls, speechMismatchMs } from '../parity/transport-lag.ts';
import { synthesize } from '../../../datasets/tts/espeak.ts';
import { SPEECH_CHECK_VOICES } from '../../../harness/vad/nonspeech.ts';
import { InjectedFrames } from '../injected-frames.ts';

describe('ClockSync', () => {
  it('takes the offset from the exchange with the smallest round trip', () => {
    const sync = new ClockSync();
    // True offset 1000 ms. A slow exchange with its reply stamped late (asymmetric) misleads by 20 ms.
    sync.add({ sentMs: 0, receivedMs: 40, pageMs: 1040 });
    sync.add({ sentMs: 100, receivedMs: 102, pageMs: 1101 });
    sync.add({ sentMs: 200, receivedMs: 210, pageMs: 1203 });
    expect(sync.estimate()).toEqual({ offsetMs: 1000, rttMs: 2, samples: 3 });
  });

  it('follows a drifting clock through its window', () => {
    const sync = new ClockSync(2);
    sync.add({ sentMs: 0, receivedMs: 1, pageMs: 500.5 });
    sync.add({ sentMs: 10, receivedMs: 12, pageMs: 516 });
    sync.add({ sentMs: 20, receivedMs: 22, pageMs: 526 });
    expect(sync.estimate()!.offsetMs).toBe(505);
  });

  it('has no estimate before any exchange and refuses a pong before its ping', () => {
    const sync = new ClockSync();
    expect(sync.estimate()).toBeUndefined();
    expect(() => sync.add({ sentMs: 5, receivedMs: 4, pageMs: 0 })).toThrow(/before its ping/);
  });
});

describe('PlayedAudio', () => {
  const setup = () => {
    const clock = new VirtualClock();
    const emitted: { t: number; e: AdapterEvent }[] = [];
    const played = new PlayedAudio(clock, (e) => emitted.push({ t: clock.nowMs(), e }));
    return { clock, emitted, played };
  };

  it('holds a chunk that arrives early until its play time', async () => {
    const { clock, emitted, played } = setup();
    await clock.runUntil(100, () => false);
    played.push(new Int16Array([1, 2]), 48_000, 130);
    expect(emitted).toHaveLength(0);
    await clock.runUntil(200, () => false);
    expect(emitted.map((x) => x.t)).toEqual([130]);
    expect(played.stats()).toMatchObject({ chunks: 1, lateChunks: 0, emitLateMs: { n: 1, p50Ms: 0 }, arrivalLeadMs: { p50Ms: 30 } });
  });

  it('emits a late chunk at once and counts its lateness', async () => {
    const { clock, emitted, played } = setup();
    await clock.runUntil(100, () => false);
    played.push(new Int16Array([1]), 16_000, 88);
    expect(emitted.map((x) => x.t)).toEqual([100]);
    expect(emitted[0].e).toMatchObject({ type: 'audio', sampleRate: 16_000 });
    expect(played.stats()).toMatchObject({ lateChunks: 1, emitLateMs: { maxMs: 12 }, arrivalLeadMs: { p50Ms: -12 } });
  });
});

describe('link protocol', () => {
  it('frames user audio with its sequence number and send time', () => {
    const buf = encodeMicFrame(7, 1500.25, new Int16Array([1, -2, 32767]));
    expect(buf.readUInt8(0)).toBe(1);
    expect(buf.readUInt32LE(4)).toBe(7);
    expect(buf.readDoubleLE(8)).toBe(1500.25);
    expect(Array.from(new Int16Array(buf.buffer.slice(buf.byteOffset + 16, buf.byteOffset + buf.byteLength)))).toEqual([1, -2, 32767]);
  });

  it('decodes played audio and rejects other messages', () => {
    const buf = Buffer.alloc(16 + 4);
    buf.writeUInt8(PLAYED_AUDIO, 0);
    buf.writeUInt16LE(3, 2);
    buf.writeUInt32LE(44_100, 4);
    buf.writeDoubleLE(1234.5, 8);
    buf.writeInt16LE(-5, 16);
    buf.writeInt16LE(9, 18);
    const c = decodePlayed(buf)!;
    expect({ ...c, pcm: Array.from(c.pcm) }).toEqual({ sourceId: 3, sampleRate: 44_100, pageMs: 1234.5, pcm: [-5, 9] });
    expect(decodePlayed(encodeMicFrame(1, 0, new Int16Array(8)))).toBeNull();
    expect(decodePlayed(buf.subarray(0, 17))).toBeNull();
  });
});

describe('options', () => {
  it('needs a url and names what to pass', () => {
    expect(() => readBrowserOptions({})).toThrow(/--url/);
    expect(() => readBrowserOptions({ url: 'ws://x' })).toThrow(/http\(s\)/);
  });

  it('fills defaults and checks enumerations', () => {
    expect(readBrowserOptions({ url: 'http://127.0.0.1:1/' })).toMatchObject({
      permission: 'grant',
      openTimeoutMs: 15_000,
      pageErrors: 'fatal',
      micLeadMs: 30,
      chromiumArgs: [],
    });
    expect(() => readBrowserOptions({ url: 'http://127.0.0.1:1/', permission: 'maybe' })).toThrow(/permission must be one of grant, deny/);
    expect(() => readBrowserOptions({ url: 'http://127.0.0.1:1/', chromiumArgs: '--x' })).toThrow(/JSON array/);
  });

  it('finds Chromium from the option, then the environment', () => {
    expect(findChromium('/opt/c', { CROSSTALK_CHROMIUM: '/env/c' })).toBe('/opt/c');
    expect(findChromium(undefined, { CROSSTALK_CHROMIUM: '/env/c' })).toBe('/env/c');
  });
});

describe('parity residuals', () => {
  const session = (variant: ParitySession['variant'], turnMs: number, stopMs: number, answerWaitsMs: number[]): ParitySession => ({
    variant,
    scenario: 'core/x',
    status: 'completed',
    lag: undefined,
    browserStats: undefined,
    inputStalls: [],
    speechMismatchMs: 0,
    harnessErrorMs: 0,
    discarded: [],
    metrics: [
      { key: 'ask turn_taking.latency_ms', unit: 'ms', value: turnMs },
      { key: 'cut interruption.stop_latency_ms', unit: 'ms', value: stopMs },
      { key: 'ask turn_taking.takeover', unit: 'bool', value: 0 },
    ],
    decisions: answerWaitsMs.map((silenceMs, i) => ({ atMs: 1000 * i, kind: 'answer', detail: { silenceMs } })),
  });
  const offset = { variant: 'page-webrtc' as const, extraLatencyMs: 200, inputMs: 120, outputMs: 80 };
  const byMetric = (sessions: ParitySession[]) => Object.fromEntries(residualsOf(sessions, [offset]).map((r) => [r.metric, [r.agentWaitDiffMs, r.residual]]));

  it("removes the page's extra latency, and from a turn-taking latency the agent's own longer wait", () => {
    // The page answer waited 540 ms of silence where the direct one waited 300: 240 ms of the
    // page's 1040 - 600 are the agent's, 200 the transport's, 0 left.
    const r = byMetric([session('direct', 600, 150, [300, 420]), session('page-webrtc', 1040, 380, [540, 420])]);
    expect(r['ask turn_taking.latency_ms']).toEqual([240, 0]);
    expect(r['cut interruption.stop_latency_ms']).toEqual([0, 30]);
    expect(r['ask turn_taking.takeover']).toEqual([0, 0]);
  });

  it("removes the lag around each latency's own moments when the transport was measured there", () => {
    // The page's input lag is 120 ms except around the ask's end (at 4000 ms), where it is 800:
    // the turn-taking latency carries 800 + 80 out, the stop (barge-in at 9000 ms) 120 + 80.
    const lagged = (s: ParitySession, inputAt: (atMs: number) => number, outputMs: number): ParitySession => {
      const times = Array.from({ length: 120 }, (_, i) => i * 100);
      return {
        ...s,
        metrics: s.metrics.map((m) => (m.key.startsWith('ask') ? { ...m, fromMs: 4000 } : m.key.startsWith('cut') ? { ...m, fromMs: 9000 } : m)),
        lag: {
          inputMs: 120,
          outputMs,
          input: times.map((atMs) => ({ atMs, lagMs: inputAt(atMs) })),
          output: times.map((atMs) => ({ atMs, lagMs: outputMs })),
        },
      };
    };
    const direct = lagged(session('direct', 600, 150, [300]), () => 20, 20);
    const page = lagged(session('page-webrtc', 600 + 880 - 40, 150 + 200 - 40, [300]), (t) => (Math.abs(t - 4000) <= 1000 ? 800 : 120), 80);
    const residuals = residualsOf([direct, page], [offset]);
    const turn = residuals.find((r) => r.metric === 'ask turn_taking.latency_ms')!;
    expect([turn.extraFrom, turn.extraLatencyMs, turn.residual]).toEqual(['session', 840, 0]);
    const stop = residuals.find((r) => r.metric === 'cut interruption.stop_latency_ms')!;
    expect([stop.extraFrom, stop.extraLatencyMs, stop.residual]).toEqual(['session', 160, 0]);
    // With the variant's constant (200 ms) the turn-taking latency would keep 640 ms.
    expect(byMetric([direct, { ...page, lag: undefined }])['ask turn_taking.latency_ms']).toEqual([0, 640]);
    // No agent window within a second of the answer's onset: the page's output lag is its session median (300 ms here).
    const farOutput = { ...page, lag: { ...page.lag!, outputMs: 300, output: [{ atMs: 11_000, lagMs: 80 }] } };
    const far = residualsOf([direct, farOutput], [offset]).find((r) => r.metric === 'ask turn_taking.latency_ms')!;
    expect([far.extraFrom, far.extraLatencyMs]).toEqual(['session', 800 + 300 - 40]);
  });

  it('leaves the wait alone when one side has no answer decision, so the residual shows', () => {
    const r = byMetric([session('direct', 600, 150, [300]), session('page-webrtc', 1040, 350, [])]);
    expect(r['ask turn_taking.latency_ms']).toEqual([0, 240]);
  });
});

describe('parity disturbance', () => {
  const steadyLag = { inputMs: 100, outputMs: 120, input: [0, 1000, 2000].map((atMs) => ({ atMs, lagMs: 100 })), output: [{ atMs: 3000, lagMs: 120 }] };
  const fine = { status: 'completed', lag: steadyLag, inputStalls: [], speechMismatchMs: 0, harnessErrorMs: 3 };

  it('passes a steady session and names what disturbed one', () => {
    expect(disturbance(fine)).toBeUndefined();
    expect(disturbance({ ...fine, status: 'errored' })).toBe('the session ended errored');
    expect(disturbance({ ...fine, lag: undefined })).toBe('its transport lag could not be measured');
    expect(disturbance({ ...fine, harnessErrorMs: 41 })).toMatch(/harness-made timing error .* was 41.0 ms near a measured moment/);
    expect(disturbance({ ...fine, inputStalls: [{ atMs: 5200, gapMs: 800 }] })).toBe("the client's audio did not reach the agent for 800 ms at 5200 ms");
    expect(disturbance({ ...fine, speechMismatchMs: 2400 })).toMatch(/disagreed for 2400 ms/);
    const moved = { ...steadyLag, input: [...steadyLag.input, { atMs: 5300, lagMs: 900 }] };
    expect(disturbance({ ...fine, lag: moved })).toBe('the input lag moved by 800 ms within the session');
  });

  it('lets pass what quiet runs show: a stall before the session starts, short pauses, lag that moves a little', () => {
    const jitter = { ...steadyLag, input: [100, 160, 120].map((lagMs, k) => ({ atMs: k * 100, lagMs })) };
    expect(
      disturbance({
        ...fine,
        lag: jitter,
        inputStalls: [
          { atMs: -220, gapMs: 900 },
          { atMs: 7195, gapMs: 145 },
        ],
        harnessErrorMs: 40,
      }),
    ).toBeUndefined();
  });

  it('finds the pauses in a client audio stream as the tap saw it, on the session clock', () => {
    const at = (atMs: number) => ({ atMs, pcm: new Int16Array(320) });
    const tapped = { openedAtMs: 0, toAgent: [1000, 1020, 1040, 1300, 1320].map(at), fromAgent: [], decisions: [] };
    expect(inputStalls(tapped, 1000)).toEqual([{ atMs: 40, gapMs: 260 }]);
  });
});

describe('injected microphone frames', () => {
  it('put late and moved frames at their session times, give a started frame its send time, and forget both', () => {
    const frames = new InjectedFrames();
    for (let seq = 0; seq < 5; seq++) frames.sent(seq, 500 + seq, 1000 + seq * 20);
    expect(frames.started(0)).toBe(500);
    frames.late(1, 12.5);
    frames.moved(3, -45);
    expect(frames.started(3)).toBe(503);
    frames.late(0, 30); // already started: not counted again
    frames.late(9, 30); // never sent: nothing to place
    expect(frames.started(1)).toBeUndefined(); // a late frame is forgotten too
    expect(frames.lateness).toEqual([
      { atMs: 1020, latenessMs: 12.5 },
      { atMs: 1060, latenessMs: 45 },
    ]);
  });
});

describe('speech the agent got against the speech the user said', () => {
  const FRAME = 320; // 20 ms at 16 kHz
  let speech: Int16Array;
  beforeAll(async () => {
    speech = (await synthesize('Could you pass me the salt, please?', SPEECH_CHECK_VOICES[0])).pcm;
  });
  /** 1 s of silence, the sentence, 3 s of silence: the user channel as sent. */
  const userChannel = () => {
    const pcm = new Int16Array(16_000 * 4 + speech.length);
    pcm.set(speech, 16_000);
    return pcm;
  };
  /** The channel cut into 20 ms messages, message k arriving at originMs + k * 20 + lag(k) (ms). */
  const tap = (pcm: Int16Array, lagMs: (k: number) => number) => ({
    openedAtMs: 0,
    toAgent: Array.from({ length: Math.floor(pcm.length / FRAME) }, (_, k) => ({ atMs: 5000 + k * 20 + lagMs(k), pcm: pcm.slice(k * FRAME, (k + 1) * FRAME) })),
    fromAgent: [],
    decisions: [],
  });

  it('finds none through a faithful path with a steady lag', () => {
    const user = userChannel();
    expect(
      speechMismatchMs(
        { user, sampleRate: 16_000 },
        tap(user, () => 100),
        5000,
        100,
      ),
    ).toBe(0);
  });

  it('finds audio the path held back or made up', () => {
    const user = userChannel();
    // Held back 2.4 s from 1.5 s in (speech continues, late), as a WebRTC path did once under load.
    const held = speechMismatchMs(
      { user, sampleRate: 16_000 },
      tap(user, (k) => (k * 20 >= 1500 ? 2500 : 100)),
      5000,
      100,
    );
    expect(held).toBeGreaterThan(1000);
    // The sentence heard again in the silence after it.
    const echoed = userChannel();
    echoed.set(speech, 16_000 + speech.length + 16_000);
    const madeUp = speechMismatchMs(
      { user, sampleRate: 16_000 },
      tap(echoed, () => 100),
      5000,
      100,
    );
    expect(madeUp).toBeGreaterThan((speech.length / 16) * 0.6);
  });
});
