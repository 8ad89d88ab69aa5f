/**
 * A timed request end to end: "Give me a shout in twelve seconds." (the words and voice of
 * scenarios/time_awareness/time-awareness-08) through the agent in-process and over its real
 * WebSocket server: acknowledged at the turn's end, announced twelve seconds after the request
 * ended, the same audio both ways. The server is input-clocked, so nothing here races a timer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesize } from '../../datasets/tts/espeak.ts';
import { defaultKeywordSpotter } from '../perception/keywords/templates.ts';
import type { KeywordSpotter } from '../perception/keywords/spotter.ts';
import { startReferenceServer, type ReferenceServer } from '../server.ts';
import { ERRAND_LINES } from '../errands/errands.ts';
import { defaultVoiceBank, type VoiceBank } from '../voice-bank.ts';
import { runAgent, type AgentRun } from '../testing/conversation.ts';
import { userTrack } from '../testing/signals.ts';
import { RawClient } from '../testing/raw-client.ts';

const REQUEST_AT_MS = 500;
const REQUESTED_MS = 12_000;
/** The time-awareness suite's tolerance at 12 s: max(1 s, 10 %). */
const WITHIN_MS = 1_200;

let bank: VoiceBank;
let spotter: KeywordSpotter;
let server: ReferenceServer;
let track: Int16Array;
let requestEndMs: number;
let inProcess: AgentRun;

beforeAll(async () => {
  [bank, spotter] = await Promise.all([defaultVoiceBank(), defaultKeywordSpotter()]);
  server = await startReferenceServer({ bank, spotter });
  const s = await synthesize('Give me a shout in twelve seconds.', { name: 'en-gb', rate_wpm: 161, pitch: 62 });
  requestEndMs = REQUEST_AT_MS + s.words[s.words.length - 1].endMs;
  track = userTrack(requestEndMs + REQUESTED_MS + 4_000, [{ pcm: s.pcm, atMs: REQUEST_AT_MS }]);
  inProcess = await runAgent(bank, track, { spotter });
}, 120_000);
afterAll(() => server?.close());

describe('reference agent: a timed request', () => {
  it('acknowledges at the turn end and speaks up twelve seconds after the request ended', () => {
    expect(inProcess.eventsOf('transcript').map((e) => e.event.text)).toEqual([
      ERRAND_LINES.timerSet('twelve seconds'),
      ERRAND_LINES.timerDue('twelve seconds'),
    ]);
    const ackStartMs = inProcess.speechStartAfter(requestEndMs)!;
    expect(ackStartMs - requestEndMs).toBeLessThan(1_000);
    const announcedMs = inProcess.speechStartAfter(inProcess.silenceStartAfter(ackStartMs)!)!;
    expect(Math.abs(announcedMs - (requestEndMs + REQUESTED_MS))).toBeLessThanOrEqual(WITHIN_MS);
  });

  it('does the same over the WebSocket server, frame for frame', async () => {
    const c = await RawClient.start(server.url);
    c.audio(track);
    const { received } = await c.end();
    expect(c.jsonOfType('transcript').map((m) => m.text)).toEqual([ERRAND_LINES.timerSet('twelve seconds'), ERRAND_LINES.timerDue('twelve seconds')]);
    expect(received.filter((r) => r.kind === 'audio').length).toBe(inProcess.speaking.filter(Boolean).length);
  });
});
