/** In-place iterative radix-2 FFT (power-of-two length): enough for 512-point speech frames. */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if ((n & (n - 1)) !== 0 || im.length !== n) throw new RangeError(`fft needs two arrays of one power-of-two length, got ${n} and ${im.length}`);
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const r = re[i];
      re[i] = re[j];
      re[j] = r;
      const m = im[i];
      im[i] = im[j];
      im[j] = m;
    }
  }
  const stages = twiddles(n);
  for (let s = 0, size = 2; size <= n; s++, size <<= 1) {
    const { cos, sin } = stages[s];
    const half = size / 2;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k];
        const wi = sin[k];
        const a = start + k;
        const b = a + half;
        const tr = re[b] * wr - im[b] * wi;
        const ti = re[b] * wi + im[b] * wr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
}

/**
 * Per stage (size 2, 4, ... n), cos and sin of -2*pi*k/size for k < size/2: computed once per
 * length, the same expression per value as inline, so results are bit for bit what they were
 * when every butterfly called Math.cos and Math.sin (that cost 60 % of a turn's keyword spotting).
 */
const TWIDDLES = new Map<number, { cos: Float64Array; sin: Float64Array }[]>();

function twiddles(n: number): { cos: Float64Array; sin: Float64Array }[] {
  let stages = TWIDDLES.get(n);
  if (!stages) {
    stages = [];
    for (let size = 2; size <= n; size <<= 1) {
      const step = (-2 * Math.PI) / size;
      const half = size / 2;
      stages.push({
        cos: Float64Array.from({ length: half }, (_, k) => Math.cos(step * k)),
        sin: Float64Array.from({ length: half }, (_, k) => Math.sin(step * k)),
      });
    }
    TWIDDLES.set(n, stages);
  }
  return stages;
}
