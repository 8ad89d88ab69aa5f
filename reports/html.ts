/**
 * HTML built by a tagged template that escapes every interpolated value, so text from a
 * scenario, a transcript or a vendor event is always shown as text, never run. Trusted markup
 * (other `html` fragments, rendered SVG charts) is marked with `raw`.
 */
import { createHash } from 'node:crypto';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Markup that is inserted as is. Only for markup this code made (html fragments, charts). */
export class Raw {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

export const raw = (markup: string) => new Raw(markup);

type Value = Raw | string | number | null | undefined | false | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Raw) return value.markup;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Raw {
  let out = strings[0];
  values.forEach((v, i) => (out += render(v) + strings[i + 1]));
  return new Raw(out);
}

/**
 * JSON for a `<script type="application/json">` block: `<` is escaped so no text inside can
 * close the script element (`</script>`) or open a comment.
 */
export function jsonForScript(value: unknown): Raw {
  return new Raw(
    JSON.stringify(value)
      .replace(/</g, '\\u003c')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029'),
  );
}

/**
 * A whole page: inline style and script only (opens offline; no network at all). The content
 * security policy lets only this page's own script run (by its hash), a second guard behind the
 * escaping: even injected markup could not run a script or an inline event handler.
 */
export function page(opts: { title: string; style: string; body: Raw; script?: string; data?: unknown }): string {
  const scriptHash = opts.script === undefined ? '' : ` 'sha256-${createHash('sha256').update(opts.script).digest('base64')}'`;
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src${scriptHash || " 'none'"}; img-src data:; media-src 'self' data: blob: file: http: https:`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>${opts.title}</title>
<style>${raw(opts.style)}</style>
</head>
<body>
${opts.body}
${opts.data === undefined ? '' : html`<script type="application/json" id="report-data">${jsonForScript(opts.data)}</script>`}
${opts.script === undefined ? '' : html`<script>${raw(opts.script)}</script>`}
</body>
</html>
`.markup;
}
