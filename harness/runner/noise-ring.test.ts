/**
 * The noise ring (noise-ring.ts) hands out exactly the stream's samples in order, bit for bit:
 * every kind, several seeds, sample rates and frame sizes, whatever the pattern of writes
 * between frames. Both sides run here in one thread, the writer standing in for the noise thread.
 */
import { describe, expect, it } from 'vitest';
import type { NoiseStream } from '../media.ts';
import { createNoise } from '../../datasets/noise.ts';
import { allocateNoiseRing, NoiseRingReader, NoiseRingWriter } from './noise-ring.ts';
import { firstBitDifference, NOISE_FRAMINGS, NOISE_KINDS, NOISE_SEEDS } from './testing/bit-identity.ts';

/** How many samples the writer draws before frame f, given the space free: filled up, now and then, only what the frame lacks, irregular. */
const WRITE_PATTERNS: [string, (frame: number, free: number, lacking: number) => number][] = [
  ['full every frame', (_f, free) => free],
  ['full every 7th frame', (f, free, lacking) => (f % 7 === 0 ? free : lacking)],
  ['only what the frame lacks', (_f, _free, lacking) => lacking],
  ['irregular', (f, free, lacking) => Math.max(lacking, Math.min(free, (f * 2_654_435_761) % 1000))],
];
const FRAMES = 60;

function ring(capacity: number, refill = () => {}, waitLimitMs = 1000) {
  const buffers = allocateNoiseRing(capacity);
  return { writer: new NoiseRingWriter(buffers), reader: new NoiseRingReader(buffers, refill, waitLimitMs) };
}

describe('NoiseRing', () => {
  it('hands out exactly the stream read frame by frame (every kind, seeds, rates, frame sizes, write patterns)', () => {
    for (const kind of NOISE_KINDS)
      for (const seed of NOISE_SEEDS)
        for (const [rate, frame] of NOISE_FRAMINGS) {
          const spec = { kind, level_dbfs: -50 };
          const reference = createNoise(spec, seed, rate);
          const expected = Array.from({ length: FRAMES }, () => reference.next(frame));
          for (const [pattern, toWrite] of WRITE_PATTERNS) {
            const stream: NoiseStream = createNoise(spec, seed, rate);
            const { writer, reader } = ring(Math.round(rate / 10));
            for (let f = 0; f < FRAMES; f++) {
              const n = toWrite(f, writer.free, Math.max(0, frame - reader.buffered));
              if (n > 0) writer.write(stream.next(n));
              const got = new Float32Array(frame);
              reader.take(got);
              expect(firstBitDifference(got, expected[f]), `${kind} seed ${seed} ${rate} Hz frame ${frame} writes ${pattern}: frame ${f}`).toBe(-1);
            }
            expect(reader.waits.count).toBe(0);
          }
        }
  });

  it('asks for a refill once a take leaves it half empty, and refuses a take larger than the ring', () => {
    let refills = 0;
    const { writer, reader } = ring(1600, () => refills++);
    writer.write(createNoise({ kind: 'pink', level_dbfs: -50 }, 3).next(1600));
    const frame = new Float32Array(320);
    reader.take(frame); // 1280 left
    reader.take(frame); // 960 left
    expect(refills).toBe(0);
    reader.take(frame); // 640 left: half empty or less
    expect(refills).toBe(1);
    expect(reader.buffered).toBe(640);
    expect(() => reader.take(new Float32Array(1601))).toThrow(RangeError);
  });

  it('throws a clear error when the writer draws nothing within the wait limit, after asking it to', () => {
    let refills = 0;
    const { writer, reader } = ring(1600, () => refills++, 30);
    writer.write(new Float32Array(100));
    const started = performance.now();
    expect(() => reader.take(new Float32Array(320))).toThrow(/noise floor thread drew no samples for 30 ms \(100 of the 320 due are ready\)/);
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
    expect(refills).toBe(1);
  });
});
