// The precise-wake thread (harness/precise-wake.ts): sleeps in the kernel until the deadline its
// creator set in shared memory, then posts one message, which wakes the creator's event loop.
// Plain JavaScript, no TypeScript loader: the thread has one job and no imports to share.
import { readlinkSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

const { shared, creatorTimeOrigin } = workerData;
// [0]: ask number, bumped by the creator on every new deadline (the futex word).
const ask = new Int32Array(shared, 0, 2);
// The deadline on the creator's performance.now() timeline; Infinity: none.
const deadline = new Float64Array(shared, 8, 1);
// Every thread's timeOrigin + now() is the machine's one clock; less the creator's timeOrigin, the creator's now().
const creatorNowMs = () => performance.timeOrigin + performance.now() - creatorTimeOrigin;

// First, this thread's Linux id (/proc/thread-self is <pid>/task/<tid>), so the creator can ask the
// real-time class for it (harness/priority.ts). Elsewhere there is none, and the thread stays ordinary.
try {
  parentPort.postMessage({ tid: Number(readlinkSync('/proc/thread-self').split('/').pop()) });
} catch {
  // not Linux: no thread id to give
}

for (;;) {
  const seen = Atomics.load(ask, 0);
  const due = deadline[0];
  const waitMs = due - creatorNowMs();
  if (waitMs > 0) {
    // Wakes on the deadline, or early when a new ask arrives: either way, look again.
    Atomics.wait(ask, 0, seen, Number.isFinite(waitMs) ? waitMs : undefined);
    continue;
  }
  parentPort.postMessage(seen);
  // One message per ask: sleep until the creator asks again.
  Atomics.wait(ask, 0, seen);
}
