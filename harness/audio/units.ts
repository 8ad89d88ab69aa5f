/**
 * Sample <-> millisecond conversions, in one place. Sample indices are absolute on the clock of
 * the stream they belong to; a time converted to samples rounds to the nearest sample.
 */

/** Sample index (or count) to ms. */
export function samplesToMs(samples: number, sampleRate: number): number {
  return (samples * 1000) / sampleRate;
}

/** Ms to the nearest sample index (or count). */
export function msToSamples(ms: number, sampleRate: number): number {
  return Math.round((ms * sampleRate) / 1000);
}
