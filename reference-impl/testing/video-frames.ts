/**
 * Video frames for the visual-cue tests, made by the project's own generator (datasets/video:
 * ffmpeg draws the suite's scenes and cues) into a temporary cache, plus grain: the same still
 * with per-frame sensor-like noise, for a static scene that is not byte-identical frame to frame.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CueKind } from '../../harness/scenario/schema.ts';
import { renderStill } from '../../datasets/video/ffmpeg.ts';
import { BACKGROUND, frameFilters, type SceneKind } from '../../datasets/video/scenes.ts';
import { openGeneratedTrack } from '../../datasets/video/tracks.ts';

export const FRAME_SIZE = { fps: 2, width: 320, height: 240 };
type DrawnCue = Exclude<CueKind, 'recorded'>;

export interface FrameMaker {
  dir: string;
  /** The bare scene and the scene with `cue`, as the runner's generated track sends them. */
  stills(scene: SceneKind, cue: DrawnCue): Promise<{ bare: Uint8Array; cued: Uint8Array }>;
  /** The scene (with `cue` if given) under ffmpeg grain of +-`amplitude` levels, drawn with `seed`. */
  grainy(scene: SceneKind, cue: DrawnCue | null, amplitude: number, seed: number): Promise<Uint8Array>;
  dispose(): void;
}

export function frameMaker(): FrameMaker {
  const dir = mkdtempSync(join(tmpdir(), 'crosstalk-visual-'));
  return {
    dir,
    async stills(scene, cue) {
      const track = await openGeneratedTrack(join(dir, 'cache'), scene, FRAME_SIZE, [cue]);
      return { bare: track.frame(0, null), cued: track.frame(1, { id: 'cue', kind: cue, elapsedMs: 0 }) };
    },
    async grainy(scene, cue, amplitude, seed) {
      const file = join(dir, `grain-${scene}-${cue}-${amplitude}-${seed}.jpg`);
      await renderStill(file, FRAME_SIZE, BACKGROUND[scene], [
        ...frameFilters(scene, FRAME_SIZE.width, FRAME_SIZE.height, cue),
        `noise=alls=${amplitude}:allf=u:all_seed=${seed}`,
      ]);
      return new Uint8Array(readFileSync(file));
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
