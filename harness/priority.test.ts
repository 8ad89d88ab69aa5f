import { spawnSync } from 'node:child_process';
import { getPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BACKGROUND_NICE, LIVE_NICE, liveNiceAsked, livePriorityNote, setThreadRealtime } from './priority.ts';
import { RequestThread } from './request-thread.ts';

const isRoot = process.getuid?.() === 0;

type Reply = { nice: number; refused?: string; before?: number };
const entry = new URL('./testing/priority-worker-entry.mjs', import.meta.url);

/** A request thread's answer to `q` (its nice value, or what setThreadNice(q.ask) gave it); this test's thread keeps its own. */
async function askThread(q: { ask?: number }, opts: { nice?: number } = {}): Promise<Reply> {
  const thread = new RequestThread<{ ask?: number }, Reply>(entry, 'the test thread', opts);
  try {
    return await thread.request(q);
  } finally {
    await thread.close();
  }
}

describe('scheduling priority by role', () => {
  it('lowering a thread is always allowed, and moves that thread only', async () => {
    const mine = getPriority();
    const r = await askThread({ ask: BACKGROUND_NICE });
    expect(r.refused).toBeUndefined();
    expect(r.nice).toBe(BACKGROUND_NICE);
    expect(getPriority()).toBe(mine);
  });

  it('raising needs the privilege: granted to root, refused with the system code otherwise', async () => {
    const r = await askThread({ ask: -5 });
    if (isRoot) {
      expect(r.refused).toBeUndefined();
      expect(r.nice).toBe(-5);
    } else {
      expect(r.refused).toMatch(/^E(ACCES|PERM)$/);
      expect(r.nice).toBe(r.before);
    }
  });

  it('a request thread sets the nice value it is given, and otherwise keeps the one of the thread that made it', async () => {
    expect((await askThread({}, { nice: BACKGROUND_NICE })).nice).toBe(BACKGROUND_NICE);
    expect((await askThread({})).nice).toBe(getPriority());
  });

  it('CROSSTALK_LIVE_NICE: LIVE_NICE by default, 0 leaves the priority alone, anything else must be a nice value', () => {
    expect(liveNiceAsked({})).toBe(LIVE_NICE);
    expect(liveNiceAsked({ CROSSTALK_LIVE_NICE: '' })).toBe(LIVE_NICE);
    expect(liveNiceAsked({ CROSSTALK_LIVE_NICE: '0' })).toBeUndefined();
    expect(liveNiceAsked({ CROSSTALK_LIVE_NICE: '-4' })).toBe(-4);
    expect(() => liveNiceAsked({ CROSSTALK_LIVE_NICE: 'high' })).toThrow(/CROSSTALK_LIVE_NICE=high is not a nice value/);
    expect(() => liveNiceAsked({ CROSSTALK_LIVE_NICE: '-25' })).toThrow(/from -20 to 19/);
  });

  it('a run notes a live loop left below the priority asked for, or wake-ups left out of the real-time class, and only then', () => {
    expect(livePriorityNote({ liveNice: 0 }, {})).toMatch(/nice 0, not -10: raising its priority was refused \(it needs root or CAP_SYS_NICE\)\./);
    expect(livePriorityNote({ liveNice: 0, wakeRealtime: false }, {})).toMatch(
      /nice 0, not -10: raising its priority was refused; the thread that wakes the live loop .* real-time class \(SCHED_FIFO\) \(both need root or CAP_SYS_NICE, and a system that allows real-time threads\)/,
    );
    expect(livePriorityNote({ liveNice: LIVE_NICE, wakeRealtime: false }, {})).toMatch(
      /^the thread that wakes the live loop at its deadlines could not enter the real-time class \(SCHED_FIFO\) \(that needs root or CAP_SYS_NICE, and a system/,
    );
    expect(livePriorityNote({ liveNice: LIVE_NICE, wakeRealtime: true }, {})).toBeUndefined();
    expect(livePriorityNote({ liveNice: LIVE_NICE }, {})).toBeUndefined();
    expect(livePriorityNote({}, {})).toBeUndefined();
    expect(livePriorityNote({ liveNice: 0, wakeRealtime: false }, { CROSSTALK_LIVE_NICE: '0' })).toBeUndefined();
  });

  it('the real-time class is refused with a reason, never thrown: a thread that does not exist, and (as root) a process without the privilege', async () => {
    const gone = await setThreadRealtime(2 ** 30, 20);
    expect(gone.realtime).toBe(false);
    expect(gone.refused).toMatch(/No such process/);
    if (!isRoot) return; // the unprivileged case is this process's own; the wake-thread test in precise-wake.test.ts sees it
    // The same call in a child running as nobody, on its own thread: EPERM, and it stays in the ordinary class.
    const module = fileURLToPath(new URL('./priority.ts', import.meta.url));
    const code = `import { setThreadRealtime } from ${JSON.stringify(module)};
      console.log(JSON.stringify(await setThreadRealtime(process.pid, 20)));`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      uid: 65534,
      gid: 65534,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({ realtime: false, refused: 'EPERM' });
  });
});
