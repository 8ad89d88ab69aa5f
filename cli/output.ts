/** The commands' file plumbing: opening stores to read, output kinds by extension, writing files, where charts go. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { InputError } from '../harness/errors.ts';
import { Store } from '../harness/store/store.ts';

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
