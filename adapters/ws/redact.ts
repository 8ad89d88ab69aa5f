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
