/** Reading adapter options (ctx.options) with env-var fallbacks, and the missing-key error. */
import { AdapterError } from '../../harness/adapter.ts';
import { DEFAULT_RETRY, type RetryPolicy } from './backoff.ts';

export function stringOption(options: Record<string, unknown>, name: string): string | undefined {
  const v = options[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new AdapterError(`adapter option '${name}' must be a string`, 'config');
  return v;
}

export function numberOption(options: Record<string, unknown>, name: string, fallback: number): number {
  const v = options[name];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new AdapterError(`adapter option '${name}' must be a number`, 'config');
  return v;
}

/**
 * The API key from the `apiKey` option or the first env var set; a missing key is a config
 * error raised before any connection, naming the env var to set.
 */
export function requireApiKey(options: Record<string, unknown>, vendor: string, envVars: string[]): string {
  const key = stringOption(options, 'apiKey') ?? envVars.map((v) => process.env[v]).find((v) => !!v);
  if (!key) {
    throw new AdapterError(`${vendor}: no API key: set ${envVars[0]} in the environment (or the adapter option apiKey)`, 'config');
  }
  return key;
}

export interface ConnectionSettings {
  /** Limit for one WebSocket opening handshake. */
  connectTimeoutMs: number;
  /** Limit for the vendor's own setup exchange after the socket is open. */
  setupTimeoutMs: number;
  retry: RetryPolicy;
  /** Ping interval for rtt_ms (0: once, at open). */
  rttIntervalMs: number;
}

/** Connection settings every network adapter takes from its options. */
export function connectionSettings(options: Record<string, unknown>): ConnectionSettings {
  return {
    connectTimeoutMs: numberOption(options, 'connectTimeoutMs', 10_000),
    setupTimeoutMs: numberOption(options, 'setupTimeoutMs', 10_000),
    retry: {
      attempts: numberOption(options, 'retryAttempts', DEFAULT_RETRY.attempts),
      baseDelayMs: numberOption(options, 'retryBaseDelayMs', DEFAULT_RETRY.baseDelayMs),
      maxDelayMs: numberOption(options, 'retryMaxDelayMs', DEFAULT_RETRY.maxDelayMs),
    },
    rttIntervalMs: numberOption(options, 'rttIntervalMs', 5_000),
  };
}
