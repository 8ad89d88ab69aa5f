/** Finding sample folders in a benchmark's published tree. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError } from '../../harness/errors.ts';

/**
 * `dir` itself when it holds every `required` file, else its subfolders that do (sorted
 * numerically where names are numbers, as sample ids usually are).
 */
export function sampleFolders(dir: string, required: string[]): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError('not a folder', { file: dir, hint: 'Give the folder that holds the sample folders (or one sample folder).' });
  }
  const has = (d: string) => required.every((f) => existsSync(join(d, f)));
  if (has(dir)) return [dir];
  const found = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => join(dir, e.name))
    .filter(has)
    .sort((a, b) => basename(a).localeCompare(basename(b), 'en', { numeric: true }));
  if (found.length === 0) {
    throw new InputError(`no sample folder with ${required.join(' and ')} found`, {
      file: dir,
      hint: 'Point at the task folder of the benchmark release (its subfolders are the samples).',
    });
  }
  return found;
}
