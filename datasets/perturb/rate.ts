/**
 * Rate change: time-scale modification by WSOLA (waveform-similarity overlap-add), so the
 * speech gets faster or slower while its pitch stays. Output sample n is taken from input
 * time n * factor, give or take the search tolerance TOLERANCE_MS (each 20 ms grain may slide
 * that far to join the previous one in phase), so a planted time t moves to t / factor with
 * an error of at most TOLERANCE_MS. Deterministic; no state between clips.
 */

const GRAIN_MS = 20;
const TOLERANCE_MS = 5;

/** A periodic Hann window: at 50 % overlap its copies sum to exactly 1. */
function hann(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
}

export function timeScale(pcm: Int16Array, sampleRate: number, factor: number): Int16Array {
  if (factor === 1) return pcm.slice();
  const grain = Math.round((GRAIN_MS * sampleRate) / 1000);
  const hop = grain / 2;
  const tolerance = Math.round((TOLERANCE_MS * sampleRate) / 1000);
  const window = hann(grain);
  const outLength = Math.round(pcm.length / factor);
  const out = new Float64Array(outLength + grain);
  const x = (i: number) => (i >= 0 && i < pcm.length ? pcm[i] : 0);
  let prev = -hop; // input position of the previous grain
  for (let k = 0; k * hop < outLength; k++) {
    const ideal = Math.round(k * hop * factor);
    // The grain that best continues the previous one: the input right after it, compared by
    // (unnormalized) cross-correlation over candidates within the tolerance of the ideal.
    let best = ideal;
    if (k > 0) {
      let bestScore = -Infinity;
      const natural = prev + hop;
      for (let d = -tolerance; d <= tolerance; d++) {
        let score = 0;
        for (let i = 0; i < grain; i += 2) score += x(natural + i) * x(ideal + d + i);
        if (score > bestScore) {
          bestScore = score;
          best = ideal + d;
        }
      }
    }
    for (let i = 0; i < grain; i++) out[k * hop + i] += window[i] * x(best + i);
    prev = best;
  }
  // The first half-grain had one window only: it is the input's first samples, as they were.
  for (let i = 0; i < hop && i < outLength; i++) out[i] = x(i);
  return Int16Array.from(out.subarray(0, outLength), (v) => Math.max(-32768, Math.min(32767, Math.round(v))));
}
