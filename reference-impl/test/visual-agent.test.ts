/**
 * The whole agent shown something: the user says a sentence, the agent answers, both go
 * quiet, and a hand goes up in the video (2 fps, the suite's generated frames). The agent says
 * a reaction from its bank one frame period after the hand appears (the detector's second
 * frame) and nothing between its answer and the cue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesize } from '../../datasets/tts/espeak.ts';
import { FRAME_MS } from '../frames.ts';
import { defaultVoiceBank, type VoiceBank } from '../voice-bank.ts';
import { runAgent } from '../testing/conversation.ts';
import { userTrack } from '../testing/signals.ts';
import { FRAME_SIZE, frameMaker, type FrameMaker } from '../testing/video-frames.ts';

const LEAD_MS = 500;
const STEPS_PER_VIDEO_FRAME = 1000 / FRAME_SIZE.fps / FRAME_MS;

let bank: VoiceBank;
let frames: FrameMaker;
beforeAll(async () => {
  bank = await defaultVoiceBank();
  frames = frameMaker();
});
afterAll(() => frames.dispose());

describe('ReferenceAgent shown a visual cue', () => {
  it('reacts one frame period after the cue appears, and says nothing between its answer and the cue', async () => {
    const s = await synthesize('I will hold the camera up so you can see what I mean.', { name: 'en-gb-scotland', rate_wpm: 170, pitch: 50 });
    const track = userTrack(LEAD_MS + s.words[s.words.length - 1].endMs + 16_000, [{ pcm: s.pcm, atMs: LEAD_MS }]);
    const { bare, cued } = await frames.stills('plain', 'raised_hand');
    const blind = await runAgent(bank, track);
    const answerEndMs = blind.silenceStartAfter(blind.speechStartAfter(0)!)!;
    // The cue on the first video frame at least 3 s after the answer (the suite's quiet stretch).
    const cueStep = Math.ceil((answerEndMs + 3000) / FRAME_MS / STEPS_PER_VIDEO_FRAME) * STEPS_PER_VIDEO_FRAME;
    const run = await runAgent(bank, track, { video: (i) => (i % STEPS_PER_VIDEO_FRAME === 0 ? (i >= cueStep ? cued : bare) : undefined) });

    const cueMs = cueStep * FRAME_MS;
    expect(run.speechStartAfter(answerEndMs)).toBe(cueMs + STEPS_PER_VIDEO_FRAME * FRAME_MS);
    expect(run.eventsOf('transcript').map((t) => t.event.text)).toEqual([bank.answers[0].text, bank.reactions[0].text]);
    const reactions = run.eventsOf('decision').filter((d) => d.event.decision.kind === 'react');
    expect(reactions).toHaveLength(1); // the hand stays up for the rest of the run: still one reaction
    // Seeing the frames changed nothing before the cue.
    expect(run.speaking.slice(0, cueStep)).toEqual(blind.speaking.slice(0, cueStep));
  });
});
