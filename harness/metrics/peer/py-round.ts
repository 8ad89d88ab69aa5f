/**
 * Python's round() for floats, which the peers' code uses on times: exact on the binary value,
 * ties to even. JS's Math.round and toFixed break ties upwards, which differs on values such
 * as 0.0625 s (sample 1000 at 16 kHz).
 */

/** round(x) to an integer, ties to even. */
export function pyRoundInt(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff < 0.5) return f;
  if (diff > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** round(x, digits) for small digit counts (the peers use 3). */
export function pyRound(x: number, digits: number): number {
  const twice = x * 2 * 10 ** digits;
  // An exact tie is a dyadic value whose doubled scaled form is an odd integer.
  if (Number.isInteger(twice) && Math.abs(twice % 2) === 1) {
    const down = (twice - 1) / 2;
    return (down % 2 === 0 ? down : down + 1) / 10 ** digits;
  }
  return Number(x.toFixed(digits));
}
