#!/usr/bin/env node
// Set-up that the README's two commands need on a fresh machine with only Node.js 20+ and npm:
// install npm dependencies when they are missing or stale, and (as root, where apt exists)
// the Debian packages asked for: --browser (Chromium, for the browser tests), --festival (the
// Festival speech engine and its ked voice), --recognizer (PocketSphinx, the reference agent's
// lexical ear); OPTIONAL_DEBIAN in scripts/apt.mjs, which waits for,
// then retries, another package install that holds the Debian lock. Idempotent and quick when
// nothing is missing.
import { existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { installDebianPackages, OPTIONAL_DEBIAN } from './apt.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd) => execSync(cmd, { cwd: root, stdio: 'inherit' });

const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
  console.error(`crosstalk needs Node.js 20 or newer; this is ${process.version}.`);
  process.exit(2);
}

const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');
const modules = join(root, 'node_modules');
if (!existsSync(installed) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(installed).mtimeMs)) {
  if (existsSync(modules) && lstatSync(modules).isSymbolicLink()) {
    // npm ci empties node_modules first: through a link, that is another checkout's folder
    // (a git worktree sharing the main checkout's dependencies).
    console.warn(`crosstalk setup: node_modules links to ${realpathSync(modules)}; not reinstalling through the link (run npm ci there if it is stale).`);
  } else {
    console.log('crosstalk setup: installing npm dependencies...');
    run(existsSync(lock) ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund');
  }
}

// Chromium renders and checks the HTML reports; Festival renders the reference agent's training
// speech; PocketSphinx hears words for its lexical ear. Debian's packages, never a download.
for (const want of OPTIONAL_DEBIAN) {
  const missing = want.files.find((f) => !existsSync(f));
  if (!process.argv.includes(want.option) || missing === undefined) continue;
  const what = want.packages.join(' ');
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log(`crosstalk setup: installing Debian ${what}...`);
    const result = installDebianPackages(want.packages);
    if (!result.ok) {
      console.error(result.message);
      process.exit(1);
    }
  } else {
    console.warn(`crosstalk setup: ${missing} not found; install Debian ${what} (\`apt-get install ${what}\`, as root) for ${want.neededBy}.`);
  }
}
