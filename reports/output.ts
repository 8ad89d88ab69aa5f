/** Opening stores to read and writing the views' files (by extension, charts beside them). */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { InputError } from '../harness/errors.ts';
import { Store } from '../harness/store/store.ts';
import { writeChartFiles } from './charts/render.ts';
import type { ReportChart } from './report.ts';

/** A store that must exist already (Store.open would create an empty one). */
export async function openExistingStore(path: string, role = 'store'): Promise<Store> {
  if (!existsSync(path))
    throw new InputError(`no such ${role}`, { file: path, hint: 'Give the path of a DuckDB store written by `crosstalk run` or `crosstalk score --out`.' });
  return Store.open(path);
}

/** The extension of an output path, checked against what the view can write. */
export function outputKind<K extends string>(path: string, kinds: readonly K[], flag = '-o'): K {
  const ext = extname(path).slice(1).toLowerCase() as K;
  if (!kinds.includes(ext))
    throw new InputError(`cannot tell what to write from the extension of ${JSON.stringify(path)}`, {
      field: flag,
      hint: `Use one of: ${kinds.map((k) => `.${k}`).join(', ')}.`,
    });
  return ext;
}

export function writeText(path: string, text: string): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  writeFileSync(path, text);
}

/** `out/report.html` -> `out/report-charts` */
export function chartsDirFor(outPath: string): string {
  return join(dirname(outPath), `${basename(outPath, extname(outPath))}-charts`);
}

/** Write every chart as SVG and PNG under `dir`; returns name -> PNG path relative to `from`. */
export function writeCharts(dir: string, charts: readonly ReportChart[], from: string): Map<string, string> {
  const links = new Map<string, string>();
  for (const c of charts) {
    const { png } = writeChartFiles(dir, safeName(c.name), c.svg);
    links.set(c.name, relative(from, png).split(/[\\/]/).map(encodeURIComponent).join('/'));
  }
  return links;
}

const safeName = (name: string) => name.replace(/[^A-Za-z0-9_.-]+/g, '_');
