/**
 * The noise floor drawn ahead (NoiseAhead, UserTrack.fillAhead) is the floor drawn frame by
 * frame, bit for bit: every kind, several seeds, sample rates and frame sizes, whatever the
 * pattern of fills between frames. Stored hashes and known answers depend on the samples.
 */
import { describe, expect, it } from 'vitest';
import type { NoiseSpec } from '../media.ts';
import { createNoise } from '../../datasets/noise.ts';
import { perturbationNoise, sumStreams } from '../../datasets/perturb/noise.ts';
import { NoiseAhead } from './noise-ahead.ts';
import { UserTrack } from './user-track.ts';

const KINDS: NoiseSpec['kind'][] = ['white', 'pink', 'brown', 'room_tone'];
const SEEDS = [0, 7, 123_456];
/** [sample rate, frame samples]: 20 ms frames at the rates sessions run, and odd sizes. */
const FRAMINGS: [number, number][] = [
  [16_000, 320],
  [24_000, 480],
  [48_000, 960],
  [16_000, 1],
  [16_000, 777],
];
/** Which frames a fill precedes: every one, now and then, never (virtual time), and irregular. */
const FILL_PATTERNS: [string, (frame: number) => boolean][] = [
  ['every frame', () => true],
  ['every 7th frame', (f) => f % 7 === 0],
  ['never', () => false],
  ['irregular', (f) => (f * 2_654_435_761) % 5 < 2],
];
const FRAMES = 60;

/** Index of the first sample whose bits differ, -1 when the arrays are bit-identical. */
function firstBitDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

describe('NoiseAhead', () => {
  it('hands out exactly the stream read frame by frame (every kind, seeds, rates, frame sizes, fill patterns)', () => {
    for (const kind of KINDS)
      for (const seed of SEEDS)
        for (const [rate, frame] of FRAMINGS) {
          const spec = { kind, level_dbfs: -50 };
          const reference = createNoise(spec, seed, rate);
          const expected = Array.from({ length: FRAMES }, () => reference.next(frame));
          for (const [pattern, fillsBefore] of FILL_PATTERNS) {
            const ahead = new NoiseAhead(createNoise(spec, seed, rate), Math.round(rate / 10));
            for (let f = 0; f < FRAMES; f++) {
              if (fillsBefore(f)) ahead.fill();
              const got = new Float32Array(frame);
              ahead.take(got);
              expect(firstBitDifference(got, expected[f]), `${kind} seed ${seed} ${rate} Hz frame ${frame} fills ${pattern}: frame ${f}`).toBe(-1);
            }
          }
        }
  });

  it('serves a filled frame from its buffer, and a frame larger than the buffer partly drawn on the spot', () => {
    const spec = { kind: 'room_tone', level_dbfs: -50 } as const;
    const reference = createNoise(spec, 3);
    const ahead = new NoiseAhead(createNoise(spec, 3), 1600);
    ahead.fill();
    expect(ahead.buffered).toBe(1600);
    const frame = new Float32Array(320);
    ahead.take(frame);
    expect(ahead.buffered).toBe(1280);
    expect(firstBitDifference(frame, reference.next(320))).toBe(-1);
    const large = new Float32Array(5000);
    ahead.take(large);
    expect(ahead.buffered).toBe(0);
    expect(firstBitDifference(large, reference.next(5000))).toBe(-1);
  });

  it('keeps a summed stream (floor plus perturbation noise) identical too', () => {
    const make = () => sumStreams(createNoise({ kind: 'room_tone', level_dbfs: -55 }, 11), perturbationNoise('pink', 10, 12));
    const reference = make();
    const ahead = new NoiseAhead(make(), 1600);
    for (let f = 0; f < FRAMES; f++) {
      if (f % 3 !== 1) ahead.fill();
      const got = new Float32Array(320);
      ahead.take(got);
      expect(firstBitDifference(got, reference.next(320)), `frame ${f}`).toBe(-1);
    }
  });
});

describe('UserTrack with its noise floor drawn ahead', () => {
  it('sends the frames mixed over the floor read frame by frame (clips across frame edges, fills between frames)', () => {
    const clip = Int16Array.from({ length: 1000 }, (_, i) => Math.round(20_000 * Math.sin(i / 9)));
    for (const kind of KINDS)
      for (const seed of SEEDS) {
        const spec = { kind, level_dbfs: -40 };
        const track = new UserTrack(16_000, createNoise(spec, seed));
        const reference = createNoise(spec, seed);
        track.place(100, clip);
        track.place(900, clip);
        for (let f = 0; f < FRAMES; f++) {
          if (f % 4 !== 3) track.fillAhead();
          const from = f * 320;
          const floor = reference.next(320);
          const expected = new Int16Array(320);
          for (let i = 0; i < 320; i++) {
            let v = floor[i] * 32767;
            for (const at of [100, 900]) if (from + i >= at && from + i < at + clip.length) v += clip[from + i - at];
            expected[i] = Math.max(-32768, Math.min(32767, Math.round(v)));
          }
          expect(track.nextFrame(320), `${kind} seed ${seed} frame ${f}`).toEqual(expected);
        }
      }
  });
});
