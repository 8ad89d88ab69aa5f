/**
 * Jensen-Shannon distance exactly as scipy.spatial.distance.jensenshannon returns it with its
 * default base (e): both inputs are first divided by their sums, m = (p + q) / 2, and the result
 * is sqrt((KL(p||m) + KL(q||m)) / 2) with scipy's rel_entr conventions (0 * log(0 / y) = 0).
 * Its maximum is sqrt(ln 2) ~= 0.8326 (disjoint supports), never 1.
 *
 * Also numpy.linspace and scipy.interpolate.interp1d(kind='linear'), which Full-Duplex-Bench's
 * eval_backchannel.py uses to stretch the ICC reference histogram to the prediction's length.
 */

/** The largest value jsDistance can take (base e). */
export const JS_DISTANCE_MAX = Math.sqrt(Math.LN2);

/** Sum in numpy's order (pairwise blocks of 8 above 8 elements), so normalizing matches np.sum. */
export function npSum(a: ArrayLike<number>, lo = 0, n = a.length): number {
  if (n < 8) {
    let s = 0;
    for (let i = lo; i < lo + n; i++) s += a[i];
    return s;
  }
  if (n <= 128) {
    const r = [a[lo], a[lo + 1], a[lo + 2], a[lo + 3], a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]];
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let k = 0; k < 8; k++) r[k] += a[lo + i + k];
    let s = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < n; i++) s += a[lo + i];
    return s;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return npSum(a, lo, n2) + npSum(a, lo + n2, n - n2);
}

function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

/** scipy's jensenshannon(p, q) with base e. Inputs need not be normalized; lengths must match. */
export function jsDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) throw new Error(`jsDistance: lengths differ (${p.length} vs ${q.length})`);
  const sp = npSum(p);
  const sq = npSum(q);
  const left: number[] = [];
  const right: number[] = [];
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / sp;
    const qi = q[i] / sq;
    const mi = (pi + qi) / 2;
    left.push(relEntr(pi, mi));
    right.push(relEntr(qi, mi));
  }
  return Math.sqrt((npSum(left) + npSum(right)) / 2);
}

/** numpy.linspace(start, stop, n) with endpoint=True. */
export function linspace(start: number, stop: number, n: number): number[] {
  if (n === 1) return [start];
  const step = (stop - start) / (n - 1);
  const out = Array.from({ length: n }, (_, i) => i * step + start);
  out[n - 1] = stop;
  return out;
}

/**
 * scipy interp1d(x, y, kind='linear', fill_value='extrapolate') evaluated at xNew: the segment
 * is found by a left-sided binary search, clipped to the first/last segment (which extrapolates).
 */
export function interpLinear(x: number[], y: number[], xNew: number[]): number[] {
  return xNew.map((v) => {
    let lo = 0;
    let hi = x.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    const iHi = Math.min(Math.max(lo, 1), x.length - 1);
    const iLo = iHi - 1;
    const slope = (y[iHi] - y[iLo]) / (x[iHi] - x[iLo]);
    return slope * (v - x[iLo]) + y[iLo];
  });
}
