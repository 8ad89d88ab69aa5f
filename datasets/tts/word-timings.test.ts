import { describe, expect, it } from 'vitest';
import { tokenize, wordTimings, type SynthEvent } from './word-timings.ts';

const word = (textPosition: number, sample: number): SynthEvent => ({ kind: 'word', textPosition, sample });
const ph = (textPosition: number, sample: number, phoneme: string): SynthEvent => ({ kind: 'phoneme', textPosition, sample, phoneme });
const other = (sample: number): SynthEvent => ({ kind: 'other', textPosition: 0, sample });

describe('tokenize', () => {
  it('splits on whitespace and counts code points, not UTF-16 units', () => {
    expect(tokenize(' naïve  café — 😀 ok ')).toEqual([
      { text: 'naïve', start: 1, end: 6 },
      { text: 'café', start: 8, end: 12 },
      { text: '—', start: 13, end: 14 },
      { text: '😀', start: 15, end: 16 },
      { text: 'ok', start: 17, end: 19 },
    ]);
  });
});

describe('wordTimings', () => {
  it('ends a word where its last sounding phoneme ends, not at the next word', () => {
    // "Hello there, how": a pause phoneme (no name) follows "there,".
    const events = [
      word(1, 0),
      ph(1, 10, 'h'),
      ph(1, 50, 'ə'),
      ph(1, 90, 'l'),
      ph(1, 120, 'oʊ'),
      word(7, 200),
      ph(7, 210, 'ð'),
      ph(7, 260, 'ɛɹ'),
      ph(13, 400, ''),
      ph(13, 500, ''),
      other(500),
      word(14, 500),
      ph(14, 510, 'h'),
      ph(14, 560, 'aʊ'),
    ];
    expect(wordTimings('Hello there, how', events, 700)).toEqual([
      { text: 'Hello', startSample: 0, endSample: 200 },
      { text: 'there,', startSample: 200, endSample: 400 },
      { text: 'how', startSample: 500, endSample: 700 },
    ]);
  });

  it('spans a token read as several words, and gives an unspoken token zero length', () => {
    // "It costs 1500 — really": "1500" is three synthesizer words; "—" has no event.
    const events = [
      word(1, 0),
      ph(1, 5, 'ɪ'),
      word(4, 40),
      ph(4, 45, 'k'),
      word(10, 100),
      ph(10, 105, 'w'),
      word(11, 150),
      ph(11, 155, 'f'),
      word(11, 200),
      ph(11, 205, 'h'),
      ph(14, 260, ''),
      word(17, 300),
      ph(17, 305, 'ɹ'),
    ];
    expect(wordTimings('It costs 1500 — really', events, 400)).toEqual([
      { text: 'It', startSample: 0, endSample: 40 },
      { text: 'costs', startSample: 40, endSample: 100 },
      { text: '1500', startSample: 100, endSample: 260 },
      { text: '—', startSample: 260, endSample: 260 },
      { text: 'really', startSample: 300, endSample: 400 },
    ]);
  });
});
