import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../harness/errors.ts';
import { FADE_MS, openPauses } from './pauses.ts';
import { synthesize, type Synthesized } from './tts/espeak.ts';

const voice = { name: 'en-us', rate_wpm: 175, pitch: 50 };
const TEXT = 'I need to book a flight to Denver for the second week of March.';
const at = (ms: number) => Math.round(ms * 16);

describe('openPauses', () => {
  let fluent: Synthesized;
  beforeAll(async () => {
    fluent = await synthesize(TEXT, voice);
  });

  it('cuts at the word boundaries, inserts exactly the asked silence and keeps the fluent audio', () => {
    const requests = [
      { after_word: 8, ms: 730 }, // after "Denver"
      { after_word: 6, ms: 1200 }, // after "flight" (order does not matter)
    ];
    const { pcm, words, pauses } = openPauses(fluent, requests);
    const fw = fluent.words;
    expect(pauses).toEqual([
      { startMs: fw[5].endMs, endMs: fw[5].endMs + 1200, afterWord: 6 },
      { startMs: words[7].endMs, endMs: words[7].endMs + 730, afterWord: 8 },
    ]);
    for (const p of pauses) {
      expect(p.endMs).toBe(words[p.afterWord].startMs);
      expect(pcm.slice(at(p.startMs), at(p.endMs)).every((v) => v === 0)).toBe(true);
    }
    // Word durations are unchanged; words after a pause move by the pause minus the gap it replaced.
    words.forEach((w, i) => expect(w.endMs - w.startMs).toBe(fw[i].endMs - fw[i].startMs));
    const gap = (k: number) => fw[k].startMs - fw[k - 1].endMs;
    expect(words[13].endMs).toBe(fw[13].endMs + 1200 - gap(6) + 730 - gap(8));
    expect(pcm.length).toBe(fluent.pcm.length + at(1200 - gap(6)) + at(730 - gap(8)));

    // Sample for sample the fluent rendering, except the FADE_MS beside each cut.
    const fade = at(FADE_MS);
    const same = (from: number, to: number, shiftMs: number) => expect(pcm.slice(from, to)).toEqual(fluent.pcm.slice(from - at(shiftMs), to - at(shiftMs)));
    same(0, at(pauses[0].startMs) - fade, 0);
    const shift1 = words[6].startMs - fw[6].startMs;
    same(at(pauses[0].endMs) + fade, at(pauses[1].startMs) - fade, shift1);
    const shift2 = words[8].startMs - fw[8].startMs;
    same(at(pauses[1].endMs) + fade, pcm.length, shift2);
  });

  it('keeps the words before a pause as spoken mid-utterance, unlike a fragment synthesized alone', async () => {
    // Why pauses are cut into one fluent rendering: synthesized on its own, the fragment ends
    // with a final contour and phrase-final lengthening (measured: "flight" 343 ms fluent,
    // 435 ms as the last word of its own utterance).
    const fragment = await synthesize('I need to book a flight', voice);
    const inFluent = fluent.words[5];
    const alone = fragment.words[5];
    expect(alone.endMs - alone.startMs).toBeGreaterThan(1.15 * (inFluent.endMs - inFluent.startMs));
    const { pcm } = openPauses(fluent, [{ after_word: 6, ms: 1000 }]);
    expect(pcm.slice(0, at(inFluent.endMs - FADE_MS))).toEqual(fluent.pcm.slice(0, at(inFluent.endMs - FADE_MS)));
  });

  it('refuses a pause where the synthesizer gives no boundary, or outside the text', async () => {
    // eSpeak speaks "the second" with one word event: "the" has no timing of its own.
    expect(fluent.words[9]).toMatchObject({ text: 'the' });
    expect(fluent.words[9].endMs).toBe(fluent.words[9].startMs);
    expect(() => openPauses(fluent, [{ after_word: 9, ms: 500 }])).toThrow(/speaks "the" as one unit/);
    expect(() => openPauses(fluent, [{ after_word: 10, ms: 500 }])).toThrow(InputError);
    const outside = (() => {
      try {
        openPauses(fluent, [{ after_word: 14, ms: 500 }]);
      } catch (e) {
        return e as InputError;
      }
    })();
    expect(outside?.message).toBe('pause after word 14, but the text has 14 words');
    expect(outside?.hint).toMatch(/use 1\.\.13/);
    expect(() =>
      openPauses(fluent, [
        { after_word: 6, ms: 500 },
        { after_word: 6, ms: 700 },
      ]),
    ).toThrow(/two pauses after word 6/);
  });

  it('returns the rendering unchanged when there are no pauses', () => {
    const { pcm, words, pauses } = openPauses(fluent, []);
    expect(pcm).toEqual(fluent.pcm);
    expect(words).toEqual(fluent.words);
    expect(pauses).toEqual([]);
  });
});
