/**
 * The duration grammar (perception/keywords/durations.ts), with known answers: every phrase it
 * generates is read back to its own value, digit forms are read too, and the grammar covers one
 * second to hours.
 */
import { describe, expect, it } from 'vitest';
import { durationPhrases, numberWords, parseDuration } from '../perception/keywords/durations.ts';

describe('duration grammar', () => {
  const phrases = durationPhrases();

  it('says numbers as people do', () => {
    expect([1, 9, 10, 13, 20, 45, 60, 90, 99].map(numberWords)).toEqual([
      'one',
      'nine',
      'ten',
      'thirteen',
      'twenty',
      'forty five',
      'sixty',
      'ninety',
      'ninety nine',
    ]);
    expect(() => numberWords(0)).toThrow(RangeError);
  });

  it('spans one second to a day, each phrase once', () => {
    const ms = phrases.map((p) => p.durationMs);
    expect(Math.min(...ms)).toBe(1_000);
    expect(Math.max(...ms)).toBe(24 * 3_600_000);
    expect(new Set(phrases.map((p) => p.text)).size).toBe(phrases.length);
    for (const text of [
      'a second',
      'ninety seconds',
      'an hour and a half',
      'two and a half minutes',
      'half an hour',
      'a quarter of an hour',
      'fifty nine minutes',
      'twenty four hours',
    ]) {
      expect(phrases.map((p) => p.text)).toContain(text);
    }
  });

  it('reads every phrase of the grammar back to its value', () => {
    for (const p of phrases) expect(parseDuration(p.text), p.text).toBe(p.durationMs);
  });

  it('reads durations in sentences, in words and in digits (known answers)', () => {
    const cases: [string, number | null][] = [
      ['Could you buzz me in ninety seconds?', 90_000],
      ['Give me 90 seconds.', 90_000],
      ['in 45s please', 45_000],
      ['Wake me in an hour and a half.', 5_400_000],
      ['about 1 1/2 hours from now', 5_400_000],
      ['2.5 minutes', 150_000],
      ['two and a half minutes', 150_000],
      ['Half an hour should do it.', 1_800_000],
      ['a quarter of an hour', 900_000],
      ['three quarters of an hour', 2_700_000],
      ['an hour and twenty minutes', 4_800_000],
      ['Set it for two minutes and thirty seconds, then tell me.', 150_000],
      ['Hang on a second.', 1_000],
      ['Remind me in thirty seconds to check the oven in two hours.', 30_000],
      ['This is the second time I have asked.', null],
      ['The minutes of the meeting are ready.', null],
      ['It is half past nine.', null],
      ['', null],
    ];
    for (const [text, want] of cases) expect(parseDuration(text), text).toBe(want);
  });
});
