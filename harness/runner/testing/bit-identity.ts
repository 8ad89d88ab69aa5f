import type { NoiseSpec } from '../../media.ts';

/** The noise kinds and seeds the identity tests draw. */
export const NOISE_KINDS: NoiseSpec['kind'][] = ['white', 'pink', 'brown', 'room_tone'];
export const NOISE_SEEDS = [0, 7, 123_456];
/** [sample rate, frame samples]: 20 ms frames at the rates sessions run, one sample, and an odd size. */
export const NOISE_FRAMINGS: [number, number][] = [
  [16_000, 320],
  [24_000, 480],
  [48_000, 960],
  [16_000, 1],
  [16_000, 777],
];

/** Index of the first sample whose bits differ between two float arrays, -1 when they are bit-identical (lengths must match). */
export function firstBitDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`lengths differ: ${a.length} and ${b.length}`);
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}
