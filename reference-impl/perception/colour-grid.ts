/**
 * A JPEG frame as a small colour grid: decoded with jpeg-js (pure JS, no native build) and
 * box-averaged into cols x rows cells of mean R, G, B (0-255). The grid does not depend on the
 * frame's resolution, so a stream may change size without disturbing what watches it, and
 * averaging 8x8-odd pixels per cell takes compression and sensor noise down to a level or two.
 */
import jpeg from 'jpeg-js';

export interface ColourGrid {
  cols: number;
  rows: number;
  /** Mean R, G, B of each cell, row by row: 3 values per cell, 0-255. */
  rgb: Float32Array;
}

type GridResult = { ok: true; grid: ColourGrid } | { ok: false; reason: string };

/** Frames above this are refused rather than decoded (a 4K frame is 8.3 MP; this agent needs 0.08). */
const MAX_MEGAPIXELS = 9;

/** Decode `bytes` and average it into a cols x rows grid; a frame that is not a usable JPEG gives the reason. */
export function jpegToGrid(bytes: Uint8Array, cols: number, rows: number): GridResult {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) {
    const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    return { ok: false, reason: `not a JPEG: a JPEG starts with the bytes ff d8, this frame (${bytes.length} bytes) starts with "${head}"` };
  }
  let image: { width: number; height: number; data: Uint8Array };
  try {
    image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_MEGAPIXELS });
  } catch (e) {
    return { ok: false, reason: `JPEG does not decode (${bytes.length} bytes): ${e instanceof Error ? e.message : String(e)}` };
  }
  const { width, height, data } = image;
  if (width < cols || height < rows) return { ok: false, reason: `JPEG of ${width}x${height} is smaller than the ${cols}x${rows} grid it is watched on` };
  return { ok: true, grid: averageCells(data, width, height, cols, rows) };
}

function averageCells(rgba: Uint8Array, width: number, height: number, cols: number, rows: number): ColourGrid {
  const sums = new Float64Array(cols * rows * 3);
  const counts = new Uint32Array(cols * rows);
  const colOf = Uint16Array.from({ length: width }, (_, x) => Math.floor((x * cols) / width));
  for (let y = 0; y < height; y++) {
    const rowBase = Math.floor((y * rows) / height) * cols;
    let p = y * width * 4;
    for (let x = 0; x < width; x++, p += 4) {
      const cell = rowBase + colOf[x];
      sums[cell * 3] += rgba[p];
      sums[cell * 3 + 1] += rgba[p + 1];
      sums[cell * 3 + 2] += rgba[p + 2];
      counts[cell]++;
    }
  }
  const rgb = new Float32Array(cols * rows * 3);
  for (let c = 0; c < cols * rows; c++) for (let k = 0; k < 3; k++) rgb[c * 3 + k] = sums[c * 3 + k] / counts[c];
  return { cols, rows, rgb };
}
