/**
 * The noise floor thread's side (noise-thread.ts): build each ring's stream from its recipe,
 * fill the ring, and top every ring up whenever a reader wakes it.
 */
import type { NoiseStream } from '../media.ts';
import { buildNoise } from '../noise-recipe.ts';
import { serveRequests } from '../request-thread.ts';
import { NoiseRingWriter } from './noise-ring.ts';
import type { NoiseRequest } from './noise-thread.ts';

const rings = new Map<number, { stream: NoiseStream; writer: NoiseRingWriter }>();
let topping = false;

// Atomics.waitAsync (Node 16 on) is not in the ES2023 typings.
type WaitAsync = (a: Int32Array, index: number, value: number) => { async: boolean; value: Promise<string> | string };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

function topUp(ring: { stream: NoiseStream; writer: NoiseRingWriter }): void {
  const want = ring.writer.free;
  if (want > 0) ring.writer.write(ring.stream.next(want));
}

/** Top up every ring, then sleep (without blocking requests) until a reader bumps `wake`. */
async function keepTopping(wake: Int32Array): Promise<void> {
  for (;;) {
    const seen = Atomics.load(wake, 0);
    for (const ring of rings.values()) topUp(ring);
    const waiting = waitAsync(wake, 0, seen);
    if (waiting.async) await waiting.value;
  }
}

serveRequests(async (q: NoiseRequest): Promise<null> => {
  if (q.op === 'close') {
    rings.delete(q.ring);
    return null;
  }
  const ring = { stream: await buildNoise(q.recipe), writer: new NoiseRingWriter(q.buffers) };
  topUp(ring);
  rings.set(q.ring, ring);
  if (!topping) {
    topping = true;
    void keepTopping(new Int32Array(q.wake));
  }
  return null;
});
