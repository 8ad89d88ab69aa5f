/**
 * When a seen cue becomes a spoken reaction: frames every 500 ms (every 25th step), the cue
 * drawn from step 200, so the detector confirms it with the frame seen before step 225.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAME_MS } from '../frames.ts';
import { DEFAULT_VISUAL_REACTION, VisualReaction, type ReactDecision } from '../visual-reaction.ts';
import { frameMaker, type FrameMaker } from '../testing/video-frames.ts';

const STEPS_PER_FRAME = 25;
const CUE_FROM_STEP = 200;
const CONFIRMED_AT_STEP = CUE_FROM_STEP + STEPS_PER_FRAME;

let frames: FrameMaker;
let stills: { bare: Uint8Array; cued: Uint8Array };
beforeAll(async () => {
  frames = frameMaker();
  stills = await frames.stills('slide', 'highlight');
});
afterAll(() => frames.dispose());

interface Plan {
  steps: number;
  userSpeaks?: (step: number) => boolean;
  agentBusy?: (step: number) => boolean;
  frameAt?: (step: number) => Uint8Array;
}

function run(plan: Plan): { step: number; decision: ReactDecision }[] {
  const visual = new VisualReaction();
  const out: { step: number; decision: ReactDecision }[] = [];
  const frameAt = plan.frameAt ?? ((i: number) => (i >= CUE_FROM_STEP ? stills.cued : stills.bare));
  for (let i = 0; i < plan.steps; i++) {
    if (i % STEPS_PER_FRAME === 0) expect(visual.see(frameAt(i))).toBeNull();
    const decision = visual.step(plan.userSpeaks?.(i) ?? false, !(plan.agentBusy?.(i) ?? false));
    if (decision) out.push({ step: i, decision });
  }
  return out;
}

describe('visual reaction', () => {
  it('the user silent: reacts at the step after the confirming frame, once', () => {
    expect(run({ steps: 600 })).toEqual([
      {
        step: CONFIRMED_AT_STEP,
        decision: { kind: 'react', cueAgeMs: FRAME_MS, userSilenceMs: (CONFIRMED_AT_STEP + 1) * FRAME_MS, regionFraction: expect.any(Number) },
      },
    ]);
  });

  it('the user speaking: waits for gapSilenceMs of silence after the speech', () => {
    const speechEndStep = 300;
    const reacted = run({ steps: 600, userSpeaks: (i) => i >= 150 && i < speechEndStep });
    const step = speechEndStep + DEFAULT_VISUAL_REACTION.gapSilenceMs / FRAME_MS - 1;
    expect(reacted).toEqual([
      { step, decision: expect.objectContaining({ cueAgeMs: (step + 1 - CONFIRMED_AT_STEP) * FRAME_MS, userSilenceMs: DEFAULT_VISUAL_REACTION.gapSilenceMs }) },
    ]);
  });

  it('the agent busy (speaking, or the turn policy acting): reacts when it is free', () => {
    expect(run({ steps: 600, agentBusy: (i) => i < 400 }).map((r) => r.step)).toEqual([400]);
  });

  it('the user talking on past staleAfterMs: the moment has passed, no reaction', () => {
    const lastChanceStep = CONFIRMED_AT_STEP + DEFAULT_VISUAL_REACTION.staleAfterMs / FRAME_MS;
    expect(run({ steps: 900, userSpeaks: (i) => i >= 150 && i < lastChanceStep })).toEqual([]);
  });

  it('a frame that is not a JPEG is skipped with its reason; the stream goes on', () => {
    const visual = new VisualReaction();
    expect(visual.see(new Uint8Array([1, 2, 3, 4]))).toMatch(/^not a JPEG/);
    expect(visual.see(stills.bare)).toBeNull();
  });
});
