/**
 * Where a session's noise floor is drawn. In real time, a stream that has a recipe is drawn by
 * the process's noise thread (noise-thread.ts) ahead of the frames, and the frame step only
 * copies; otherwise (virtual time, where nothing can be late, or a stream with no recipe) the
 * step draws the frame's samples itself. Either way the samples are the stream's own, bit for bit.
 */
import type { NoiseStream } from '../media.ts';
import { msToSamples } from '../audio/units.ts';
import type { NoiseWaits } from './noise-ring.ts';
import { openInNoiseThread } from './noise-thread.ts';

/** How far ahead the noise thread draws: a stall of the thread this long costs no frame a wait. */
const NOISE_AHEAD_MS = 300;

export interface NoiseFloor {
  /** The floor's next `out.length` samples, into `out`. */
  take(out: Float32Array): void;
  /** Drawn by the noise thread: the frame steps that had to wait for it. */
  readonly waits?: NoiseWaits;
  /** Let go of what the floor holds (its ring in the noise thread). */
  close(): void;
}

export function drawnInStep(stream: NoiseStream): NoiseFloor {
  return { take: (out) => out.set(stream.next(out.length)), close: () => {} };
}

export function openNoiseFloor(stream: NoiseStream, clock: 'real' | 'virtual', sampleRate: number): Promise<NoiseFloor> {
  if (clock === 'virtual' || !stream.recipe) return Promise.resolve(drawnInStep(stream));
  return openInNoiseThread(stream.recipe, msToSamples(NOISE_AHEAD_MS, sampleRate));
}
