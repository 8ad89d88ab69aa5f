/**
 * Subsequence DTW: how well a keyword template matches anywhere inside a longer query (a whole
 * user turn). The match may start and end at any query frame; its slope is kept between 1/2 and
 * 2 (steps (1,1), (1,2), (2,1)), so a one-second template cannot be smeared over a sentence.
 * Every template frame is charged exactly once, so the score is the mean frame distance along
 * the best path, comparable across templates of different lengths.
 */
import { MFCC_DIMS, type Features } from './mfcc.ts';

/** Frame distances computed by subsequenceMatch since the process started (what matching costs, machine-independent: tools/kws-cpu.ts). */
export const dtwWork = { distances: 0 };

/** Mean Euclidean frame distance along the best match; Infinity if the query is too short. */
export function subsequenceDtw(template: Features, query: Features): number {
  return subsequenceMatch(template, query).score;
}

/**
 * subsequenceDtw's score and where the best match ends: the query frame its last template frame
 * lies on (-1 when there is no match). It starts between end - 2m + 1 and end - m/2 + 1.
 *
 * `abandonAbove` (a mean frame distance): a match scoring over it is not wanted, so it is not
 * looked for. Costs only grow along a path, so a cell whose cost is already over the bound
 * cannot lie on a wanted match: it is dropped, and cells that only dropped cells lead to are
 * never computed (their frame distances are most of the work). Every match at or under the
 * bound is found exactly as without one (the same score and end); with none under it, the
 * result is { score: Infinity, end: -1 }.
 *
 * `endFrom`..`endTo` (query frames, inclusive): only matches ending there count, and only the
 * cells a path can take from a start to an end there (a parallelogram: 1/2 to 2 query frames per
 * template frame) are computed.
 */
export function subsequenceMatch(
  template: Features,
  query: Features,
  abandonAbove = Infinity,
  endFrom = 0,
  endTo = query.frames - 1,
): { score: number; end: number } {
  const m = template.frames;
  const n = query.frames;
  if (m === 0 || n * 2 < m) return { score: Infinity, end: -1 };
  endFrom = Math.max(0, endFrom);
  endTo = Math.min(n - 1, endTo);
  if (endFrom > endTo) return { score: Infinity, end: -1 };
  if (MFCC_DIMS !== 8) throw new Error('subsequenceMatch is written out for 8 coefficients');
  const t = template.data;
  const q = query.data;
  // A hair over the bound, so that rounding in the sums never drops a match exactly at it.
  const bound = abandonAbove * m * (1 + 1e-9);
  // Columns j-2, j-1 and j of the cost table, indexed by template frame, and how far each
  // column's finite cells reach (cells past it are Infinity).
  let prev2 = new Float64Array(m).fill(Infinity);
  let prev1 = new Float64Array(m).fill(Infinity);
  let cur = new Float64Array(m).fill(Infinity);
  let prev2Top = -1;
  let prev1Top = -1;
  let curTop = -1;
  // Frame distances of this column, computed only where needed (`at[i] === j` when here[i] holds column j's).
  const here = new Float64Array(m);
  const at = new Int32Array(m).fill(-1);
  let best = Infinity;
  let end = -1;
  // Before this column no cell can reach an end at endFrom or later.
  for (let j = Math.max(0, endFrom - 2 * (m - 1)); j <= endTo; j++) {
    const qj = j * MFCC_DIMS;
    // The cells any finite cell of the last two columns can reach, and of those the ones that
    // can still end in endFrom..endTo (the template's remaining r frames take r/2 to 2r columns).
    const lo = Math.max(0, m - 1 - 2 * (endTo - j));
    const hi = j >= endFrom ? m - 1 : m - 1 - Math.ceil((endFrom - j) / 2);
    const top = Math.min(hi, Math.max(prev1Top + 2, prev2Top + 1, 0));
    let newTop = -1;
    if (lo === 0) {
      const c0 = frameDistance(t, 0, q, qj);
      here[0] = c0;
      at[0] = j;
      cur[0] = c0 > bound ? Infinity : c0;
      if (cur[0] !== Infinity) newTop = 0;
    } else {
      cur.fill(Infinity, 0, Math.min(lo, m));
    }
    for (let i = Math.max(1, lo); i <= top; i++) {
      const a = prev1[i - 1] < prev2[i - 1] ? prev1[i - 1] : prev2[i - 1];
      let s = Infinity;
      if (i >= 2 && prev1[i - 2] !== Infinity) {
        if (at[i - 1] !== j) {
          here[i - 1] = frameDistance(t, (i - 1) * MFCC_DIMS, q, qj);
          at[i - 1] = j;
        }
        s = prev1[i - 2] + here[i - 1];
      }
      const from = a < s ? a : s;
      if (from === Infinity) {
        cur[i] = Infinity;
        continue;
      }
      const h = frameDistance(t, i * MFCC_DIMS, q, qj);
      here[i] = h;
      at[i] = j;
      const c = h + from;
      if (c > bound) {
        cur[i] = Infinity;
      } else {
        cur[i] = c;
        newTop = i;
      }
    }
    // Clear what this array held from three columns ago past the cells just written.
    for (let i = top + 1; i <= curTop; i++) cur[i] = Infinity;
    curTop = newTop;
    if (j >= endFrom && cur[m - 1] < best) {
      best = cur[m - 1];
      end = j;
    }
    const oldest = prev2;
    prev2 = prev1;
    prev1 = cur;
    cur = oldest;
    const oldestTop = prev2Top;
    prev2Top = prev1Top;
    prev1Top = curTop;
    curTop = oldestTop;
  }
  return best === Infinity ? { score: Infinity, end: -1 } : { score: best / m, end };
}

