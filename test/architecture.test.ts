/**
 * Imports point one way (DESIGN.md): harness imports nothing outside harness; adapters and
 * reference-impl do not import reports or cli; reports import no adapter, reference-impl or
 * cli; only cli wires everything. Finer than areas: of adapters, only the reference adapter
 * (and the browser parity tools, which compare against it) import the bundled agent, so the
 * generic crosstalk-ws client needs nothing of it; reference-impl imports from adapters only
 * the crosstalk-ws protocol that both sides speak. Checked on the real import statements of
 * every source file.
 *
 * Test support has one home (DESIGN.md): tests are `*.test.ts`; what only tests, test tools and
 * benches use lives in a `testing/` folder of the module it serves; `test/` folders hold tests and
 * their data files only; production code imports nothing from a `testing/` folder.
 */
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const AREAS = ['harness', 'adapters', 'reference-impl', 'datasets', 'reports', 'cli'] as const;
type Area = (typeof AREAS)[number];

/** What each area may import besides itself (and npm packages / node builtins). */
const ALLOWED: Record<Area, Area[]> = {
  harness: [],
  adapters: ['harness', 'reference-impl', 'datasets'],
  'reference-impl': ['harness', 'datasets', 'adapters'],
  datasets: ['harness'],
  reports: ['harness'],
  cli: ['harness', 'adapters', 'reference-impl', 'datasets', 'reports'],
};

/** The only adapter folders whose sources import reference-impl. */
const AGENT_IMPORTERS = ['adapters/reference/', 'adapters/browser/parity/'];
/** The only file of adapters that reference-impl imports: the protocol both sides speak. */
const SHARED_PROTOCOL = 'adapters/ws/protocol.ts';

/** Top-level folders holding TypeScript besides the areas. */
const OTHER_ROOTS = ['test', 'testing', 'bench', 'scripts'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' ? [] : tsFiles(p);
    return /\.ts$/.test(name) ? [p] : [];
  });
}

const isTest = (file: string) => /\.test\.ts$/.test(file);

/** Non-test source files under `dir`. */
function sourceFiles(dir: string): string[] {
  return tsFiles(dir).filter((f) => !isTest(f));
}

/** Folder names on a root-relative, '/'-separated path. */
const foldersOf = (path: string) => path.split('/').slice(0, -1);

/** Test support: under a testing/ folder. */
const inTesting = (path: string) => foldersOf(path).includes('testing');

/** Non-test files that may import test support: test support itself and study tools (bench/ and scripts/ are not scanned). */
const mayUseTesting = (path: string) => inTesting(path) || foldersOf(path).includes('tools');

function areaOf(file: string): Area | undefined {
  const top = relative(root, file).split(/[\\/]/)[0];
  return (AREAS as readonly string[]).includes(top) ? (top as Area) : undefined;
}

interface Edge {
  /** Importing file and imported path, relative to the repository root ('/'-separated). */
  from: string;
  to: string;
  spec: string;
  fromArea: Area;
  toArea: Area | undefined;
}

/** Every relative import (static, re-export or dynamic) of every non-test source file. */
function importEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const area of AREAS) {
    for (const file of sourceFiles(join(root, area))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
        const spec = m[1] ?? m[2];
        const target = resolve(dirname(file), spec);
        const rel = (p: string) => relative(root, p).split(/[\\/]/).join('/');
        edges.push({ from: rel(file), to: rel(target), spec, fromArea: area, toArea: areaOf(target) });
      }
    }
  }
  return edges;
}

describe('architecture', () => {
  const edges = importEdges();

  it('imports point one way', () => {
    expect(edges.length).toBeGreaterThan(20);
    const violations = edges
      .filter((e) => e.toArea && e.toArea !== e.fromArea && !ALLOWED[e.fromArea].includes(e.toArea))
      .map((e) => `${e.from} imports ${e.spec} (${e.fromArea} -> ${e.toArea})`);
    expect(violations).toEqual([]);
  });

  it('only the reference adapter needs the agent; the agent takes only the crosstalk-ws protocol from adapters', () => {
    const agentImports = edges.filter((e) => e.fromArea === 'adapters' && e.toArea === 'reference-impl');
    expect(agentImports.some((e) => e.from.startsWith('adapters/reference/'))).toBe(true);
    expect(agentImports.filter((e) => !AGENT_IMPORTERS.some((dir) => e.from.startsWith(dir))).map((e) => `${e.from} imports ${e.spec}`)).toEqual([]);
    const adapterImports = edges.filter((e) => e.fromArea === 'reference-impl' && e.toArea === 'adapters');
    expect(adapterImports.some((e) => e.to === SHARED_PROTOCOL)).toBe(true);
    expect(adapterImports.filter((e) => e.to !== SHARED_PROTOCOL).map((e) => `${e.from} imports ${e.spec}`)).toEqual([]);
  });

  it('test support lives in testing/ folders; test/ folders hold only tests and their data', () => {
    const files = [...AREAS, ...OTHER_ROOTS].flatMap((top) => tsFiles(join(root, top))).map((f) => relative(root, f).split(/[\\/]/).join('/'));
    expect(files.filter(inTesting).length).toBeGreaterThan(10);
    expect(files.filter((f) => !isTest(f) && foldersOf(f).includes('test'))).toEqual([]);
    expect(files.filter((f) => /(^|\/)testing\.ts$|\.suite\.ts$/.test(f))).toEqual([]);
  });

  it('production code imports nothing from a testing/ folder', () => {
    const intoTesting = edges.filter((e) => inTesting(e.to));
    expect(intoTesting.some((e) => mayUseTesting(e.from))).toBe(true);
    expect(intoTesting.filter((e) => !mayUseTesting(e.from)).map((e) => `${e.from} imports ${e.spec}`)).toEqual([]);
  });

  it('the generic crosstalk-ws client imports nothing of reference-impl', () => {
    const ws = edges.filter((e) => e.from.startsWith('adapters/ws/'));
    expect(ws.some((e) => e.to === SHARED_PROTOCOL)).toBe(true);
    expect(ws.filter((e) => e.toArea === 'reference-impl').map((e) => `${e.from} imports ${e.spec}`)).toEqual([]);
  });
});
