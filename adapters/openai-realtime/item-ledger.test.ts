import { describe, expect, it } from 'vitest';
import { ItemLedger } from './item-ledger.ts';

describe('ItemLedger', () => {
  it('truncates the item playing at the flush to what was heard, later items to 0', () => {
    const l = new ItemLedger();
    l.audio('a', 0, 1000); // stream 0..1000
    l.audio('b', 0, 400); // stream 1000..1400
    l.audio('b', 0, 400); // stream 1400..1800
    l.interrupt();
    expect(l.isCut('b')).toBe(true);
    expect(l.flush(1250.7)).toEqual([{ itemId: 'b', contentIndex: 0, audioEndMs: 250 }]);
    expect(l.hasAudio).toBe(false);
    l.audio('c', 0, 500); // stream 1800..2300
    l.audio('d', 1, 500); // stream 2300..2800
    expect(l.flush(2000)).toEqual([
      { itemId: 'c', contentIndex: 0, audioEndMs: 200 },
      { itemId: 'd', contentIndex: 1, audioEndMs: 0 },
    ]);
  });

  it('asks for nothing when everything received was played', () => {
    const l = new ItemLedger();
    l.audio('a', 0, 300);
    expect(l.flush(300)).toEqual([]);
    expect(l.flush(9999)).toEqual([]);
  });
});
