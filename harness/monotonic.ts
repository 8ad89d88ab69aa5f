/**
 * This thread's performance.now() on the machine's monotonic clock (hrtime), which every thread
 * and process shares: monotonic ms = performance.now() + offset. Read as the closest of a few
 * paired readings, since a thread preempted between the two reads (as at a busy start-up) would
 * otherwise carry that gap into every conversion.
 */
function measureOffsetMs(): number {
  let gapMs = Infinity;
  let offsetMs = 0;
  for (let i = 0; i < 8; i++) {
    const before = performance.now();
    const monotonicMs = Number(process.hrtime.bigint()) / 1e6;
    const after = performance.now();
    if (after - before < gapMs) [gapMs, offsetMs] = [after - before, monotonicMs - (before + after) / 2];
  }
  return offsetMs;
}

export const monotonicOffsetMs = measureOffsetMs();
