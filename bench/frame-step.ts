/**
 * `npm run bench -- frame-step`: the CPU time of one user frame step (UserTrack.nextFrame, 20 ms
 * at 16 kHz) with the noise floor drawn in the step, frame by frame (the path before issue 20,
 * and still the path when no fill came), against the floor drawn ahead in the slack
 * (UserTrack.fillAhead between frames, as the real-time FrameLoop does). The fill's own time is
 * shown too: it leaves the step, not the process. Rounds alternate the two paths so a change of
 * machine load hits both; the figure is the median round.
 */
import type { NoiseSpec } from '../harness/media.ts';
import { quantile } from '../harness/stats.ts';
import { UserTrack } from '../harness/runner/user-track.ts';
import { createNoise } from '../datasets/noise.ts';
import type { Row } from './engine.ts';

const RATE = 16_000;
const FRAME = 320;
const ROUNDS = 7;
const FRAMES_PER_ROUND = 3000;
const KINDS: NoiseSpec['kind'][] = ['white', 'pink', 'brown', 'room_tone'];

interface RoundUs {
  /** Mean time of nextFrame, µs. */
  step: number;
  /** Mean time of fillAhead before it, µs (0 when the floor is drawn in the step). */
  fill: number;
}

function round(kind: NoiseSpec['kind'], seed: number, ahead: boolean): RoundUs {
  const track = new UserTrack(RATE, createNoise({ kind, level_dbfs: -55 }, seed));
  let stepMs = 0;
  let fillMs = 0;
  for (let f = 0; f < FRAMES_PER_ROUND; f++) {
    const t0 = performance.now();
    if (ahead) track.fillAhead();
    const t1 = performance.now();
    track.nextFrame(FRAME);
    stepMs += performance.now() - t1;
    fillMs += t1 - t0;
  }
  return { step: (stepMs * 1000) / FRAMES_PER_ROUND, fill: ahead ? (fillMs * 1000) / FRAMES_PER_ROUND : 0 };
}

const median = (values: number[]) => quantile(values, 0.5);

export async function frameStepBench(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const kind of KINDS) {
    round(kind, 0, false); // warm-up: both paths compiled before timing
    round(kind, 0, true);
    const inStep: RoundUs[] = [];
    const drawnAhead: RoundUs[] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      inStep.push(round(kind, r, false));
      drawnAhead.push(round(kind, r, true));
    }
    const before = median(inStep.map((x) => x.step));
    const after = median(drawnAhead.map((x) => x.step));
    rows.push({
      noise: kind,
      'step, floor drawn in it (µs)': before.toFixed(1),
      'step, floor drawn ahead (µs)': after.toFixed(1),
      'before / after': (before / after).toFixed(1),
      'fill in the slack (µs per frame)': median(drawnAhead.map((x) => x.fill)).toFixed(1),
    });
  }
  return rows;
}
