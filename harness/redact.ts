/**
 * Keeps secrets out of everything crosstalk writes, in one place:
 * - Redactor: every string leaving an adapter (event, error message, vendor payload) goes
 *   through one that knows the session's secrets; URL query keys that carry credentials are
 *   masked even when the value is not known;
 * - redactUrl: URLs in messages and logs, credentials removed;
 * - redactSecrets: configurations the store keeps as JSON, secret-named keys hidden.
 */
import type { AdapterEvent } from './adapter.ts';

export const REDACTED = '[redacted]';

/** Query parameters that carry credentials in vendor URLs (Gemini: `key`, tokens: `access_token`). */
const SECRET_QUERY = /([?&](?:key|access_token|api_key|auth_id)=)[^&#\s"']*/gi;

export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: Array<string | undefined>) {
    // Longest first, so a secret that contains another is masked whole.
    this.secrets = secrets.filter((s): s is string => !!s && s.length >= 4).sort((a, b) => b.length - a.length);
  }

  text(s: string): string {
    let out = s.replace(SECRET_QUERY, `$1${REDACTED}`);
    for (const secret of this.secrets) out = out.split(secret).join(REDACTED);
    return out;
  }

  /** Deep copy of a JSON-like value with every string redacted. */
  value(v: unknown): unknown {
    if (typeof v === 'string') return this.text(v);
    if (Array.isArray(v)) return v.map((x) => this.value(x));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = this.value(x);
      return out;
    }
    return v;
  }

  /** The text of any thrown value, redacted. */
  errorMessage(e: unknown): string {
    return this.text(e instanceof Error ? e.message : String(e));
  }

  /** An event with its free-text fields redacted (audio passes untouched). */
  event(e: AdapterEvent): AdapterEvent {
    switch (e.type) {
      case 'error':
        return { ...e, message: this.text(e.message), code: e.code === undefined ? undefined : this.text(e.code) };
      case 'closed':
        return { ...e, reason: this.text(e.reason) };
      case 'interrupted':
        return { ...e, reason: this.text(e.reason) };
      case 'transcript':
        return { ...e, text: this.text(e.text) };
      case 'vendor':
        return { ...e, name: this.text(e.name), payload: this.value(e.payload) };
      default:
        return e;
    }
  }
}

/**
 * URLs as they may appear in messages and logs: credentials removed. Servers often take a token
 * as userinfo (`wss://user:key@host`) or in the query (`?token=...`); both are masked, so an
 * error message can still say which server it was about.
 */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // Not parseable: it could be anything, including a bare key. Say only that it was bad.
    return '<unparseable URL>';
  }
  if (u.username || u.password) {
    u.username = '***';
    u.password = '';
  }
  for (const key of [...u.searchParams.keys()]) u.searchParams.set(key, '***');
  u.hash = '';
  return u.toString();
}

/**
 * A deep copy of `value` with the value of every secret-named key replaced by REDACTED: for
 * anything the store keeps as free-form JSON from a configuration. The caller is expected to
 * have removed secrets already; this is the second lock on the door, so it errs on the side of
 * hiding (any key containing "key" is hidden, even `keyframes`).
 */
const SECRET_KEY = /key|token|secret|password|authorization/i;

export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? REDACTED : redactSecrets(v)]));
  }
  return value;
}
