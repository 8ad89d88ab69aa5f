/**
 * The READMEs' generated figure blocks are what their sources generate (bench/figures/*.json,
 * the reference agent's model files): a hand edit, a stale README or a block naming a bench that
 * has no JSON fails here. `npm run readme-figures` rewrites them.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockNames, DEFAULT_SOURCES, READMES_WITH_FIGURES, regenerateBlocks, renderBenchBlock } from './figure-blocks.ts';
import { FIGURES_DIR, writeSummary, type BenchSummary } from '../bench/summary.ts';

const root = join(import.meta.dirname, '..');

const SUMMARY: BenchSummary = {
  bench: 'toy',
  date: '2026-12-06T19:16:37.575Z',
  commit: 'abc1234',
  dirty: true,
  machine: { platform: 'linux', arch: 'x64', node: 'v20.20.2', cores: 2, cpuModel: 'Some CPU', memoryGiB: 23.4, loadAverage1m: 5.03 },
  wallSeconds: 12.5,
  loadAverage1mAtEnd: 7.5,
  tables: [{ title: 'Toy figures', rows: [{ what: 'speed', value: '161x' }] }],
};

function withFigures(summaries: BenchSummary[], body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'crosstalk-figures-'));
  try {
    for (const s of summaries) writeSummary(s, dir);
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('README figure blocks', () => {
  for (const file of READMES_WITH_FIGURES) {
    it(`${file}: every block is what its source generates (else run npm run readme-figures)`, () => {
      const text = readFileSync(join(root, file), 'utf8');
      expect(regenerateBlocks(text, DEFAULT_SOURCES)).toBe(text);
    });
  }

  it('README.md shows every bench that has figures', () => {
    const shown = READMES_WITH_FIGURES.flatMap((f) => blockNames(readFileSync(join(root, f), 'utf8')));
    const benches = readdirSync(FIGURES_DIR).filter((f) => f.endsWith('.json'));
    expect(benches.length).toBeGreaterThan(0);
    for (const f of benches) expect(shown).toContain(`bench:${f.replace(/\.json$/, '')}`);
  });

  it('a bench block opens with when, at which commit and on what machine, then the tables', () => {
    expect(renderBenchBlock(SUMMARY)).toBe(
      'measured 2026-12-06 19:16 UTC at abc1234 (with uncommitted changes) on linux x64, 2 cores (Some CPU), 23.4 GiB, Node v20.20.2, load 5.03 at the start, 7.5 at the end; ' +
        '`npm run bench -- toy`, 12.5 s\n\n**Toy figures**\n\n| what | value |\n| --- | --- |\n| speed | 161x |\n',
    );
  });

  it('a hand-edited block is rewritten; text outside blocks is kept', () => {
    withFigures([SUMMARY], (figuresDir) => {
      const sources = { figuresDir, repoRoot: root };
      const fresh = regenerateBlocks('intro\n<!-- bench:toy:start -->\n<!-- bench:toy:end -->\noutro\n', sources);
      expect(fresh).toBe(`intro\n<!-- bench:toy:start -->\n${renderBenchBlock(SUMMARY)}<!-- bench:toy:end -->\noutro\n`);
      const edited = fresh.replace('161x', '170x');
      expect(edited).not.toBe(fresh);
      expect(regenerateBlocks(edited, sources)).toBe(fresh);
    });
  });

  it('a block naming a bench with no JSON, an unknown kind or a missing end marker is an error', () => {
    withFigures([SUMMARY], (figuresDir) => {
      const sources = { figuresDir, repoRoot: root };
      expect(() => regenerateBlocks('<!-- bench:nothing:start -->\n<!-- bench:nothing:end -->\n', sources)).toThrow(/no nothing\.json/);
      expect(() => regenerateBlocks('<!-- guess:toy:start -->\n<!-- guess:toy:end -->\n', sources)).toThrow(/unknown kind/);
      expect(() => regenerateBlocks('<!-- model:nothing:start -->\n<!-- model:nothing:end -->\n', sources)).toThrow(/no such model block/);
      expect(() => regenerateBlocks('<!-- bench:toy:start -->\n<!-- bench:other:end -->\n', sources)).toThrow(/no matching end marker/);
    });
  });
});
