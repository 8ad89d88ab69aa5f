/**
 * Secret redaction for anything the store keeps as free-form JSON from a configuration. The
 * caller is expected to have removed secrets already; this is the second lock on the door, so
 * it errs on the side of hiding (any key containing "key" is hidden, even `keyframes`).
 */

const SECRET_KEY = /key|token|secret|password|authorization/i;
export const REDACTED = '[redacted]';

/** A deep copy of `value` with the value of every secret-named key replaced by REDACTED. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? REDACTED : redactSecrets(v)]),
    );
  }
  return value;
}
