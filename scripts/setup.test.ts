/**
 * Set-up's npm step in a checkout whose node_modules is a link to another checkout's (a git
 * worktree sharing the main checkout's dependencies): `npm ci` would empty the folder the link
 * points at, so set-up leaves it alone and says so. A copy of set-up in a scratch checkout
 * with an empty, stale-looking lock file; nothing is installed either way.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

describe('set-up in a checkout that links node_modules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crosstalk-setup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('never reinstalls through the link, so the linked folder keeps its packages', () => {
    const shared = join(dir, 'shared-modules');
    mkdirSync(join(shared, 'some-package'), { recursive: true });
    writeFileSync(join(shared, '.package-lock.json'), '{}');
    utimesSync(join(shared, '.package-lock.json'), new Date(0), new Date(0));
    const checkout = join(dir, 'checkout');
    mkdirSync(join(checkout, 'scripts'), { recursive: true });
    for (const f of ['setup.mjs', 'apt.mjs']) copyFileSync(join(import.meta.dirname, f), join(checkout, 'scripts', f));
    // Newer than the installed marker: set-up takes the dependencies for stale.
    writeFileSync(join(checkout, 'package.json'), JSON.stringify({ name: 'scratch', version: '0.0.0', private: true }));
    writeFileSync(join(checkout, 'package-lock.json'), JSON.stringify({ name: 'scratch', version: '0.0.0', lockfileVersion: 3, requires: true, packages: {} }));
    symlinkSync(shared, join(checkout, 'node_modules'));

    const setup = spawnSync(process.execPath, [join(checkout, 'scripts', 'setup.mjs')], { encoding: 'utf8' });
    expect(setup.status, setup.stderr).toBe(0);
    expect(existsSync(join(shared, 'some-package'))).toBe(true);
    expect(setup.stdout).not.toMatch(/installing npm dependencies/);
    expect(setup.stderr).toContain(`node_modules links to ${realpathSync(shared)}; not reinstalling through the link`);
  });
});
