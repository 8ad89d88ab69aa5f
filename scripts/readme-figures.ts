/**
 * `npm run readme-figures`: rewrites the generated figure blocks of README.md and
 * reference-impl/README.md from bench/figures/*.json and the reference agent's model files
 * (scripts/figure-blocks.ts). `--check` rewrites nothing and exits 1 when a README is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { READMES_WITH_FIGURES, regenerateBlocks } from './figure-blocks.ts';

const root = join(import.meta.dirname, '..');
const check = process.argv.includes('--check');
let stale = 0;
for (const file of READMES_WITH_FIGURES) {
  const path = join(root, file);
  const before = readFileSync(path, 'utf8');
  const after = regenerateBlocks(before);
  if (after === before) continue;
  stale++;
  if (check) console.log(`${file}: figure blocks differ from their sources`);
  else {
    writeFileSync(path, after);
    console.log(`${file}: figure blocks rewritten`);
  }
}
if (check && stale > 0) process.exit(1);
