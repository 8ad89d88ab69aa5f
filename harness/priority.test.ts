import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { BACKGROUND_NICE, LIVE_NICE, liveNiceAsked, livePriorityNote } from './priority.ts';
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

  it('a run notes a live loop left below the priority asked for, and only then', () => {
    expect(livePriorityNote(0, {})).toMatch(/nice 0, not -10: raising its priority was refused \(it needs root or CAP_SYS_NICE\)/);
    expect(livePriorityNote(LIVE_NICE, {})).toBeUndefined();
    expect(livePriorityNote(undefined, {})).toBeUndefined();
    expect(livePriorityNote(0, { CROSSTALK_LIVE_NICE: '0' })).toBeUndefined();
  });
});
