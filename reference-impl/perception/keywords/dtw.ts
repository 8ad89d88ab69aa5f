/**
 * Subsequence DTW: how well a keyword template matches anywhere inside a longer query (a whole
 * user turn). The match may start and end at any query frame; its slope is kept between 1/2 and
 * 2 (steps (1,1), (1,2), (2,1)), so a one-second template cannot be smeared over a sentence.
 * Every template frame is charged exactly once, so the score is the mean frame distance along
 * the best path, comparable across templates of different lengths.
 */
import { MFCC_DIMS, type Features } from './mfcc.ts';

/** Mean Euclidean frame distance along the best match; Infinity if the query is too short. */
export function subsequenceDtw(template: Features, query: Features): number {
  const m = template.frames;
  const n = query.frames;
  if (m === 0 || n * 2 < m) return Infinity;
  const t = template.data;
  const q = query.data;
  // Columns j-2, j-1 and j of the cost table, indexed by template frame.
  let prev2 = new Float64Array(m).fill(Infinity);
  let prev1 = new Float64Array(m).fill(Infinity);
  let cur = new Float64Array(m);
  const here = new Float64Array(m);
  let best = Infinity;
  for (let j = 0; j < n; j++) {
    const qj = j * MFCC_DIMS;
    for (let i = 0, ti = 0; i < m; i++, ti += MFCC_DIMS) {
      let sum = 0;
      for (let k = 0; k < MFCC_DIMS; k++) {
        const d = t[ti + k] - q[qj + k];
        sum += d * d;
      }
      here[i] = Math.sqrt(sum);
    }
    cur[0] = here[0];
    for (let i = 1; i < m; i++) {
      const skipTemplate = i >= 2 ? prev1[i - 2] + here[i - 1] : Infinity;
      cur[i] = here[i] + Math.min(prev1[i - 1], prev2[i - 1], skipTemplate);
    }
    best = Math.min(best, cur[m - 1]);
    [prev2, prev1, cur] = [prev1, cur, prev2];
  }
  return best / m;
}

/**
 * Prefix DTW: how well a short query (the first few hundred ms of a word as it is being said)
 * matches the beginning of a template. Both start together (within `startSlackFrames` of each
 * other, for the VAD's onset jitter); the whole query is used and the template may end
 * anywhere (the rest of the word is not heard yet). Same steps and slope limits as
 * subsequenceDtw; every query frame is charged once, so the score is a mean frame distance.
 * A match that cannot come out under `abandonAbove` is given up early (Infinity): costs only
 * grow along a path, so once two successive rows are all over the bound, so is the end.
 */
export function prefixDtw(query: Features, template: Features, startSlackFrames = 2, abandonAbove = Infinity): number {
  const n = query.frames;
  const m = template.frames;
  if (n === 0 || m * 2 < n) return Infinity;
  const q = query.data;
  const t = template.data;
  const bound = abandonAbove * n;
  // Rows i-2, i-1 and i of the cost table, and the frame distances of rows i-1 and i, by template frame.
  let prev2 = new Float64Array(m).fill(Infinity);
  let prev1 = new Float64Array(m).fill(Infinity);
  let cur = new Float64Array(m);
  let prevHere = new Float64Array(m);
  let here = new Float64Array(m);
  let prevRowMin = Infinity;
  for (let i = 0; i < n; i++) {
    // No path reaches past two template frames per query frame.
    const last = Math.min(m - 1, 2 * i + startSlackFrames);
    const qi = i * MFCC_DIMS;
    let rowMin = Infinity;
    for (let j = 0, tj = 0; j <= last; j++, tj += MFCC_DIMS) {
      let sum = 0;
      for (let k = 0; k < MFCC_DIMS; k++) {
        const d = q[qi + k] - t[tj + k];
        sum += d * d;
      }
      here[j] = Math.sqrt(sum);
      // Starts: the first query frame on one of the template's first frames, or the query's
      // first frames all on the template's first (each still charged).
      const start = i === 0 && j <= startSlackFrames ? 0 : j === 0 && i <= startSlackFrames ? prev1[0] : Infinity;
      const diagonal = j >= 1 ? prev1[j - 1] : Infinity;
      const skipTemplate = j >= 2 ? prev1[j - 2] : Infinity;
      const skipQuery = j >= 1 && i >= 2 ? prev2[j - 1] + prevHere[j] : Infinity;
      cur[j] = here[j] + Math.min(start, diagonal, skipTemplate, skipQuery);
      if (cur[j] < rowMin) rowMin = cur[j];
    }
    cur.fill(Infinity, last + 1);
    if (rowMin > bound && prevRowMin > bound) return Infinity;
    prevRowMin = rowMin;
    [prev2, prev1, cur] = [prev1, cur, prev2];
    [prevHere, here] = [here, prevHere];
  }
  let best = Infinity;
  for (let j = 0; j < m; j++) best = Math.min(best, prev1[j]);
  return best / n;
}
