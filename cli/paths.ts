/** Where things live: the project root (for the bundled suites) and default output paths. */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SCENARIOS_ROOT = join(PROJECT_ROOT, 'scenarios');

/** results/core.duckdb -> results/core.recordings */
export function recordingsDirFor(storePath: string): string {
  return storePath.replace(/\.duckdb$/, '') + '.recordings';
}
