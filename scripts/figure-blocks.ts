/**
 * Generated figure blocks in the READMEs. A block is the text between
 * `<!-- <kind>:<name>:start -->` and `<!-- <kind>:<name>:end -->`:
 *
 * - `bench:<name>`: the tables of bench/figures/<name>.json (written by `npm run bench -- <name>`),
 *   opening with "measured <date> at <commit> on <machine>";
 * - `model:<name>`: what a stored model file of the reference agent holds (MODEL_BLOCKS).
 *
 * Nothing in a block is typed by hand: `npm run readme-figures` rewrites them, and
 * scripts/readme-figures.test.ts fails when a README differs from what its sources generate.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { markdownTable } from '../bench/markdown.ts';
import { FIGURES_DIR, readSummary, type BenchSummary } from '../bench/summary.ts';
import { MODEL_BLOCKS } from './model-figures.ts';

/** The files whose figure blocks `npm run readme-figures` rewrites and the test checks. */
export const READMES_WITH_FIGURES = ['README.md', 'reference-impl/README.md'];

const MARKER = /<!-- (\w+):([\w-]+):start -->\n([\s\S]*?)<!-- \1:\2:end -->/g;

/** "measured 2026-12-06 19:16 UTC at 712d4d3 on linux x64, 2 cores (...), 23.4 GiB, Node v20.20.2, load 5.03 at the start, ...". */
export function provenanceLine(s: BenchSummary): string {
  const m = s.machine;
  const when = `${s.date.slice(0, 10)} ${s.date.slice(11, 16)} UTC`;
  const commit = s.dirty ? `${s.commit} (with uncommitted changes)` : s.commit;
  const load =
    s.loadAverage1mAtEnd === undefined ? `load ${m.loadAverage1m} at the start` : `load ${m.loadAverage1m} at the start, ${s.loadAverage1mAtEnd} at the end`;
  const machine = `${m.platform} ${m.arch}, ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ${load}`;
  return `measured ${when} at ${commit} on ${machine}; \`npm run bench -- ${s.bench}\`, ${s.wallSeconds} s`;
}

export function renderBenchBlock(s: BenchSummary): string {
  const tables = s.tables.map((t) => `**${t.title}**\n\n${markdownTable(t.rows)}\n`);
  return [`${provenanceLine(s)}\n`, ...tables].join('\n');
}

/** Where the sources of the blocks are: the bench figures folder and the repository root (for model files). */
export interface Sources {
  figuresDir: string;
  repoRoot: string;
}

export const DEFAULT_SOURCES: Sources = { figuresDir: FIGURES_DIR, repoRoot: join(import.meta.dirname, '..') };

function renderBlock(kind: string, name: string, sources: Sources): string {
  if (kind === 'bench') {
    if (!existsSync(join(sources.figuresDir, `${name}.json`))) {
      throw new Error(`README block bench:${name}: no ${name}.json in ${sources.figuresDir}; run \`npm run bench -- ${name}\` first`);
    }
    return renderBenchBlock(readSummary(name, sources.figuresDir));
  }
  if (kind === 'model') {
    const render = MODEL_BLOCKS[name];
    if (!render) throw new Error(`README block model:${name}: no such model block (known: ${Object.keys(MODEL_BLOCKS).join(', ')})`);
    return render(sources.repoRoot);
  }
  throw new Error(`README block ${kind}:${name}: unknown kind "${kind}" (known: bench, model)`);
}

/** The names of the blocks in `text`, as `<kind>:<name>`. */
export function blockNames(text: string): string[] {
  return [...text.matchAll(MARKER)].map((m) => `${m[1]}:${m[2]}`);
}

/** `text` with every block's body regenerated from its source; throws on a start marker without its end. */
export function regenerateBlocks(text: string, sources: Sources = DEFAULT_SOURCES): string {
  const starts = [...text.matchAll(/<!-- (\w+):([\w-]+):start -->/g)].length;
  const found = blockNames(text).length;
  if (starts !== found) throw new Error(`${starts - found} figure block(s) have a start marker but no matching end marker`);
  return text.replace(MARKER, (_all, kind: string, name: string) => {
    return `<!-- ${kind}:${name}:start -->\n${renderBlock(kind, name, sources)}<!-- ${kind}:${name}:end -->`;
  });
}
