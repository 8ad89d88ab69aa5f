/**
 * The visual-cue detector on frames from the project's real video generator (ffmpeg-drawn
 * scenes and cues, the suite's recorded clip): known answers for where a cue is reported and
 * where none may be. Frames come every 500 ms (2 fps); a cue shown from frame k is reported
 * on frame k + 1 (two frames in a row).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { DRAWN_CUES } from '../../datasets/recipes/conversation-suites.ts';
import { RECORDED_CLIP, RECORDED_CUE_MS } from '../../datasets/recipes/recorded-clip.ts';
import { openRecordedTrack } from '../../datasets/video/tracks.ts';
import { jpegToGrid } from '../perception/colour-grid.ts';
import { DEFAULT_VISUAL_CUE, VisualCueDetector, largestRegion } from '../perception/visual-cue.ts';
import { FRAME_SIZE, frameMaker, type FrameMaker } from '../testing/video-frames.ts';

const PERIOD_MS = 1000 / FRAME_SIZE.fps;
const { gridCols, gridRows } = DEFAULT_VISUAL_CUE;

let frames: FrameMaker;
beforeAll(() => {
  frames = frameMaker();
});
afterAll(() => frames.dispose());

/** The indexes of the frames on which the detector reports a cue. */
function cueFrames(jpegs: Uint8Array[], detector = new VisualCueDetector()): number[] {
  return jpegs.flatMap((jpeg, k) => {
    const g = jpegToGrid(jpeg, gridCols, gridRows);
    if (!g.ok) throw new Error(g.reason);
    return detector.observe(g.grid, k * PERIOD_MS) ? [k] : [];
  });
}

const repeat = <T>(x: T, n: number): T[] => Array.from({ length: n }, () => x);

describe('visual-cue detector: no cue', () => {
  it.each(['slide', 'desk', 'plain'] as const)('a static %s scene, 30 frames', async (scene) => {
    const { bare } = await frames.stills(scene, 'object_appears');
    expect(cueFrames(repeat(bare, 30))).toEqual([]);
  });

  it('a static scene under heavy grain (+-20 levels per pixel, new noise every frame)', async () => {
    const grainy = await Promise.all(Array.from({ length: 12 }, (_, k) => frames.grainy('desk', null, 20, k + 1)));
    expect(cueFrames(grainy)).toEqual([]);
  });

  it('the start of the stream: what the first frames show is the scene, not a cue', async () => {
    const { cued } = await frames.stills('plain', 'raised_hand');
    expect(cueFrames(repeat(cued, 20))).toEqual([]);
  });

  it('a one-frame flicker', async () => {
    const { bare, cued } = await frames.stills('desk', 'object_appears');
    expect(cueFrames([...repeat(bare, 6), cued, ...repeat(bare, 6), cued, bare])).toEqual([]);
  });
});

describe('visual-cue detector: cues', () => {
  it.each(DRAWN_CUES.map((d) => [d.cue, d.scene] as const))('%s on a %s: reported once, on the second frame showing it', async (cue, scene) => {
    const { bare, cued } = await frames.stills(scene, cue);
    // Shown from frame 8 for 10 frames, then gone: its disappearance is not a second cue.
    expect(cueFrames([...repeat(bare, 8), ...repeat(cued, 10), ...repeat(bare, 10)])).toEqual([9]);
  });

  it('a second showing after the scene was quiet is a second cue', async () => {
    const { bare, cued } = await frames.stills('desk', 'color_change');
    expect(cueFrames([...repeat(bare, 4), ...repeat(cued, 4), ...repeat(bare, 4), ...repeat(cued, 4)])).toEqual([5, 13]);
  });

  it('under heavy grain too', async () => {
    const grainy = await Promise.all(Array.from({ length: 10 }, (_, k) => frames.grainy('desk', k < 6 ? null : 'object_appears', 20, k + 1)));
    expect(cueFrames(grainy)).toEqual([7]);
  });

  it('the recorded clip: a hand raised at 10 s (frame 20 at 2 fps), reported at frame 21 only', async () => {
    const clip = fileURLToPath(new URL(`../../scenarios/visual_interjection/${RECORDED_CLIP}`, import.meta.url));
    const track = await openRecordedTrack(join(frames.dir, 'rec'), clip, FRAME_SIZE);
    const cueFrame = (RECORDED_CUE_MS / 1000) * FRAME_SIZE.fps;
    expect(cueFrames(Array.from({ length: 36 }, (_, k) => track.frame(k, null)))).toEqual([cueFrame + 1]);
  });

  it('a change that stays absorbAfterMs becomes the scene: taking it away is then the change', async () => {
    const { bare, cued } = await frames.stills('desk', 'object_appears');
    const detector = new VisualCueDetector({ ...DEFAULT_VISUAL_CUE, absorbAfterMs: 5000 });
    // Shown at frame 4, absorbed 5 s (10 frames) later, taken away at frame 30.
    expect(cueFrames([...repeat(bare, 4), ...repeat(cued, 26), ...repeat(bare, 6)], detector)).toEqual([5, 31]);
  });
});

describe('visual-cue detector: input', () => {
  it('a frame that is not a JPEG, or a broken one, gives a reason, not a crash', async () => {
    const notJpeg = jpegToGrid(new TextEncoder().encode('<html>'), gridCols, gridRows);
    expect(notJpeg).toEqual({ ok: false, reason: 'not a JPEG: a JPEG starts with the bytes ff d8, this frame (6 bytes) starts with "3c 68 74 6d"' });
    const { bare } = await frames.stills('plain', 'raised_hand');
    const truncated = jpegToGrid(bare.subarray(0, 200), gridCols, gridRows);
    expect(truncated.ok).toBe(false);
    expect(!truncated.ok && truncated.reason).toMatch(/^JPEG does not decode \(200 bytes\): /);
  });

  it('largestRegion: the biggest 4-connected patch and its box (diagonals do not join)', () => {
    // 4x3 grid: a 3-cell L at the top left, a diagonal pair at the bottom right.
    const mask = Uint8Array.from([1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0]);
    expect(largestRegion(mask, 4, 3)).toEqual({ cells: 3, box: { x: 0, y: 0, w: 0.5, h: 2 / 3 } });
  });
});
