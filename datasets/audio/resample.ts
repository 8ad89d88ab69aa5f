/**
 * Whole-clip sample-rate conversion with a Kaiser-windowed sinc (band-limited interpolation).
 * Used for synthesizer output (22.05 kHz -> 16 kHz), for clips at any rate, and for vendor
 * rates (24 kHz <-> 16 kHz). Zero phase: output sample n sits exactly at input time
 * n * fromRate / toRate, so word timings carry over unchanged. Deterministic.
 *
 * Design: the low-pass cutoff is 95% of the lower Nyquist frequency; the kernel spans 16 zero
 * crossings each side; Kaiser beta 8.6 (about -86 dB side lobes). For a rational ratio
 * up/down there are only `up` distinct kernel phases; each is computed once and normalized
 * to unit DC gain, so a constant signal stays exactly constant.
 */

const CUTOFF_OF_NYQUIST = 0.95;
const ZERO_CROSSINGS = 16;
const KAISER_BETA = 8.6;

export function resample(pcm: Int16Array, fromRate: number, toRate: number): Int16Array {
  for (const [name, rate] of [
    ['fromRate', fromRate],
    ['toRate', toRate],
  ] as const) {
    if (!Number.isInteger(rate) || rate <= 0) throw new RangeError(`resample: ${name} must be a positive integer, got ${rate}`);
  }
  if (fromRate === toRate) return pcm.slice();
  const g = gcd(fromRate, toRate);
  const up = toRate / g;
  const down = fromRate / g;
  // Cutoff in cycles per input sample, and the kernel's half-width in input samples.
  const cutoff = (CUTOFF_OF_NYQUIST * Math.min(fromRate, toRate)) / 2 / fromRate;
  const halfTaps = Math.ceil(ZERO_CROSSINGS / (2 * cutoff));
  const rows = new Map<number, Float64Array>();
  const rowFor = (phase: number): Float64Array => {
    let row = rows.get(phase);
    if (!row) {
      row = kernelRow(phase / up, halfTaps, cutoff);
      rows.set(phase, row);
    }
    return row;
  };

  const out = new Int16Array(Math.round((pcm.length * toRate) / fromRate));
  for (let n = 0; n < out.length; n++) {
    const position = n * down; // in units of 1/up input samples
    const base = Math.floor(position / up);
    const row = rowFor(position - base * up);
    const first = base - halfTaps + 1;
    let acc = 0;
    const jFrom = Math.max(0, -first);
    const jTo = Math.min(row.length, pcm.length - first);
    for (let j = jFrom; j < jTo; j++) acc += row[j] * pcm[first + j];
    out[n] = acc >= 32767 ? 32767 : acc <= -32768 ? -32768 : Math.round(acc);
  }
  return out;
}

/** Weights for input samples base-halfTaps+1 .. base+halfTaps, for output time base + frac. */
function kernelRow(frac: number, halfTaps: number, cutoff: number): Float64Array {
  const row = new Float64Array(2 * halfTaps);
  const halfWidth = ZERO_CROSSINGS / (2 * cutoff);
  let sum = 0;
  for (let j = 0; j < row.length; j++) {
    const d = frac + halfTaps - 1 - j; // output time minus input sample time
    const x = 2 * cutoff * d;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    const r = d / halfWidth;
    const w = Math.abs(r) >= 1 ? 0 : besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / besselI0(KAISER_BETA);
    row[j] = sinc * w;
    sum += row[j];
  }
  for (let j = 0; j < row.length; j++) row[j] /= sum;
  return row;
}

/** Modified Bessel function of the first kind, order 0 (power series; converges fast here). */
function besselI0(x: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; term > 1e-12 * sum; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
  }
  return sum;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
