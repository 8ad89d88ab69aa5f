/**
 * Bounded retry with exponential backoff, for connection setup only (never mid-session: a
 * dropped session is an outcome to record, not something to paper over).
 */
import { AdapterError } from '../../harness/adapter.ts';

export interface RetryPolicy {
  /** Attempts in all, including the first. */
  attempts: number;
  /** Wait before the second attempt; doubled each time after. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 500, maxDelayMs: 4000 };

/** Wait before attempt `n` (n >= 1 is the first retry). */
export function backoffDelayMs(policy: RetryPolicy, n: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
}

/**
 * Runs `attempt` until it succeeds, it throws an AdapterError that is not recoverable, or the
 * attempts run out (the last error is rethrown, marked not recoverable, saying how many attempts
 * were made when there was more than one).
 */
export async function withRetry<T>(policy: RetryPolicy, attempt: (n: number) => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (e) {
      const retryable = e instanceof AdapterError && e.recoverable;
      if (!retryable || n + 1 >= policy.attempts || signal?.aborted) {
        if (e instanceof AdapterError && e.recoverable) {
          throw new AdapterError(n > 0 ? `${e.message} (gave up after ${n + 1} attempts)` : e.message, e.kind, false);
        }
        throw e;
      }
      await sleep(backoffDelayMs(policy, n + 1), signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
