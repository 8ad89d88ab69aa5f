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
