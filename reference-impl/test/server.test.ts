/**
 * crosstalk-ws v1 as the reference server speaks it, over real loopback WebSockets: the
 * handshake, audio both ways (the same agent output as in-process), events, and every limit
 * answered with its error and close code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesize } from '../../datasets/tts/espeak.ts';
import { CLOSE } from '../../adapters/ws/protocol.ts';
import { FRAME_SAMPLES } from '../frames.ts';
import { FAST_YIELD_POLICY, PATIENT_POLICY } from '../policy.ts';
import { startReferenceServer, type ReferenceServer } from '../server.ts';
import { defaultVoiceBank, type VoiceBank } from '../voice-bank.ts';
import { runAgent } from '../testing/conversation.ts';
import { userTrack } from '../testing/signals.ts';
import { RawClient } from '../testing/raw-client.ts';

let bank: VoiceBank;
let server: ReferenceServer;
let statementTrack: Int16Array;

beforeAll(async () => {
  bank = await defaultVoiceBank();
  server = await startReferenceServer({ bank });
  const s = await synthesize('We moved into the new apartment last month and we still have boxes everywhere.', { name: 'en-gb', rate_wpm: 170, pitch: 50 });
  // Long enough for the whole answer: the server's output is clocked by this input.
  statementTrack = userTrack(500 + s.words[s.words.length - 1].endMs + 8_000, [{ pcm: s.pcm, atMs: 500 }]);
});
afterAll(() => server.close());

/** Expect the fatal error `errorCode`, then close `closeCode`. */
async function expectRefusal(c: RawClient, errorCode: string, closeCode: number): Promise<string> {
  const { code } = await c.closed;
  const errors = c.jsonOfType('error');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({ fatal: true, code: errorCode });
  expect(code).toBe(closeCode);
  return errors[0].message as string;
}

describe('reference server: session', () => {
  it('listens on loopback and completes the handshake', async () => {
    expect(server.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/$/);
    const c = await RawClient.start(server.url);
    expect((await c.end()).code).toBe(CLOSE.normal);
  });

  it('streams the same agent audio as the in-process agent, frame for frame, with events first', async () => {
    const c = await RawClient.start(server.url);
    c.audio(statementTrack);
    const { received } = await c.end();
    const inProcess = await runAgent(bank, statementTrack);
    const audio = received.filter((r) => r.kind === 'audio');
    expect(audio.length).toBe(inProcess.speaking.filter(Boolean).length);
    expect(audio.length).toBe(bank.answers[0].pcm.length / FRAME_SAMPLES);
    expect(audio.every((r) => r.kind === 'audio' && r.bytes === 2 * FRAME_SAMPLES)).toBe(true);
    const firstAudio = received.findIndex((r) => r.kind === 'audio');
    expect(received.slice(0, firstAudio).map((r) => (r.kind === 'json' ? r.msg.type : 'audio'))).toEqual(['session.ready', 'agent.decision']);
    // What was said comes with the answer's last frame, not before its first.
    expect(c.jsonOfType('transcript')).toEqual([{ type: 'transcript', role: 'agent', text: bank.answers[0].text, final: true }]);
    const transcriptAt = received.findIndex((r) => r.kind === 'json' && r.msg.type === 'transcript');
    expect(received.slice(transcriptAt).filter((r) => r.kind === 'audio').length).toBeLessThanOrEqual(1);
  });

  it('buffers audio that does not come in 20 ms messages', async () => {
    const c = await RawClient.start(server.url);
    c.audio(statementTrack, 113);
    const { received } = await c.end();
    expect(received.filter((r) => r.kind === 'audio').length).toBe(bank.answers[0].pcm.length / FRAME_SAMPLES);
  });

  it('sends agent.interrupted when the user talks over the answer', async () => {
    const inProcess = await runAgent(bank, statementTrack);
    const answerStartMs = inProcess.speechStartAfter(0)!;
    const barge = await synthesize('Hold on, wait.', { name: 'en-gb', rate_wpm: 170, pitch: 50 });
    const track = userTrack(answerStartMs + 3_000, [
      { pcm: statementTrack, atMs: 0 },
      { pcm: barge.pcm, atMs: answerStartMs + 1_000 },
    ]);
    const c = await RawClient.start(server.url);
    c.audio(track);
    await c.end();
    expect(c.jsonOfType('agent.interrupted')).toEqual([{ type: 'agent.interrupted' }]);
  });

  it('runs every session with the policy it was started with (patient barge-in: cut later)', async () => {
    const inProcess = await runAgent(bank, statementTrack);
    const answerStartMs = inProcess.speechStartAfter(0)!;
    const barge = await synthesize('Hold on, wait, I have another question.', { name: 'en-gb', rate_wpm: 170, pitch: 50 });
    const track = userTrack(answerStartMs + 4_000, [
      { pcm: statementTrack, atMs: 0 },
      { pcm: barge.pcm, atMs: answerStartMs + 1_000 },
    ]);
    /** Agent audio frames sent before it said it was interrupted. */
    const framesBeforeCut = async (url: string) => {
      const c = await RawClient.start(url);
      c.audio(track);
      const { received } = await c.end();
      const cut = received.findIndex((r) => r.kind === 'json' && r.msg.type === 'agent.interrupted');
      expect(cut).toBeGreaterThan(0);
      return received.slice(0, cut).filter((r) => r.kind === 'audio').length;
    };
    // Two choices whose cut does not hang on the words: fast drops a burst still going at its
    // decision, patient only after holdAfterSpeechMs of speech and its own decision.
    const fast = await startReferenceServer({ bank, policy: FAST_YIELD_POLICY });
    const patient = await startReferenceServer({ bank, policy: PATIENT_POLICY });
    try {
      const fastFrames = await framesBeforeCut(fast.url);
      const patientFrames = await framesBeforeCut(patient.url);
      const cutMs = (p: typeof PATIENT_POLICY) => p.holdAfterSpeechMs + p.decideAfterHoldMs;
      // Both spoke for the 1 s before the barge-in; fast goes silent at its hold (40 ms of speech), patient talks on.
      expect(fastFrames).toBeGreaterThanOrEqual(50);
      expect(patientFrames - fastFrames).toBeGreaterThanOrEqual((cutMs(PATIENT_POLICY) - FAST_YIELD_POLICY.holdAfterSpeechMs) / 20 - 5);
    } finally {
      await fast.close();
      await patient.close();
    }
  });

  it('answers an unknown message type with a non-fatal error and carries on', async () => {
    const c = await RawClient.start(server.url);
    c.json({ type: 'client.hello' });
    await c.waitFor((r) => r.kind === 'json' && r.msg.type === 'error');
    expect(c.jsonOfType('error')).toEqual([{ type: 'error', message: 'unknown message type "client.hello" (ignored)', fatal: false, code: 'unknown_type' }]);
    expect((await c.end()).code).toBe(CLOSE.normal);
  });
});

