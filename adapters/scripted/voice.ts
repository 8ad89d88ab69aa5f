/**
 * The scripted agent's voice: a buzzy square wave whose every sample is far above any VAD
 * threshold, so its audible extent is exactly the extent of the samples it sends. That is
 * what lets known-answer tests demand sample-exact latencies.
 */
export const BUZZ_RATE = 16_000;
const PERIOD_SAMPLES = 128; // 125 Hz
const SYLLABLE_SAMPLES = 3_200; // 200 ms

/** `durationMs` of buzz; amplitude alternates per 200 ms "syllable" so it looks like speech. */
export function buzz(durationMs: number, sampleRate = BUZZ_RATE): Int16Array {
  const n = Math.round((durationMs * sampleRate) / 1000);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const amplitude = Math.floor(i / SYLLABLE_SAMPLES) % 2 === 0 ? 9_000 : 5_000;
    out[i] = (i % PERIOD_SAMPLES) < PERIOD_SAMPLES / 2 ? amplitude : -amplitude;
  }
  return out;
}
