/**
 * When the agent brings in what it was asked to do later, counted in 20 ms steps with a spotter
 * whose answer is fixed (the spotter itself is tested in keywords.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { Errands, QUIET_BEFORE_MS, SPOT_LEAD_MS, TASK_DURATION_MS, type ErrandLines } from '../errands/errands.ts';
import { FRAME_MS, FRAME_SAMPLES } from '../frames.ts';
import type { Spotted } from '../perception/keywords/spotter.ts';

const LINES: ErrandLines = { timerSet: (heard) => `set ${heard}`, timerDue: (heard) => `due ${heard}`, taskStarted: 'started', taskDone: 'done' };
const frame = new Int16Array(FRAME_SAMPLES);

/** Errands after a 1 s turn and `silenceMs` of silence, the turn heard as `heard`. */
async function afterTurn(heard: Spotted | null, silenceMs: number): Promise<{ errands: Errands; ack: string | null }> {
  const errands = new Errands({ spot: async () => heard }, LINES);
  for (let i = 0; i < 50; i++) errands.hear(frame, true);
  for (let i = 0; i < silenceMs / FRAME_MS; i++) errands.hear(frame, false);
  return { errands, ack: await errands.reply(silenceMs) };
}

/** Steps until `due` gives a phrase (user silent unless `speaking` says otherwise); the step count and the phrase. */
function stepsUntilDue(errands: Errands, speaking: (step: number) => boolean = () => false): { steps: number; text: string } {
  for (let step = 1; step < 10_000; step++) {
    errands.hear(frame, speaking(step));
    const p = errands.due();
    if (p) return { steps: step, text: p };
  }
  throw new Error('nothing came due');
}

describe('errands', () => {
  it('says nothing extra after a turn that asked for nothing', async () => {
    const { errands, ack } = await afterTurn(null, 200);
    expect(ack).toBeNull();
    for (let i = 0; i < 5_000; i++) {
      errands.hear(frame, false);
      expect(errands.due()).toBeNull();
    }
  });

  it('acknowledges a timed request and announces it the requested time after the speech ended', async () => {
    const { errands, ack } = await afterTurn({ kind: 'duration', text: 'ten seconds', durationMs: 10_000, z: -5 }, 400);
    expect(ack).toBe('set ten seconds');
    // 400 ms of the 10 s had passed at the turn-end decision.
    expect(stepsUntilDue(errands)).toEqual({ steps: (10_000 - 400) / FRAME_MS, text: 'due ten seconds' });
  });

  it('waits for the user to be quiet when the time comes while they talk', async () => {
    const { errands } = await afterTurn({ kind: 'duration', text: 'five seconds', durationMs: 5_000, z: -5 }, 200);
    const dueStep = (5_000 - 200) / FRAME_MS;
    // The user talks from 1 s before the due time to 1 s after it.
    const talkEndStep = dueStep + 50;
    const r = stepsUntilDue(errands, (s) => s >= dueStep - 50 && s < talkEndStep);
    expect(r.steps).toBe(talkEndStep - 1 + QUIET_BEFORE_MS / FRAME_MS);
  });

  it('starts a slow task and brings its result in when it is done', async () => {
    const { errands, ack } = await afterTurn({ kind: 'task', text: 'look up', z: -5 }, 200);
    expect(ack).toBe('started');
    expect(stepsUntilDue(errands)).toEqual({ steps: (TASK_DURATION_MS - 200) / FRAME_MS, text: 'done' });
  });

  describe('the spotter starts on a turn before the answer is due', () => {
    /** A spotter that records the turns it was given (and at which step) and hears a timer in turns longer than 1 s. */
    function countingSpotter() {
      const turns: { frames: number; atStep: number }[] = [];
      let step = 0;
      const spotter = {
        spot: async (audio: Int16Array): Promise<Spotted | null> => {
          turns.push({ frames: audio.length / FRAME_SAMPLES, atStep: step });
          return audio.length > (1_000 / FRAME_MS) * FRAME_SAMPLES ? { kind: 'duration', text: 'ten seconds', durationMs: 10_000, z: -5 } : null;
        },
      };
      return { spotter, turns, tick: () => step++ };
    }
    const loud = new Int16Array(FRAME_SAMPLES).fill(3000);
    /** `frames` frames of speech, or of silence that the policy would answer after `requiredMs`. */
    function speak(errands: Errands, tick: () => void, frames: number): void {
      for (let i = 0; i < frames; i++) (tick(), errands.hear(loud, true));
    }
    function pause(errands: Errands, tick: () => void, frames: number, requiredMs: number): void {
      for (let i = 1; i <= frames; i++) {
        tick();
        errands.hear(frame, false);
        errands.answerDueIn(requiredMs - i * FRAME_MS);
      }
    }

    it(`${SPOT_LEAD_MS} ms before the answer is due, once the turn's trailing edge is heard, on the audio the answer takes, once`, async () => {
      const { spotter, turns, tick } = countingSpotter();
      const errands = new Errands(spotter, LINES);
      speak(errands, tick, 50);
      pause(errands, tick, 9, 200);
      // 50 speech frames and the 5-frame edge after them, at the 5th quiet frame (the answer due in 100 ms).
      expect(turns).toEqual([{ frames: 55, atStep: 55 }]);
      expect(await errands.reply(200)).toBe('set ten seconds');
      expect(turns).toHaveLength(1);
    });

    it('not while the answer is far off: a long hold starts it only near its end', () => {
      const { spotter, turns, tick } = countingSpotter();
      const errands = new Errands(spotter, LINES);
      speak(errands, tick, 50);
      pause(errands, tick, 130, 2_600);
      expect(turns).toEqual([{ frames: 55, atStep: 50 + (2_600 - SPOT_LEAD_MS) / FRAME_MS }]);
    });

    it('speech again: the early result is dropped and the whole turn is heard', async () => {
      const { spotter, turns, tick } = countingSpotter();
      const errands = new Errands(spotter, LINES);
      speak(errands, tick, 30);
      pause(errands, tick, 8, 200);
      speak(errands, tick, 30);
      pause(errands, tick, 9, 200);
      // The pause's spotting heard 35 frames (no timer); the whole turn is 73 frames (a timer).
      expect(turns.map((t) => t.frames)).toEqual([35, 73]);
      expect(await errands.reply(200)).toBe('set ten seconds');
      expect(turns).toHaveLength(2);
    });

    it('an answer decided before the edge is heard spots what it takes then', async () => {
      const { spotter, turns, tick } = countingSpotter();
      const errands = new Errands(spotter, LINES);
      speak(errands, tick, 70);
      pause(errands, tick, 3, 80);
      expect(turns).toEqual([]);
      expect(await errands.reply(60)).toBe('set ten seconds');
      expect(turns.map((t) => t.frames)).toEqual([73]);
    });
  });
});
