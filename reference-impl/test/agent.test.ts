/**
 * The reference agent on synthesized speech over a room-tone floor, in virtual time: the
 * four behaviours the core suite exercises, each against the planted truth of the clip.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesize } from '../../datasets/tts/espeak.ts';
import { openPauses } from '../../datasets/pauses.ts';
import { FRAME_MS } from '../frames.ts';
import { buildVoiceBank, type VoiceBank } from '../voice-bank.ts';
import { DEFAULT_POLICY } from '../policy.ts';
import { runAgent, userTrack } from './conversation.ts';

const USER = { name: 'en-gb', rate_wpm: 170, pitch: 50 };
const LEAD_MS = 500;

let bank: VoiceBank;
beforeAll(async () => {
  bank = await buildVoiceBank();
});

async function say(text: string, voice = USER) {
  const s = await synthesize(text, voice);
  return { ...s, endMs: s.words[s.words.length - 1].endMs };
}

describe('ReferenceAgent on synthesized speech', () => {
  it('answers a statement soon after it ends, never before', async () => {
    const s = await say('We moved into the new apartment last month and we still have boxes everywhere.');
    const run = runAgent(bank, userTrack(LEAD_MS + s.endMs + 3_000, [{ pcm: s.pcm, atMs: LEAD_MS }]));
    const endMs = LEAD_MS + s.endMs;
    expect(run.speechStartAfter(0)).toBe(run.speechStartAfter(endMs)); // nothing during the turn
    const answerLatencyMs = run.speechStartAfter(endMs)! - endMs;
    expect(answerLatencyMs).toBeGreaterThan(0);
    expect(answerLatencyMs).toBeLessThan(DEFAULT_POLICY.fallSilenceMs + 200);
    expect(run.eventsOf('decision')[0].event.decision).toMatchObject({ kind: 'answer', contour: 'final_fall' });
    expect(run.eventsOf('transcript')[0].event.text).toBe(bank.answers[0].text);
  });

  it('answers a question (final rise) after it ends', async () => {
    const q = await say('Can you tell me what time the library opens on Saturday?');
    const run = runAgent(bank, userTrack(LEAD_MS + q.endMs + 3_000, [{ pcm: q.pcm, atMs: LEAD_MS }]));
    const endMs = LEAD_MS + q.endMs;
    expect(run.speechStartAfter(0)).toBe(run.speechStartAfter(endMs));
    const answerLatencyMs = run.speechStartAfter(endMs)! - endMs;
    expect(answerLatencyMs).toBeGreaterThan(0);
    expect(answerLatencyMs).toBeLessThan(DEFAULT_POLICY.riseSilenceMs + 200);
    expect(run.eventsOf('decision')[0].event.decision).toMatchObject({ kind: 'answer', contour: 'final_rise' });
  });

  it('does not take over in a 1.5 s pause opened mid-utterance, and answers the real end', async () => {
    const whole = await synthesize('I was thinking about going to the market tomorrow morning to buy some fresh vegetables for dinner.', USER);
    const clip = openPauses(whole, [{ after_word: 5, ms: 1_500 }]);
    const endMs = LEAD_MS + clip.words[clip.words.length - 1].endMs;
    const run = runAgent(bank, userTrack(endMs + 3_000, [{ pcm: clip.pcm, atMs: LEAD_MS }]));
    expect(run.speechStartAfter(0)).toBeGreaterThan(endMs);
    expect(run.eventsOf('decision').map((d) => d.event.decision.kind)).toEqual(['answer']);
  });

  it('stops within a few frames when the user talks over it for 1 s, then answers that', async () => {
    const q = await say('We moved into the new apartment last month and we still have boxes everywhere.');
    const barge = await say('Hold on, wait.');
    expect(barge.endMs).toBeGreaterThan(900);
    expect(barge.endMs).toBeLessThan(1_500);
    const alone = runAgent(bank, userTrack(LEAD_MS + q.endMs + 3_000, [{ pcm: q.pcm, atMs: LEAD_MS }]));
    const answerStartMs = alone.speechStartAfter(LEAD_MS + q.endMs)!;
    const bargeAtMs = answerStartMs + 1_000;
    const run = runAgent(bank, userTrack(bargeAtMs + barge.endMs + 4_000, [{ pcm: q.pcm, atMs: LEAD_MS }, { pcm: barge.pcm, atMs: bargeAtMs }]));

    const stopLatencyMs = run.silenceStartAfter(bargeAtMs)! - bargeAtMs;
    expect(stopLatencyMs).toBeGreaterThanOrEqual(DEFAULT_POLICY.bargeInSpeechMs);
    expect(stopLatencyMs).toBeLessThanOrEqual(DEFAULT_POLICY.bargeInSpeechMs + 5 * FRAME_MS);
    const interrupted = run.eventsOf('interrupted');
    expect(interrupted.map((e) => e.tMs)).toEqual([bargeAtMs + stopLatencyMs]);
    // Silent through the rest of the barge-in, then a new answer after it ends.
    const bargeEndMs = bargeAtMs + barge.endMs;
    expect(run.speechStartAfter(bargeAtMs + stopLatencyMs)).toBeGreaterThan(bargeEndMs);
    expect(run.eventsOf('transcript').map((t) => t.event.text)).toEqual([bank.answers[0].text, bank.answers[1].text]);
  });

  it('keeps talking through a 300 ms "mm-hmm" from the user', async () => {
    const q = await say('We moved into the new apartment last month and we still have boxes everywhere.');
    const mmHmm = await synthesize('Mm-hmm.', { ...USER, rate_wpm: 290 });
    const mmHmmMs = mmHmm.words[0].endMs;
    expect(mmHmmMs).toBeGreaterThan(250);
    expect(mmHmmMs).toBeLessThan(400);
    const alone = runAgent(bank, userTrack(LEAD_MS + q.endMs + 3_000, [{ pcm: q.pcm, atMs: LEAD_MS }]));
    const answerStartMs = alone.speechStartAfter(LEAD_MS + q.endMs)!;
    const run = runAgent(bank, userTrack(answerStartMs + 8_000, [{ pcm: q.pcm, atMs: LEAD_MS }, { pcm: mmHmm.pcm, atMs: answerStartMs + 1_500 }]));
    expect(run.eventsOf('interrupted')).toEqual([]);
    expect(run.silenceStartAfter(answerStartMs)).toBe(answerStartMs + bank.answers[0].durationMs);
  });

  it('is deterministic: the same input gives the same output, frame for frame', async () => {
    const s = await say('Do you know whether the train to Boston leaves from this platform?');
    const track = userTrack(LEAD_MS + s.endMs + 2_000, [{ pcm: s.pcm, atMs: LEAD_MS }], 'brown', 5);
    const a = runAgent(bank, track);
    const b = runAgent(bank, track);
    expect(a.speaking).toEqual(b.speaking);
    expect(a.events).toEqual(b.events);
    expect(a.speaking.some(Boolean)).toBe(true);
  });
});
