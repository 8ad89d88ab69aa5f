import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { escapeHtml, html, jsonForScript, page, raw } from './html.ts';
import { mdCell, mdTable } from './markdown.ts';
import { histogram, niceStep } from './charts/distribution.ts';

describe('html', () => {
  it('escapes every interpolation unless marked raw', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    const evil = '<script>alert(1)</script>';
    expect(html`<p>${evil}</p>`.markup).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(html`<ul>${['<1>', html`<li>${'2'}</li>`]}</ul>`.markup).toBe('<ul>&lt;1&gt;<li>2</li></ul>');
    expect(html`${raw('<b>ok</b>')}${null}${false}${0}`.markup).toBe('<b>ok</b>0');
  });

  it('JSON for a script block cannot close it', () => {
    const text = jsonForScript({ t: '</script><script>x()</script>' }).markup;
    expect(text).not.toContain('</script');
    expect(JSON.parse(text)).toEqual({ t: '</script><script>x()</script>' });
  });

  it('the page allows only its own script, by hash', () => {
    const script = 'document.body.dataset.ok = 1;';
    // The policy sits in an attribute, so its quotes arrive as &#39; (the browser decodes them).
    const out = page({ title: 't', style: '', body: html`<p>x</p>`, script }).replaceAll('&#39;', "'");
    const hash = createHash('sha256').update(script).digest('base64');
    expect(out).toContain(`script-src 'sha256-${hash}'`);
    expect(page({ title: 't', style: '', body: html`` }).replaceAll('&#39;', "'")).toContain("script-src 'none'");
  });
});

describe('markdown', () => {
  it('escapes pipes, angle brackets and newlines in cells', () => {
    expect(mdCell('a|b <i>\nc')).toBe('a\\|b &lt;i&gt; c');
    expect(mdTable(['x', 'n'], [['a', '1']], ['l', 'r'])).toBe('| x | n |\n| --- | ---: |\n| a | 1 |');
  });
});

describe('histogram', () => {
  it('picks 1-2-5 steps and bins each value in [start, end)', () => {
    expect(niceStep(0, 1000, 20)).toBe(50);
    expect(niceStep(0, 0.9, 20)).toBe(0.05);
    expect(niceStep(5, 5)).toBe(1);
    expect(histogram([0, 49, 50, 99, 100], 2)).toEqual([
      { start: 0, end: 50, count: 2 },
      { start: 50, end: 100, count: 2 },
      { start: 100, end: 150, count: 1 },
    ]);
    expect(histogram([-120, -20], 2)).toEqual([
      { start: -150, end: -100, count: 1 },
      { start: -100, end: -50, count: 0 },
      { start: -50, end: 0, count: 1 },
    ]);
    expect(histogram([])).toEqual([]);
  });
});
