/**
 * Visual cues by change detection: something new is shown when a sizeable region of the frame
 * departs from the scene's background and stays so. Generic on purpose (no template of a hand
 * or a highlight): a raised hand, a red frame round a line, an object that appears, moves or
 * changes colour all show as a connected patch of cells whose colour left the background.
 *
 * - Background: the first frames (within warmupMs of the first) set it, so the start of the
 *   stream is never a cue; afterwards cells that have not changed follow the frames slowly
 *   (time constant backgroundTauMs: lighting drift, compression and sensor jitter), and cells
 *   that stay changed for absorbAfterMs become the scene (an object put down and left there).
 *   Changed cells are otherwise not adapted, so when a cue goes away the frame matches the
 *   background again and its disappearance is not a second cue.
 * - Change: a cell has changed when one of its mean R, G, B levels is cellChangeLevels from the
 *   background; a change is sizeable when its largest 4-connected patch covers
 *   minRegionFraction of the frame (scattered noisy cells never join up).
 * - Cue: a sizeable change in sustainFrames frames in a row (a one-frame flicker is not one);
 *   one cue per episode: the detector re-arms once the scene has been quiet that many frames.
 */
import type { ColourGrid } from './colour-grid.ts';

interface VisualCueConfig {
  gridCols: number;
  gridRows: number;
  cellChangeLevels: number;
  minRegionFraction: number;
  sustainFrames: number;
  warmupMs: number;
  backgroundTauMs: number;
  absorbAfterMs: number;
}

/**
 * 40x30 cells (8x8 px at 320x240): a 3 px outline still moves a cell's mean by 30+ levels.
 * 24 levels is above the jitter of a cell mean in a static scene (none in the suite's frames,
 * which repeat exactly, nor in its recorded clip; up to 17 levels under heavy grain, ffmpeg
 * `noise=alls=20`) and well below what the suite's cues do to their cells (96-222 levels at
 * the most changed cell; 25-81 cells changed, against 6 needed).
 */
export const DEFAULT_VISUAL_CUE: VisualCueConfig = {
  gridCols: 40,
  gridRows: 30,
  cellChangeLevels: 24,
  minRegionFraction: 0.005,
  sustainFrames: 2,
  warmupMs: 1000,
  backgroundTauMs: 3000,
  absorbAfterMs: 20_000,
};

export interface VisualCue {
  /** Share of the frame covered by the largest changed patch (0-1). */
  regionFraction: number;
  /** Its bounding box, in fractions of the frame's width and height. */
  box: { x: number; y: number; w: number; h: number };
}

export class VisualCueDetector {
  private background: Float32Array | null = null;
  private firstMs = 0;
  private lastMs = 0;
  /** Per cell: since when it has been changed (NaN: it has not). */
  private changedSinceMs: Float64Array;
  private sizeableRun = 0;
  private quietRun = 0;
  private inEpisode = false;

  constructor(readonly cfg: VisualCueConfig = DEFAULT_VISUAL_CUE) {
    this.changedSinceMs = new Float64Array(cfg.gridCols * cfg.gridRows).fill(NaN);
  }

  /** One frame's grid, seen at `tMs` on the agent's clock; a cue on the frame that confirms one. */
  observe(grid: ColourGrid, tMs: number): VisualCue | null {
    const c = this.cfg;
    if (grid.cols !== c.gridCols || grid.rows !== c.gridRows) {
      throw new RangeError(`VisualCueDetector: grid of ${grid.cols}x${grid.rows}, configured for ${c.gridCols}x${c.gridRows}`);
    }
    const dtMs = tMs - this.lastMs;
    this.lastMs = tMs;
    if (this.background === null) {
      this.background = grid.rgb.slice();
      this.firstMs = tMs;
      return null;
    }
    const bg = this.background;
    if (tMs - this.firstMs < c.warmupMs) {
      bg.set(grid.rgb);
      return null;
    }
    const alpha = 1 - Math.exp(-Math.max(0, dtMs) / c.backgroundTauMs);
    const changed = new Uint8Array(c.gridCols * c.gridRows);
    for (let cell = 0; cell < changed.length; cell++) {
      const i = cell * 3;
      const diff = Math.max(Math.abs(grid.rgb[i] - bg[i]), Math.abs(grid.rgb[i + 1] - bg[i + 1]), Math.abs(grid.rgb[i + 2] - bg[i + 2]));
      if (diff < c.cellChangeLevels) {
        this.changedSinceMs[cell] = NaN;
        for (let k = i; k < i + 3; k++) bg[k] += alpha * (grid.rgb[k] - bg[k]);
      } else if (Number.isNaN(this.changedSinceMs[cell])) {
        this.changedSinceMs[cell] = tMs;
        changed[cell] = 1;
      } else if (tMs - this.changedSinceMs[cell] >= c.absorbAfterMs) {
        this.changedSinceMs[cell] = NaN;
        bg.set(grid.rgb.subarray(i, i + 3), i);
      } else {
        changed[cell] = 1;
      }
    }
    const region = largestRegion(changed, c.gridCols, c.gridRows);
    const sizeable = region.cells >= c.minRegionFraction * changed.length;
    this.sizeableRun = sizeable ? this.sizeableRun + 1 : 0;
    this.quietRun = sizeable ? 0 : this.quietRun + 1;
    if (this.inEpisode && this.quietRun >= c.sustainFrames) this.inEpisode = false;
    if (this.inEpisode || this.sizeableRun < c.sustainFrames) return null;
    this.inEpisode = true;
    return { regionFraction: region.cells / changed.length, box: region.box };
  }
}

/** The largest 4-connected patch of set cells: its size and bounding box (fractions of the grid). */
export function largestRegion(mask: Uint8Array, cols: number, rows: number): { cells: number; box: VisualCue['box'] } {
  const seen = new Uint8Array(mask.length);
  const stack = new Int32Array(mask.length);
  let best = { cells: 0, box: { x: 0, y: 0, w: 0, h: 0 } };
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue;
    let top = 0;
    let cells = 0;
    let [x0, y0, x1, y1] = [cols, rows, -1, -1];
    stack[top++] = start;
    seen[start] = 1;
    while (top > 0) {
      const cell = stack[--top];
      const x = cell % cols;
      const y = (cell - x) / cols;
      cells++;
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
      const push = (n: number) => {
        if (mask[n] && !seen[n]) {
          seen[n] = 1;
          stack[top++] = n;
        }
      };
      if (x > 0) push(cell - 1);
      if (x < cols - 1) push(cell + 1);
      if (y > 0) push(cell - cols);
      if (y < rows - 1) push(cell + cols);
    }
    if (cells > best.cells) best = { cells, box: { x: x0 / cols, y: y0 / rows, w: (x1 - x0 + 1) / cols, h: (y1 - y0 + 1) / rows } };
  }
  return best;
}
