/**
 * Imports point one way (DESIGN.md): harness imports nothing outside harness; adapters and
 * reference-impl do not import reports or cli; reports import no adapter, reference-impl or
 * cli; only cli wires everything. Checked on the real import statements of every source file.
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
  'reference-impl': ['harness', 'datasets'],
  datasets: ['harness'],
  reports: ['harness'],
  cli: ['harness', 'adapters', 'reference-impl', 'datasets', 'reports'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(p);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [p] : [];
  });
}

function areaOf(file: string): Area | undefined {
  const top = relative(root, file).split(/[\\/]/)[0];
  return (AREAS as readonly string[]).includes(top) ? (top as Area) : undefined;
}

describe('architecture', () => {
  it('imports point one way', () => {
    const violations: string[] = [];
    let checked = 0;
    for (const area of AREAS) {
      for (const file of sourceFiles(join(root, area))) {
        const text = readFileSync(file, 'utf8');
        for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
          const spec = m[1] ?? m[2];
          const target = areaOf(resolve(dirname(file), spec));
          checked++;
          if (target && target !== area && !ALLOWED[area].includes(target)) violations.push(`${relative(root, file)} imports ${spec} (${area} -> ${target})`);
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(violations).toEqual([]);
  });
});