/**
 * subsequenceMatch's score for matches ending in query frames endFrom..endTo, computed from that
 * end backwards: the cost still to go from each cell to the template's end, row by row from the
 * template's last frame to its first (the same steps, each frame charged once, so the same paths
 * and the same score, up to rounding). Every path grows out of the few end cells, so a bound
 * (`abandonAbove`, a mean frame distance) cuts it hard: cells over it are dropped, only cells
 * that kept ones lead to are computed, and once two rows in a row are all dropped the match is
 * given up (Infinity). Used where the end is known (a duration phrase ends on its unit word).
 */
export function anchoredMatch(template: Features, query: Features, endFrom: number, endTo: number, abandonAbove = Infinity): number {
  const m = template.frames;
  const n = query.frames;
  endFrom = Math.max(0, endFrom);
  endTo = Math.min(n - 1, endTo);
  if (m === 0 || endFrom > endTo) return Infinity;
  if (MFCC_DIMS !== 8) throw new Error('anchoredMatch is written out for 8 coefficients');
  const t = template.data;
  const q = query.data;
  const bound = abandonAbove * m * (1 + 1e-9);
  // Rows i, i+1 and i+2 of the cost-to-go table, by query frame (two spare cells past the end
  // stay Infinity), and the range of each row's finite cells (lo > hi: none).
  let g0 = new Float64Array(n + 2).fill(Infinity);
  let g1 = new Float64Array(n + 2).fill(Infinity);
  let g2 = new Float64Array(n + 2).fill(Infinity);
  let lo0 = 1;
  let hi0 = 0;
  let lo1 = 1;
  let hi1 = 0;
  let lo2 = 1;
  let hi2 = 0;
  // Frame distances of rows i and i+1, by query frame, computed where needed (stamped with the row).
  let h0 = new Float64Array(n + 2);
  let h1 = new Float64Array(n + 2);
  let s0 = new Int32Array(n + 2).fill(-1);
  let s1 = new Int32Array(n + 2).fill(-1);
  // The last row: the template's last frame on an allowed end.
  for (let j = endFrom; j <= endTo; j++) {
    const h = frameDistance(t, (m - 1) * MFCC_DIMS, q, j * MFCC_DIMS);
    h0[j] = h;
    s0[j] = m - 1;
    if (h <= bound) {
      g0[j] = h;
      if (lo0 > hi0) lo0 = j;
      hi0 = j;
    }
  }
  for (let i = m - 2; i >= 0; i--) {
    // Shift rows: i+1 <- i, i+2 <- i+1; the oldest arrays become row i, cleared where they held anything.
    const oldG = g2;
    g2 = g1;
    g1 = g0;
    g0 = oldG;
    if (lo2 <= hi2) g0.fill(Infinity, lo2, hi2 + 1);
    lo2 = lo1;
    hi2 = hi1;
    lo1 = lo0;
    hi1 = hi0;
    const oldH = h1;
    h1 = h0;
    h0 = oldH;
    const oldS = s1;
    s1 = s0;
    s0 = oldS;
    if (lo1 > hi1 && lo2 > hi2) return Infinity;
    // Row i's cells come from row i+1 one or two frames on, or from row i+2 one frame on.
    let from = Infinity;
    let to = -Infinity;
    if (lo1 <= hi1) {
      from = lo1 - 2;
      to = hi1 - 1;
    }
    if (lo2 <= hi2) {
      from = Math.min(from, lo2 - 1);
      to = Math.max(to, hi2 - 1);
    }
    from = Math.max(0, from);
    lo0 = 1;
    hi0 = 0;
    for (let j = from; j <= to; j++) {
      const a = g1[j + 1] < g1[j + 2] ? g1[j + 1] : g1[j + 2];
      let sk = Infinity;
      if (g2[j + 1] !== Infinity) {
        if (s1[j + 1] !== i + 1) {
          h1[j + 1] = frameDistance(t, (i + 1) * MFCC_DIMS, q, (j + 1) * MFCC_DIMS);
          s1[j + 1] = i + 1;
        }
        sk = g2[j + 1] + h1[j + 1];
      }
      const best = a < sk ? a : sk;
      if (best === Infinity) continue;
      const h = frameDistance(t, i * MFCC_DIMS, q, j * MFCC_DIMS);
      h0[j] = h;
      s0[j] = i;
      const c = h + best;
      if (c <= bound) {
        g0[j] = c;
        if (lo0 > hi0) lo0 = j;
        hi0 = j;
      }
    }
  }
  let best = Infinity;
  for (let j = lo0; j <= hi0; j++) if (g0[j] < best) best = g0[j];
  return best / m;
}

/** Euclidean distance of two 8-coefficient frames (written out: the matcher's inner loop). */
function frameDistance(t: Float32Array, ti: number, q: Float32Array, qj: number): number {
  dtwWork.distances++;
  const d0 = t[ti] - q[qj];
  const d1 = t[ti + 1] - q[qj + 1];
  const d2 = t[ti + 2] - q[qj + 2];
  const d3 = t[ti + 3] - q[qj + 3];
  const d4 = t[ti + 4] - q[qj + 4];
  const d5 = t[ti + 5] - q[qj + 5];
  const d6 = t[ti + 6] - q[qj + 6];
  const d7 = t[ti + 7] - q[qj + 7];
  return Math.sqrt(d0 * d0 + d1 * d1 + d2 * d2 + d3 * d3 + d4 * d4 + d5 * d5 + d6 * d6 + d7 * d7);
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
