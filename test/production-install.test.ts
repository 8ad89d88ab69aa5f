/**
 * A production install (`npm install --omit=dev`) runs the `crosstalk` command: the real CLI is
 * started with a module-resolution hook that refuses every devDependency of package.json, as
 * if it were not installed. Commands must not import adapters they do not use (cli/adapters.ts
 * loads each by name), so even without playwright-core only the browser adapter is affected,
 * and it says what to install instead of crashing.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const devOnly = Object.keys(pkg.devDependencies);

// Runs in Node's loader thread: a bare import of a blocked package fails as a missing one does.
const HOOKS = `
let blocked = [];
export function initialize(data) { blocked = data.blocked; }
export async function resolve(specifier, context, next) {
  const name = blocked.find((p) => specifier === p || specifier.startsWith(p + '/'));
  if (name !== undefined) {
    const e = new Error("Cannot find package '" + name + "' imported from " + context.parentURL);
    e.code = 'ERR_MODULE_NOT_FOUND';
    throw e;
  }
  return next(specifier, context);
}
`;

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'crosstalk-prod-'));
  writeFileSync(join(tmp, 'hooks.mjs'), HOOKS);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The real CLI with `blocked` packages unresolvable. */
function crosstalk(blocked: string[], ...args: string[]) {
  const register = join(tmp, `register-${blocked.length}.mjs`);
  writeFileSync(
    register,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(tmp, 'hooks.mjs')).href)}, { data: { blocked: ${JSON.stringify(blocked)} } });\n`,
  );
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, join(root, 'bin', 'crosstalk.mjs'), ...args], {
    cwd: tmp,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('production install: no devDependency is needed at run time', () => {
  it('the packages bin/crosstalk.mjs needs to start (tsx) and the adapters use are dependencies, not devDependencies', () => {
    expect(pkg.dependencies.tsx).toBeDefined();
    expect(pkg.dependencies['playwright-core']).toBeDefined();
    expect(devOnly).not.toContain('tsx');
    expect(devOnly).toEqual(expect.arrayContaining(['vitest', 'typescript', 'fast-check']));
  });

  it('without the devDependencies: --help, list, and a scored, stored and reported run', () => {
    for (const args of [['--help'], ['list', '--adapters']]) {
      const r = crosstalk(devOnly, ...args);
      expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(0);
    }
    const run = crosstalk(
      devOnly,
      'run',
      '--suite',
      join(root, 'test', 'fixtures', 'ok'),
      '--adapter',
      'scripted',
      '--clock',
      'virtual',
      '--out',
      join(tmp, 'prod.duckdb'),
      '--report',
      join(tmp, 'prod.html'),
    );
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/1 passed, 0 failed, 0 errored/);
  });

  it('without playwright-core too: every other command works; the browser adapter names the package to install (exit 2)', () => {
    const blocked = [...devOnly, 'playwright-core'];
    const list = crosstalk(blocked, 'list', '--adapters');
    expect(list.code, list.err).toBe(0);
    expect(list.out).toMatch(/^browser /m);
    for (const adapter of ['browser', 'chaos:browser']) {
      const r = crosstalk(
        blocked,
        'run',
        '--suite',
        join(root, 'test', 'fixtures', 'ok'),
        '--adapter',
        adapter,
        '--adapter-option',
        'chaos=stall@100+100',
        '--url',
        'http://127.0.0.1:9/',
        '--out',
        join(tmp, 'b.duckdb'),
      );
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(
        /^error: --adapter: the browser adapter needs the npm package playwright-core, which is not installed here\n  Install it in the crosstalk folder \(`npm install playwright-core`/,
      );
      expect(r.err).not.toMatch(/internal error|^\s+at /m);
    }
  });
});
