/**
 * The echo path with known answers: the agent's played samples come back into the user track
 * exactly `delayMs` later and `gainDb` lower, sample for sample, when fed in the session's
 * order (the user frame first, then the frame played meanwhile).
 */
import { describe, expect, it } from 'vitest';
import { speechSegments } from '../vad/speech.ts';
import { vowelVoice } from '../audio/vowel-voice.ts';
import { EchoPath } from './echo-path.ts';
import { UserTrack } from './user-track.ts';

const SR = 16_000;
const FRAME = 320; // 20 ms

/** Run a user track with an echo path as the session does, frame by frame; the whole user channel. */
function session(agent: Int16Array, echo: EchoPath, clip?: { at: number; pcm: Int16Array }): Int16Array {
  const track = new UserTrack(SR, undefined, echo);
  if (clip) track.place(clip.at, clip.pcm);
  const user = new Int16Array(agent.length);
  for (let from = 0; from < agent.length; from += FRAME) {
    user.set(track.nextFrame(FRAME), from);
    echo.push(agent.subarray(from, from + FRAME));
  }
  return user;
}

describe('EchoPath', () => {
  it('returns each played sample delayMs later, gainDb lower, exactly (impulses across frame edges)', () => {
    const agent = new Int16Array(SR);
    const at = [0, 319, 320, 5000, 9999, 13_000];
    for (const [i, s] of at.entries()) agent[s] = 10_000 + 1000 * i;
    const echo = new EchoPath(-20, 120, SR);
    const user = session(agent, echo);
    const delay = (120 * SR) / 1000;
    const expected = new Int16Array(SR);
    for (const s of at) if (s + delay < SR) expected[s + delay] = Math.round(agent[s] * 10 ** (-20 / 20));
    expect(user).toEqual(expected);
    expect(echo.lateSamples).toBe(0);
  });

  it('adds to what the user says, and counts as late (silence) what was not played in time (a delay under one frame)', () => {
    const agent = Int16Array.from({ length: SR }, (_, i) => (i % 100 === 0 ? 20_000 : 0));
    const words = Int16Array.from({ length: 1600 }, () => 1000);
    const user = session(agent, new EchoPath(0, 40, SR), { at: 8000, pcm: words });
    for (let i = 8000; i < 9600; i++) expect(user[i]).toBe(1000 + agent[i - 640]);
    const short = new EchoPath(-6, 5, SR);
    session(agent, short);
    expect(short.lateSamples).toBeGreaterThan(0);
  });

  it("puts the agent's speech into the user channel where the speech detector finds it delayMs later, within a frame", () => {
    const agent = new Int16Array(3 * SR);
    const speech = vowelVoice(1500, SR);
    agent.set(speech, SR / 2);
    const [played] = speechSegments(agent, SR);
    const user = session(agent, new EchoPath(-12, 150, SR));
    const [heard] = speechSegments(user, SR);
    expect(Math.abs(heard.startMs - (played.startMs + 150))).toBeLessThanOrEqual(20);
    expect(Math.abs(heard.endMs - (played.endMs + 150))).toBeLessThanOrEqual(20);
  });
});
