import { describe, expect, it } from 'vitest';
import { onceAsync } from './once.ts';

describe('onceAsync', () => {
  it('makes the resource once for every caller', async () => {
    let made = 0;
    const get = onceAsync(async () => ++made);
    expect(await Promise.all([get(), get(), get()])).toEqual([1, 1, 1]);
    expect(made).toBe(1);
  });

  it('forgets a failed attempt: the next call tries again', async () => {
    let calls = 0;
    const get = onceAsync(async () => {
      calls++;
      if (calls === 1) throw new Error('first attempt fails');
      return 'ok';
    });
    await expect(get()).rejects.toThrow('first attempt fails');
    expect(await get()).toBe('ok');
    expect(await get()).toBe('ok');
    expect(calls).toBe(2);
  });
});
