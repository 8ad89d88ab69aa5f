/** The browser adapter's settings, read and checked before any browser starts. */
import { AdapterError } from '../../harness/adapter.ts';

export interface BrowserAdapterOptions {
  /** The page to open (http(s)://; loopback http counts as a secure context for the microphone). */
  url: string;
  /** Chromium binary; default: found automatically (see chromium.ts). */
  chromiumPath?: string;
  /** Clicked once the page has loaded, for pages with a "Start" button. */
  startSelector?: string;
  /** The session starts once this matches (e.g. `[data-state=live]`); default: once the page has the microphone. */
  readySelector?: string;
  /** Whether the page is allowed the microphone (and camera); `deny` checks a page's refusal path. */
  permission: 'grant' | 'deny';
  /** Budget for loading the page, the start step and the microphone request together. */
  openTimeoutMs: number;
  /** An uncaught page exception ends the session (`fatal`, default) or is only recorded. */
  pageErrors: 'fatal' | 'record';
  /**
   * Each user frame enters the page's microphone stream this long after the harness sent it
   * (absorbs delivery jitter; a frame later than this loses its overdue head).
   */
  micLeadMs: number;
  /** Extra Chromium flags. */
  chromiumArgs: string[];
}

const BROWSER_DEFAULTS = { permission: 'grant', openTimeoutMs: 15_000, pageErrors: 'fatal', micLeadMs: 30 } as const;

function bad(message: string): never {
  throw new AdapterError(`browser: ${message}`, 'config');
}

function str(raw: Record<string, unknown>, key: string): string | undefined {
  const v = raw[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') bad(`option ${key} must be a string`);
  return v;
}

function oneOf<T extends string>(raw: Record<string, unknown>, key: string, allowed: readonly T[], fallback: T): T {
  const v = str(raw, key) ?? fallback;
  if (!allowed.includes(v as T)) bad(`option ${key} must be one of ${allowed.join(', ')} (got ${JSON.stringify(v)})`);
  return v as T;
}

export function readBrowserOptions(raw: Record<string, unknown>): BrowserAdapterOptions {
  const url = str(raw, 'url');
  if (!url) bad('needs the page to open: --url http://127.0.0.1:8080/ (or the adapter option url)');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    bad(`url ${JSON.stringify(url)} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:' && parsed.protocol !== 'file:')
    bad(`url must be http(s):// or file:// (got ${parsed.protocol})`);
  const timeout = raw.openTimeoutMs ?? BROWSER_DEFAULTS.openTimeoutMs;
  if (typeof timeout !== 'number' || !(timeout > 0)) bad('option openTimeoutMs must be a positive number of milliseconds');
  const micLeadMs = raw.micLeadMs ?? BROWSER_DEFAULTS.micLeadMs;
  if (typeof micLeadMs !== 'number' || !(micLeadMs >= 0 && micLeadMs <= 500)) bad('option micLeadMs must be a number of milliseconds from 0 to 500');
  const args = raw.chromiumArgs ?? [];
  if (!Array.isArray(args) || args.some((a) => typeof a !== 'string')) bad('option chromiumArgs must be a JSON array of strings, e.g. ["--lang=en"]');
  return {
    url,
    chromiumPath: str(raw, 'chromiumPath'),
    startSelector: str(raw, 'startSelector'),
    readySelector: str(raw, 'readySelector'),
    permission: oneOf(raw, 'permission', ['grant', 'deny'], BROWSER_DEFAULTS.permission),
    openTimeoutMs: timeout,
    pageErrors: oneOf(raw, 'pageErrors', ['fatal', 'record'], BROWSER_DEFAULTS.pageErrors),
    micLeadMs,
    chromiumArgs: args as string[],
  };
}
