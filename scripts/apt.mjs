// Installing Debian packages for set-up (scripts/setup.mjs) when another package install may be
// running: apt-get waits for the dpkg lock (DPkg::Lock::Timeout), and a try that still fails on
// a lock (apt-get update's lists lock has no timeout) is retried after a pause, a bounded number
// of times; then the user is told what to do. Plain Node.js (it runs before `npm ci`); the
// command lines and the retry policy are pure, and the loop takes its spawn and sleep as
// (and output) as arguments, so the tests check them without root and without running apt.
import { spawnSync } from 'node:child_process';

/**
 * Debian packages set-up installs when asked (`node scripts/setup.mjs --browser --festival --recognizer`, as
 * `npm test` does) and a file they provide is missing: the option, those files, the packages and
 * what needs them.
 */
export const OPTIONAL_DEBIAN = [
  { option: '--browser', files: ['/usr/bin/chromium'], packages: ['chromium'], neededBy: 'the browser tests (or set CROSSTALK_CHROMIUM)' },
  {
    option: '--festival',
    files: ['/usr/bin/festival', '/usr/share/festival/voices/english/ked_diphone'],
    packages: ['festival', 'festvox-kdlpc16k'],
    neededBy: "the Festival speech engine (the reference agent's training speech) and its tests",
  },
  {
    option: '--recognizer',
    files: ['/usr/share/pocketsphinx/model/en-us/en-us.lm.bin', '/usr/lib/python3/dist-packages/pocketsphinx/__init__.py'],
    packages: ['python3-pocketsphinx', 'pocketsphinx-en-us'],
    neededBy: "the reference agent's lexical ear (--lexical pocketsphinx) and its tests",
  },
];

/** Seconds each apt-get call waits for the dpkg lock before failing (apt 1.9.11+; older ignore it). */
export const LOCK_TIMEOUT_S = 60;
/** Pauses between tries that failed on a lock: 5 tries, about 7 minutes at most with the waits above. */
export const RETRY_DELAYS_S = [10, 20, 40, 60];

/** The apt-get calls that install `packages`, in order: refresh the lists, then install. */
export function aptCommands(packages, lockTimeoutS = LOCK_TIMEOUT_S) {
  const lock = ['-o', `DPkg::Lock::Timeout=${lockTimeoutS}`];
  return [
    { file: 'apt-get', args: [...lock, 'update', '-qq'], env: {} },
    { file: 'apt-get', args: [...lock, 'install', '-y', '-qq', ...packages], env: { DEBIAN_FRONTEND: 'noninteractive' } },
  ];
}

/** Whether apt-get's error output says another process holds a dpkg or apt lock. */
export function isLockError(stderr) {
  return /could not get lock|unable to lock|unable to acquire the dpkg frontend lock|is another process using it/i.test(stderr);
}

/**
 * What to do after try number `attempt` (1-based) failed: wait `delayS` and try again, or stop.
 * Only a lock is worth waiting for; any other failure (network, unknown package) stops at once.
 */
export function afterFailure(attempt, stderr, delaysS = RETRY_DELAYS_S) {
  if (!isLockError(stderr)) return { retry: false, reason: 'error' };
  if (attempt > delaysS.length) return { retry: false, reason: 'lock' };
  return { retry: true, delayS: delaysS[attempt - 1] };
}

/** What the user should do when the packages could not be installed. */
export function adviceFor(packages, reason, { tries, elapsedS }) {
  const what = packages.join(' ');
  const yourself = `or install it yourself (\`apt-get install ${what}\`) and run the command again.`;
  if (reason === 'lock') {
    return [
      `crosstalk setup: could not install ${what}: another package install still holds the Debian package lock (${tries} tries over ${elapsedS < 90 ? `${Math.round(elapsedS)} s` : `${Math.round(elapsedS / 60)} min`}).`,
      '  Wait for it to finish (`ps -C apt,apt-get,dpkg,unattended-upgr -o pid,etime,args` shows it), then run the command again,',
      `  ${yourself} Do not delete the lock files.`,
    ].join('\n');
  }
  return [
    `crosstalk setup: could not install ${what}: apt-get failed (its messages are above).`,
    `  Fix what it says (network, package sources), ${yourself}`,
  ].join('\n');
}

const sleepSync = (s) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, s * 1000);

/**
 * Run the apt-get calls for `packages`, retrying the whole sequence while a lock is held.
 * Returns { ok: true } or { ok: false, message } (the advice); apt's own messages go to stderr.
 */
export function installDebianPackages(
  packages,
  {
    spawn = spawnSync,
    sleep = sleepSync,
    log = console.log,
    echo = (text) => process.stderr.write(text),
    delaysS = RETRY_DELAYS_S,
    lockTimeoutS = LOCK_TIMEOUT_S,
  } = {},
) {
  const start = Date.now();
  for (let attempt = 1; ; attempt++) {
    let failed;
    for (const cmd of aptCommands(packages, lockTimeoutS)) {
      const r = spawn(cmd.file, cmd.args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', env: { ...process.env, ...cmd.env } });
      const stderr = String(r.stderr ?? '') + (r.error ? String(r.error.message) : '');
      if (stderr) echo(stderr.endsWith('\n') ? stderr : `${stderr}\n`);
      if (r.status !== 0) {
        failed = stderr;
        break;
      }
    }
    if (failed === undefined) return { ok: true };
    const next = afterFailure(attempt, failed, delaysS);
    if (!next.retry) return { ok: false, message: adviceFor(packages, next.reason, { tries: attempt, elapsedS: (Date.now() - start) / 1000 }) };
    log(
      `crosstalk setup: another package install holds the Debian package lock; trying again in ${next.delayS} s (try ${attempt + 1} of ${delaysS.length + 1})...`,
    );
    sleep(next.delayS);
  }
}