describe('reference server: limits and garbage', () => {
  it('refuses sessions over maxSessions with too_many_sessions and 1013', async () => {
    const small = await startReferenceServer({ bank, maxSessions: 1 });
    const first = await RawClient.start(small.url);
    const second = await RawClient.connect(small.url);
    expect(await expectRefusal(second, 'too_many_sessions', CLOSE.tooManySessions)).toContain('at most 1');
    await first.end();
    await small.close();
  });

  it('closes on a message over maxMessageBytes with message_too_big and 1009', async () => {
    const small = await startReferenceServer({ bank, maxMessageBytes: 1_000 });
    const c = await RawClient.start(small.url);
    c.audio(new Int16Array(1_000), 1_000);
    expect(await expectRefusal(c, 'message_too_big', CLOSE.messageTooBig)).toContain("2000 bytes is over this server's limit of 1000 bytes");
    // More than 4 times the limit is refused by the WebSocket layer unread: 1009, no message.
    const d = await RawClient.start(small.url);
    d.audio(new Int16Array(2_001), 2_001);
    expect((await d.closed).code).toBe(CLOSE.messageTooBig);
    expect(d.jsonOfType('error')).toEqual([]);
    await small.close();
  });

  it('closes an idle session with idle_timeout and 4408', async () => {
    const small = await startReferenceServer({ bank, idleTimeoutMs: 150 });
    const c = await RawClient.start(small.url);
    expect(await expectRefusal(c, 'idle_timeout', CLOSE.idleTimeout)).toContain('150 ms');
    await small.close();
  });

  it('closes on text that is not JSON with bad_message and 1008', async () => {
    const c = await RawClient.connect(server.url);
    c.ws.send('hello');
    expect(await expectRefusal(c, 'bad_message', CLOSE.protocolViolation)).toContain('not JSON');
  });

  it('closes on audio before session.start with not_started and 1008', async () => {
    const c = await RawClient.connect(server.url);
    c.audio(new Int16Array(FRAME_SAMPLES));
    await expectRefusal(c, 'not_started', CLOSE.protocolViolation);
  });

  it('closes on a session.start with missing fields, and on a second session.start', async () => {
    const c = await RawClient.connect(server.url);
    c.json({ type: 'session.start', sampleRate: 16000 });
    expect(await expectRefusal(c, 'bad_message', CLOSE.protocolViolation)).toContain('encoding');
    const d = await RawClient.start(server.url);
    d.json({ type: 'session.start', sampleRate: 16000, encoding: 'pcm_s16le' });
    expect(await expectRefusal(d, 'bad_message', CLOSE.protocolViolation)).toContain('twice');
  });

  it('closes on odd-length audio with bad_message and 1008', async () => {
    const c = await RawClient.start(server.url);
    c.ws.send(new Uint8Array(641));
    await expectRefusal(c, 'bad_message', CLOSE.protocolViolation);
  });

  it('refuses a sample rate other than 16 kHz with unsupported_format and 1003', async () => {
    const c = await RawClient.connect(server.url);
    c.json({ type: 'session.start', sampleRate: 24000, encoding: 'pcm_s16le' });
    expect(await expectRefusal(c, 'unsupported_format', CLOSE.unsupportedFormat)).toContain('16000');
  });

  it('ends open sessions with shutdown and 1001 when it closes', async () => {
    const own = await startReferenceServer({ bank });
    const c = await RawClient.start(own.url);
    await own.close();
    await expectRefusal(c, 'shutdown', CLOSE.shutdown);
    expect(own.sessionCount()).toBe(0);
  });
});
