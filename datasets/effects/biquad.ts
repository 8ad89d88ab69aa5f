/**
 * Biquad filters (Robert Bristow-Johnson's Audio EQ Cookbook), direct form I, on float samples.
 * Used to colour side talk (high-shelf cut) and background sound (low-pass), and to shape the
 * procedural vocal tics (band-passes as formants, high- and low-passes).
 */
export interface BiquadCoefficients {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

function normalise(b0: number, b1: number, b2: number, a0: number, a1: number, a2: number): BiquadCoefficients {
  return { b0: b0 / a0, b1: b1 / a0, b2: b2 / a0, a1: a1 / a0, a2: a2 / a0 };
}

/** Low-pass at cutoffHz with quality q (0.707: Butterworth). */
export function lowPass(cutoffHz: number, sampleRate: number, q = Math.SQRT1_2): BiquadCoefficients {
  const w = (2 * Math.PI * cutoffHz) / sampleRate;
  const alpha = Math.sin(w) / (2 * q);
  const cos = Math.cos(w);
  return normalise((1 - cos) / 2, 1 - cos, (1 - cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
}

/** High-pass at cutoffHz with quality q (0.707: Butterworth). */
export function highPass(cutoffHz: number, sampleRate: number, q = Math.SQRT1_2): BiquadCoefficients {
  const w = (2 * Math.PI * cutoffHz) / sampleRate;
  const alpha = Math.sin(w) / (2 * q);
  const cos = Math.cos(w);
  return normalise((1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
}

/** Band-pass around centerHz with quality q, 0 dB at the centre (a formant-like resonance). */
export function bandPass(centerHz: number, q: number, sampleRate: number): BiquadCoefficients {
  const w = (2 * Math.PI * centerHz) / sampleRate;
  const alpha = Math.sin(w) / (2 * q);
  return normalise(alpha, 0, -alpha, 1 + alpha, -2 * Math.cos(w), 1 - alpha);
}

/** High shelf: gainDb above cornerHz (negative = cut), shelf slope 1. */
export function highShelf(cornerHz: number, gainDb: number, sampleRate: number): BiquadCoefficients {
  const A = 10 ** (gainDb / 40);
  const w = (2 * Math.PI * cornerHz) / sampleRate;
  const cos = Math.cos(w);
  const alpha = (Math.sin(w) / 2) * Math.SQRT2; // S = 1
  const sq = 2 * Math.sqrt(A) * alpha;
  return normalise(
    A * (A + 1 + (A - 1) * cos + sq),
    -2 * A * (A - 1 + (A + 1) * cos),
    A * (A + 1 + (A - 1) * cos - sq),
    A + 1 - (A - 1) * cos + sq,
    2 * (A - 1 - (A + 1) * cos),
    A + 1 - (A - 1) * cos - sq,
  );
}

export function applyBiquad(x: Float64Array, c: BiquadCoefficients): Float64Array {
  const y = new Float64Array(x.length);
  let x1 = 0,
    x2 = 0,
    y1 = 0,
    y2 = 0;
  for (let n = 0; n < x.length; n++) {
    const v = c.b0 * x[n] + c.b1 * x1 + c.b2 * x2 - c.a1 * y1 - c.a2 * y2;
    x2 = x1;
    x1 = x[n];
    y2 = y1;
    y1 = v;
    y[n] = v;
  }
  return y;
}

/** Magnitude response in dB at freqHz (for tests and docs). */
export function responseDb(c: BiquadCoefficients, freqHz: number, sampleRate: number): number {
  const w = (2 * Math.PI * freqHz) / sampleRate;
  const re = (k0: number, k1: number, k2: number) => k0 + k1 * Math.cos(-w) + k2 * Math.cos(-2 * w);
  const im = (k1: number, k2: number) => k1 * Math.sin(-w) + k2 * Math.sin(-2 * w);
  const num = Math.hypot(re(c.b0, c.b1, c.b2), im(c.b1, c.b2));
  const den = Math.hypot(re(1, c.a1, c.a2), im(c.a1, c.a2));
  return 20 * Math.log10(num / den);
}
