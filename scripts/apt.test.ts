/**
 * Set-up's Debian installs (scripts/apt.mjs) when another package install holds the lock: the
 * command lines, the retry policy and the loop, driven by a fake apt-get (no root, no apt run).
 */
import { describe, expect, it, vi } from 'vitest';
import { adviceFor, afterFailure, aptCommands, installDebianPackages, isLockError, LOCK_TIMEOUT_S, RETRY_DELAYS_S, type Spawn } from './apt.mjs';

// What apt 2.6.1 (Debian 12) printed here with the locks held by another process (install with
// DPkg::Lock::Timeout=2, after the wait; update at once), and the usual message without a timeout.
const FRONTEND_LOCK = 'E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?\n';
const LISTS_LOCK = 'E: Could not get lock /var/lib/apt/lists/lock. It is held by process 8276 (python3)\nE: Unable to lock directory /var/lib/apt/lists/\n';
const NO_TIMEOUT_LOCK =
  'E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (apt-get)\nN: Be aware that removing the lock file is not a solution and may break your system.\n';
const NO_PACKAGE = 'E: Unable to locate package chromium\n';
const NETWORK = "E: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Temporary failure resolving 'deb.debian.org'\n";

/** A fake apt-get answering each call with the next outcome (exit 100 and the text, or success). */
function fakeApt(outcomes: (string | null)[]) {
  const calls: string[] = [];
  const spawn: Spawn = (file, args) => {
    calls.push([file, ...args].join(' '));
    const out = outcomes.shift();
    return out === null || out === undefined ? { status: 0, stderr: '' } : { status: 100, stderr: out };
  };
  return { spawn, calls };
}

describe('set-up: Debian packages while another install holds the lock', () => {
  it('every apt-get call waits for the dpkg lock; install is non-interactive', () => {
    const [update, install] = aptCommands(['chromium']);
    expect([update.file, ...update.args].join(' ')).toBe(`apt-get -o DPkg::Lock::Timeout=${LOCK_TIMEOUT_S} update -qq`);
    expect([install.file, ...install.args].join(' ')).toBe(`apt-get -o DPkg::Lock::Timeout=${LOCK_TIMEOUT_S} install -y -qq chromium`);
    expect(install.env).toEqual({ DEBIAN_FRONTEND: 'noninteractive' });
  });

  it('tells a held lock (dpkg frontend, apt lists) from other failures', () => {
    expect(isLockError(FRONTEND_LOCK)).toBe(true);
    expect(isLockError(LISTS_LOCK)).toBe(true);
    expect(isLockError(NO_TIMEOUT_LOCK)).toBe(true);
    expect(isLockError(NO_PACKAGE)).toBe(false);
    expect(isLockError(NETWORK)).toBe(false);
  });

  it('retry policy: waits only for a lock, with growing pauses, a bounded number of times', () => {
    expect(RETRY_DELAYS_S.every((d, i) => i === 0 || d > RETRY_DELAYS_S[i - 1])).toBe(true);
    expect(RETRY_DELAYS_S.map((_, i) => afterFailure(i + 1, LISTS_LOCK))).toEqual(RETRY_DELAYS_S.map((delayS) => ({ retry: true, delayS })));
    expect(afterFailure(RETRY_DELAYS_S.length + 1, FRONTEND_LOCK)).toEqual({ retry: false, reason: 'lock' });
    expect(afterFailure(1, NETWORK)).toEqual({ retry: false, reason: 'error' });
    // Bounded: all tries, each waiting out its lock timeout, stay under 10 minutes.
    expect((RETRY_DELAYS_S.length + 1) * LOCK_TIMEOUT_S + RETRY_DELAYS_S.reduce((a, b) => a + b, 0)).toBeLessThan(600);
  });

  it('a lock released after two tries: installed on the third, after pausing 10 s and 20 s', () => {
    const apt = fakeApt([LISTS_LOCK, null, FRONTEND_LOCK, null, null]);
    const sleep = vi.fn();
    const log = vi.fn();
    expect(installDebianPackages(['chromium'], { spawn: apt.spawn, sleep, log, echo: () => {} })).toEqual({ ok: true });
    expect(apt.calls.map((c) => c.split(' ')[3])).toEqual(['update', 'update', 'install', 'update', 'install']);
    expect(sleep.mock.calls).toEqual([[10], [20]]);
    expect(log.mock.calls[0][0]).toMatch(/holds the Debian package lock; trying again in 10 s \(try 2 of 5\)/);
  });

  it('a lock never released: gives up after the last try and says what to do', () => {
    const apt = fakeApt(Array(20).fill(FRONTEND_LOCK));
    const sleep = vi.fn();
    const result = installDebianPackages(['chromium'], { spawn: apt.spawn, sleep, log: () => {}, echo: () => {} });
    expect(apt.calls).toHaveLength(RETRY_DELAYS_S.length + 1);
    expect(sleep.mock.calls.map(([s]) => s)).toEqual(RETRY_DELAYS_S);
    expect(result.ok).toBe(false);
    const message = (result as { message: string }).message;
    expect(message).toMatch(/could not install chromium: another package install still holds the Debian package lock \(5 tries over \d+ s\)/);
    expect(message).toMatch(/Wait for it to finish .* then run the command again/);
    expect(message).toMatch(/install it yourself \(`apt-get install chromium`\)/);
    expect(message).toMatch(/Do not delete the lock files/);
  });

  it('any other failure stops at once, without waiting', () => {
    const apt = fakeApt([null, NO_PACKAGE]);
    const sleep = vi.fn();
    const result = installDebianPackages(['chromium'], { spawn: apt.spawn, sleep, log: () => {}, echo: () => {} });
    expect(apt.calls).toHaveLength(2);
    expect(sleep).not.toHaveBeenCalled();
    expect(result).toEqual({ ok: false, message: adviceFor(['chromium'], 'error', { tries: 1, elapsedS: 0 }) });
    expect((result as { message: string }).message).toMatch(/apt-get failed \(its messages are above\)/);
  });
});
