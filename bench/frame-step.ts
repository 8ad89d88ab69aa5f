/**
 * `npm run bench -- frame-step`: the CPU time of one user frame step (UserTrack.nextFrame, 20 ms
 * at 16 kHz) on the live loop with the noise floor drawn in the step, frame by frame (virtual
 * time, and a stream with no recipe), against the floor drawn by the noise thread
 * (harness/runner/noise-thread.ts), where the step only copies it. The thread's ring holds a
 * whole round when the round starts, so the figure is the step's own cost, not a wait for the
 * thread; the waits are shown to prove it. Rounds alternate the two paths so a change of
 * machine load hits both; the figure is the median round.
 */
import type { NoiseSpec } from '../harness/media.ts';
import { quantile } from '../harness/stats.ts';
import { UserTrack } from '../harness/runner/user-track.ts';
import { drawnInStep, type NoiseFloor } from '../harness/runner/noise-floor.ts';
import { openInNoiseThread } from '../harness/runner/noise-thread.ts';
import { createNoise } from '../datasets/noise.ts';
import type { Row } from './engine.ts';

const RATE = 16_000;
const FRAME = 320;
const ROUNDS = 7;
const FRAMES_PER_ROUND = 3000;
const KINDS: NoiseSpec['kind'][] = ['white', 'pink', 'brown', 'room_tone'];

/** Mean time of nextFrame over a round, µs. */
function roundUs(floor: NoiseFloor): number {
  const track = new UserTrack(RATE, floor);
  let stepMs = 0;
  for (let f = 0; f < FRAMES_PER_ROUND; f++) {
    const t0 = performance.now();
    track.nextFrame(FRAME);
    stepMs += performance.now() - t0;
  }
  floor.close();
  return (stepMs * 1000) / FRAMES_PER_ROUND;
}

async function inThreadUs(kind: NoiseSpec['kind'], seed: number): Promise<{ us: number; waits: number }> {
  // Opening answers once the thread has filled the ring: here, the whole round.
  const floor = await openInNoiseThread(createNoise({ kind, level_dbfs: -55 }, seed).recipe!, FRAMES_PER_ROUND * FRAME);
  return { us: roundUs(floor), waits: floor.waits!.count };
}

const inStepUs = (kind: NoiseSpec['kind'], seed: number) => roundUs(drawnInStep(createNoise({ kind, level_dbfs: -55 }, seed)));
const median = (values: number[]) => quantile(values, 0.5);

export async function frameStepBench(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const kind of KINDS) {
    inStepUs(kind, 0); // warm-up: both paths compiled before timing
    await inThreadUs(kind, 0);
    const inStep: number[] = [];
    const inThread: { us: number; waits: number }[] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      inStep.push(inStepUs(kind, r));
      inThread.push(await inThreadUs(kind, r));
    }
    const before = median(inStep);
    const after = median(inThread.map((x) => x.us));
    rows.push({
      noise: kind,
      'step, floor drawn in it (µs)': before.toFixed(1),
      'step, floor from the noise thread (µs)': after.toFixed(1),
      'before / after': (before / after).toFixed(1),
      'waits for the thread (all rounds)': inThread.reduce((s, x) => s + x.waits, 0),
    });
  }
  return rows;
}
