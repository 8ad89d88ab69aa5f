/**
 * What the generated video shows: a scene (slide, desk, plain) and the cues drawn on it, as
 * lists of boxes turned into ffmpeg drawbox filters. Shapes and colours only (no drawtext: a
 * font is not guaranteed offline), sized relative to the frame.
 *   slide: a title bar and five grey "lines of text"; highlight = a red frame round line 3
 *   desk: a table edge and a green object on the left; object_moves = it is on the right,
 *         color_change = it is red, object_appears = a blue object in the middle
 *   raised_hand (any scene): a palm with four fingers and a thumb, up on the right
 */
import type { CueKind } from '../../harness/scenario/schema.ts';

export type SceneKind = 'slide' | 'desk' | 'plain';
type DrawnCue = Exclude<CueKind, 'recorded'>;

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
  color: string;
  /** Outline thickness in px; default: filled. */
  outline?: number;
}

export const BACKGROUND: Record<SceneKind, string> = { slide: 'white', desk: '0xC8B496', plain: '0x808080' };
const HAND = '0xE0AC69';

function sceneBoxes(scene: SceneKind, W: number, H: number): Box[] {
  const u = (f: number, of: number) => Math.round(f * of);
  if (scene === 'slide') {
    const lines = [0, 1, 2, 3, 4].map((i) => ({ x: u(0.1, W), y: u(0.3 + i * 0.12, H), w: u(i % 2 ? 0.6 : 0.7, W), h: u(0.05, H), color: '0xB0B0B0' }));
    return [{ x: 0, y: 0, w: W, h: u(0.18, H), color: '0x203060' }, ...lines];
  }
  if (scene === 'desk') return [{ x: 0, y: u(0.7, H), w: W, h: u(0.3, H), color: '0x8B5A2B' }];
  return [];
}

/** The object on the desk (before any cue moves or recolours it). */
function object(scene: SceneKind, W: number, H: number, cue: DrawnCue | null): Box[] {
  // Off the desk an object cue still draws its object (it then simply appears): a cue is never invisible.
  if (scene !== 'desk' && cue !== 'object_moves' && cue !== 'color_change') return [];
  const size = Math.round(0.16 * H);
  const x = Math.round((cue === 'object_moves' ? 0.75 : 0.1) * W);
  return [{ x, y: Math.round(0.7 * H) - size, w: size, h: size, color: cue === 'color_change' ? 'red' : '0x20A040' }];
}

function cueBoxes(cue: DrawnCue, W: number, H: number): Box[] {
  const u = (f: number, of: number) => Math.round(f * of);
  switch (cue) {
    case 'highlight':
      return [{ x: u(0.08, W), y: u(0.3 + 2 * 0.12 - 0.02, H), w: u(0.74, W), h: u(0.09, H), color: 'red', outline: Math.max(2, u(0.012, H)) }];
    case 'raised_hand': {
      const palm = { x: u(0.72, W), y: u(0.4, H), w: u(0.14, W), h: u(0.2, H), color: HAND };
      const fingers = [0, 1, 2, 3].map((i) => ({
        x: palm.x + Math.round((i * palm.w) / 4) + 1,
        y: u(0.22, H),
        w: Math.max(2, Math.round(palm.w / 4) - 2),
        h: u(0.19, H),
        color: HAND,
      }));
      return [palm, ...fingers, { x: palm.x - u(0.04, W), y: u(0.45, H), w: u(0.04, W), h: u(0.08, H), color: HAND }];
    }
    case 'object_appears':
      return [{ x: u(0.45, W), y: u(0.35, H), w: u(0.12, W), h: u(0.16, H), color: '0x2050E0' }];
    case 'object_moves':
    case 'color_change':
      return []; // drawn by object()
  }
}

const drawbox = (b: Box) => `drawbox=x=${b.x}:y=${b.y}:w=${b.w}:h=${b.h}:color=${b.color}@1:t=${b.outline ?? 'fill'}`;

/** The drawbox filters of one frame: the scene, its object, and the cue if one is showing. */
export function frameFilters(scene: SceneKind, width: number, height: number, cue: DrawnCue | null): string[] {
  return [...sceneBoxes(scene, width, height), ...object(scene, width, height, cue), ...(cue ? cueBoxes(cue, width, height) : [])].map(drawbox);
}
