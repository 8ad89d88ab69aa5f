/**
 * The noise floor drawn by the noise thread (noise-thread.ts, one worker serving every ring of
 * the process) is the floor drawn frame by frame, bit for bit: every kind, several seeds and
 * sample rates, many sessions at once, a summed stream (a perturbation's noise on the floor), a
 * looped bed, and a reader so fast that it has to wait for the thread. Stored hashes and known
 * answers depend on the samples. In virtual time, and for a stream with no recipe, the step draws.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { NoiseStream } from '../media.ts';
import { createNoise } from '../../datasets/noise.ts';
import { perturbationNoise, sumStreams } from '../../datasets/perturb/noise.ts';
import { drawnInStep, openNoiseFloor, type NoiseFloor } from './noise-floor.ts';
import { openInNoiseThread } from './noise-thread.ts';
import { UserTrack } from './user-track.ts';
import { firstBitDifference, NOISE_FRAMINGS, NOISE_KINDS, NOISE_SEEDS } from './testing/bit-identity.ts';

/** Past the ring (300 ms) several times over, so the thread tops it up again and again. */
const FRAMES = 100;

/** Frames taken from `floor` and from a fresh reference stream differ nowhere; `pause` lets the thread catch up between frames. */
async function expectSameFrames(floor: NoiseFloor, reference: NoiseStream, frame: number, label: string, pause: () => Promise<void>): Promise<void> {
  for (let f = 0; f < FRAMES; f++) {
    const got = new Float32Array(frame);
    floor.take(got);
    expect(firstBitDifference(got, reference.next(frame)), `${label}: frame ${f}`).toBe(-1);
    await pause();
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

// The noise thread at this test's own priority: at the live loop's (harness/priority.ts), which
// root gets, it can keep even a one-frame ring full against a reader that was not raised, and the
// wait the starved reader below must meet would not come.
beforeAll(() => void vi.stubEnv('CROSSTALK_LIVE_NICE', '0'));
afterAll(() => void vi.unstubAllEnvs());

describe('the noise floor thread', () => {
  it('hands out exactly the stream read frame by frame, every ring of one worker at once (every kind, seeds, rates, frame sizes)', async () => {
    const cases = NOISE_KINDS.flatMap((kind) =>
      NOISE_SEEDS.flatMap((seed) => NOISE_FRAMINGS.map(([rate, frame]) => ({ spec: { kind, level_dbfs: -50 }, seed, rate, frame }))),
    );
    const rings = await Promise.all(
      cases.map(async (c) => {
        const stream = createNoise(c.spec, c.seed, c.rate);
        return { ...c, floor: await openInNoiseThread(stream.recipe!, Math.round((c.rate * 3) / 10)), reference: createNoise(c.spec, c.seed, c.rate) };
      }),
    );
    // Frames of every ring interleaved, as sessions of one process take them.
    for (let f = 0; f < FRAMES; f++) {
      for (const r of rings) {
        const got = new Float32Array(r.frame);
        r.floor.take(got);
        expect(firstBitDifference(got, r.reference.next(r.frame)), `${r.spec.kind} seed ${r.seed} ${r.rate} Hz frame ${r.frame}: frame ${f}`).toBe(-1);
      }
      await nextTurn();
    }
    for (const r of rings) r.floor.close();
  });

  it('keeps a summed stream (floor plus perturbation noise) and a looped bed in shared memory identical too', async () => {
    const bed = new Int16Array(new SharedArrayBuffer(2 * 5000));
    for (let i = 0; i < bed.length; i++) bed[i] = Math.round(8000 * Math.sin(i / 7) * Math.sin(i / 301));
    const makers: [string, () => NoiseStream][] = [
      ['room tone + pink', () => sumStreams(createNoise({ kind: 'room_tone', level_dbfs: -55 }, 11), perturbationNoise('pink', 10, 12))],
      ['room tone + babble loop', () => sumStreams(createNoise({ kind: 'room_tone', level_dbfs: -55 }, 11), perturbationNoise('babble', 10, 12, bed))],
    ];
    for (const [label, make] of makers) {
      const floor = await openInNoiseThread(make().recipe!, 4800);
      await expectSameFrames(floor, make(), 320, label, nextTurn);
      floor.close();
    }
  });

  it('makes a reader that outruns it wait (counted), and still hands out the same samples', async () => {
    const spec = { kind: 'room_tone', level_dbfs: -50 } as const;
    // A ring of one frame, taken back to back: nearly every take finds it empty.
    const floor = await openInNoiseThread(createNoise(spec, 5).recipe!, 320);
    await expectSameFrames(floor, createNoise(spec, 5), 320, 'starved', async () => {});
    expect(floor.waits!.count).toBeGreaterThan(0);
    expect(floor.waits!.totalMs).toBeGreaterThan(0);
    floor.close();
  });

  it('rejects a recipe it cannot build, naming what is missing', async () => {
    const recipe = { ...createNoise({ kind: 'white', level_dbfs: -50 }, 1).recipe!, factory: 'noSuchFactory' };
    await expect(openInNoiseThread(recipe, 4800)).rejects.toThrow(/has no function noSuchFactory/);
  });
});

describe('openNoiseFloor', () => {
  it('draws in the step in virtual time and for a stream with no recipe; in the noise thread in real time', async () => {
    const spec = { kind: 'pink', level_dbfs: -50 } as const;
    const virtual = await openNoiseFloor(createNoise(spec, 2), 'virtual', 16_000);
    expect(virtual.waits).toBeUndefined();
    await expectSameFrames(virtual, createNoise(spec, 2), 320, 'virtual', async () => {});
    const { next } = createNoise(spec, 2);
    const noRecipe = await openNoiseFloor({ next }, 'real', 16_000);
    expect(noRecipe.waits).toBeUndefined();
    await expectSameFrames(noRecipe, createNoise(spec, 2), 320, 'no recipe', async () => {});
    const real = await openNoiseFloor(createNoise(spec, 2), 'real', 16_000);
    expect(real.waits).toEqual({ count: 0, totalMs: 0 });
    await expectSameFrames(real, createNoise(spec, 2), 320, 'real', nextTurn);
    real.close();
  });
});

describe('UserTrack over its noise floor', () => {
  it('sends the frames mixed over the floor read frame by frame (clips across frame edges; floor drawn in the step and in the thread)', async () => {
    const clip = Int16Array.from({ length: 1000 }, (_, i) => Math.round(20_000 * Math.sin(i / 9)));
    for (const kind of NOISE_KINDS)
      for (const seed of NOISE_SEEDS)
        for (const where of ['step', 'thread'] as const) {
          const spec = { kind, level_dbfs: -40 };
          const floor = where === 'step' ? drawnInStep(createNoise(spec, seed)) : await openInNoiseThread(createNoise(spec, seed).recipe!, 4800);
          const track = new UserTrack(16_000, floor);
          const reference = createNoise(spec, seed);
          track.place(100, clip);
          track.place(900, clip);
          for (let f = 0; f < 60; f++) {
            const from = f * 320;
            const samples = reference.next(320);
            const expected = new Int16Array(320);
            for (let i = 0; i < 320; i++) {
              let v = samples[i] * 32767;
              for (const at of [100, 900]) if (from + i >= at && from + i < at + clip.length) v += clip[from + i - at];
              expected[i] = Math.max(-32768, Math.min(32767, Math.round(v)));
            }
            expect(track.nextFrame(320), `${kind} seed ${seed} floor drawn in the ${where}, frame ${f}`).toEqual(expected);
          }
          floor.close();
        }
  });
});
