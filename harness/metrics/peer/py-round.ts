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

/** round(x, digits) for x >= 0 and small digit counts (the peers use 1 and 3). */
export function pyRound(x: number, digits: number): number {
  // toFixed works on the exact binary value; 60 extra digits hold any double's expansion
  // past the rounding point for the magnitudes of times, so a tie shows as "5" then zeros.
  const exact = x.toFixed(digits + 60);
  const cut = exact.length - 60;
  if (!/^50*$/.test(exact.slice(cut))) return Number(x.toFixed(digits));
  const kept = exact.slice(0, cut).replace('.', '');
  const lastDigit = Number(kept[kept.length - 1]);
  const scaled = Number(kept) + (lastDigit % 2 === 0 ? 0 : 1);
  return scaled / 10 ** digits;
}
