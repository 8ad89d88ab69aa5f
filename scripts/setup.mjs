#!/usr/bin/env node
// Set-up that the README's two commands need on a fresh machine with only Node.js 20+ and npm:
// install npm dependencies when they are missing or stale, and (as root, where apt exists)
// the Debian packages the browser tests use (waiting for, then retrying, another package install
// that holds the Debian lock: scripts/apt.mjs). Idempotent and quick when nothing is missing.
import { existsSync, statSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { installDebianPackages } from './apt.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd) => execSync(cmd, { cwd: root, stdio: 'inherit' });

const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
  console.error(`crosstalk needs Node.js 20 or newer; this is ${process.version}.`);
  process.exit(2);
}

const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(installed).mtimeMs)) {
  console.log('crosstalk setup: installing npm dependencies...');
  run(existsSync(lock) ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund');
}

// Chromium renders and checks the HTML reports. Debian's package, never a download.
const wantsBrowser = process.argv.includes('--browser');
if (wantsBrowser && !existsSync('/usr/bin/chromium')) {
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('crosstalk setup: installing Debian chromium...');
    const result = installDebianPackages(['chromium']);
    if (!result.ok) {
      console.error(result.message);
      process.exit(1);
    }
  } else {
    console.warn('crosstalk setup: /usr/bin/chromium not found; install Debian chromium (or set CROSSTALK_CHROMIUM) for the browser tests.');
  }
}
