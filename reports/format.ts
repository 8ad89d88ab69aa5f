/** How every view writes a number with its unit. */

const UNIT_SUFFIX: Record<string, string> = { ms: ' ms', s: ' s', per_min: '/min' };

/** A number with about three significant figures, and its unit (`312 ms`, `0.83`, `4.2/min`). */
export function formatValue(value: number, unit: string): string {
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 || Number.isInteger(value) ? 0 : magnitude >= 10 ? 1 : 2;
  return `${value.toFixed(digits)}${UNIT_SUFFIX[unit] ?? ''}`;
}
