/**
 * The checks every adapter must pass, as one vitest suite: run it with a factory that gives
 * the adapter (usually pointed at its fake server) and the options and secrets of its session.
 *
 *   describeAdapterConformance('openai-realtime', async () => ({ adapter, options, secrets, cleanup }));
 *
 * It drives the adapter the way the runner does (20 ms frames at the declared rate, on a
 * RealClock) and checks the contract: open/close (twice is safe, sending after close is
 * harmless), agent audio is PCM16 with a valid rate, errors say whether they are recoverable,
 * events are well-formed, and no secret appears in any event or error message.
 *
 * Every check stands alone (`vitest -t`): the spoken exchange runs once, on first need, and the
 * event checks look at it plus whatever the other checks of the run collected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Adapter, AdapterEvent } from '../../harness/adapter.ts';
import { collectingContext, eventsText, type CollectingContext } from '../shared/testing/collect.ts';
import { concat, noiseFloor, playFrames } from '../shared/testing/signals.ts';
import { createMediaSource } from '../../datasets/media-source.ts';
import { resample } from '../../datasets/audio/resample.ts';

/** "Hello, can you hear me?" synthesized offline (cached), at the adapter's input rate. */
async function userSpeech(rate: number): Promise<{ pcm: Int16Array; speechStartMs: number; speechEndMs: number }> {
  const r = await createMediaSource().renderSpeech({ text: 'Hello, can you hear me? I have a question for you.' }, { seed: 0 }, 'conformance');
  return { pcm: resample(r.pcm, r.sampleRate, rate), speechStartMs: r.speechStartMs, speechEndMs: r.speechEndMs };
}

export interface ConformanceSubject {
  adapter: Adapter;
  /** The session options (ctx.options) for this adapter. */
  options: Record<string, unknown>;
  /** Strings that must never appear in an event or error message (API keys). */
  secrets?: string[];
  /** Stop servers the factory started. */
  cleanup?: () => Promise<void>;
  /** How long the adapter may take to answer a spoken turn with audio (default 5000 ms). */
  answerWithinMs?: number;
}

const VALID_RATES = [8000, 12000, 16000, 22050, 24000, 32000, 44100, 48000];
const EVENT_TYPES = ['audio', 'transcript', 'interrupted', 'vendor', 'network', 'error', 'closed'];

export function describeAdapterConformance(name: string, makeSubject: () => Promise<ConformanceSubject>): void {
  describe(`adapter conformance: ${name}`, () => {
    let subject: ConformanceSubject;
    const contexts: CollectingContext[] = [];
    const thrown: unknown[] = [];

    function context(): CollectingContext {
      const c = collectingContext(subject.options, `conformance-${name}`);
      contexts.push(c);
      return c;
    }

    /** One spoken turn through a session, run once on first need: the context that saw it. */
    let spoken: Promise<CollectingContext> | undefined;
    const exchange = () => (spoken ??= speakOnce(subject, context()));

    beforeAll(async () => {
      subject = await makeSubject();
    });
    afterAll(async () => {
      await subject.cleanup?.();
    });

    it('declares sane capabilities and the methods they promise', async () => {
      const caps = subject.adapter.capabilities;
      expect(VALID_RATES).toContain(caps.inputSampleRate);
      const session = await subject.adapter.open(context().ctx);
      if (caps.video) expect(typeof session.sendVideoFrame).toBe('function');
      if (caps.truncation) expect(typeof session.playoutFlushed).toBe('function');
      await session.close();
    });

    it('opens and closes; closing twice and sending after close are safe', async () => {
      const c = context();
      const session = await subject.adapter.open(c.ctx);
      await session.close();
      await session.close();
      const rate = subject.adapter.capabilities.inputSampleRate;
      await Promise.resolve(session.sendAudio(new Int16Array(rate / 50), c.clock.nowMs())).catch((e: unknown) => thrown.push(e));
      expect(thrown).toEqual([]);
    });

    it('takes 20 ms frames at its declared rate and answers speech with PCM16 audio at a valid rate', async () => {
      const c = await exchange();
      const audio = c.of('audio').map((a) => a.event);
      expect(audio.length).toBeGreaterThan(0);
      for (const a of audio) {
        expect(a.pcm).toBeInstanceOf(Int16Array);
        expect(a.pcm.length).toBeGreaterThan(0);
        expect(VALID_RATES).toContain(a.sampleRate);
      }
    });

    it('emits only well-formed events; errors say whether they are recoverable', async () => {
      await exchange().catch(() => undefined); // its failure is the check above's to report
      const all = contexts.flatMap((c) => c.events.map((e) => e.event));
      expect(all.length).toBeGreaterThan(0);
      for (const e of all) checkEvent(e);
    });

    it('never puts a secret in an event or an error message', async () => {
      await exchange().catch((e: unknown) => thrown.push(e));
      expect(contexts.some((c) => c.events.length > 0)).toBe(true);
      const text = contexts.map((c) => eventsText(c.events)).join('\n') + thrown.map(String).join('\n');
      for (const secret of subject.secrets ?? []) expect(text).not.toContain(secret);
    });
  });
}

/** Speak one turn (real synthesized speech: agents with a neural VAD rightly ignore a tone) and wait for audio back. */
async function speakOnce(subject: ConformanceSubject, c: CollectingContext): Promise<CollectingContext> {
  const rate = subject.adapter.capabilities.inputSampleRate;
  const session = await subject.adapter.open(c.ctx);
  try {
    const spoken = await userSpeech(rate);
    const user = concat(noiseFloor(200, rate), spoken.pcm, noiseFloor(800, rate));
    const startMs = c.clock.nowMs();
    // What the runner tells test agents that act on planted truth (the scripted adapter).
    const speech = { actionId: 'conformance', startMs: startMs + 200 + spoken.speechStartMs, endMs: startMs + 200 + spoken.speechEndMs };
    session.observeTruth?.({ type: 'user_speech', ...speech });
    session.observeTruth?.({ type: 'user_turn_end', ...speech, startMs: speech.endMs });
    await playFrames(session, user, rate, c.clock, startMs);
    await c.waitFor((e) => e.type === 'audio', subject.answerWithinMs ?? 5000);
  } finally {
    await session.close();
  }
  return c;
}

function checkEvent(e: AdapterEvent): void {
  expect(EVENT_TYPES).toContain(e.type);
  switch (e.type) {
    case 'error':
      expect(typeof e.recoverable).toBe('boolean');
      expect(e.message.length).toBeGreaterThan(0);
      break;
    case 'network':
      expect(['connect_ms', 'rtt_ms', 'first_byte_ms']).toContain(e.name);
      expect(Number.isFinite(e.valueMs) && e.valueMs >= 0).toBe(true);
      break;
    case 'transcript':
      expect(['agent', 'user']).toContain(e.role);
      expect(typeof e.text).toBe('string');
      break;
    case 'vendor':
      expect(e.name.length).toBeGreaterThan(0);
      break;
  }
}
