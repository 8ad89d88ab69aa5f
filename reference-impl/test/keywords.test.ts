/**
 * The keyword spotter's parts with known answers (FFT, DTW), and the spotter itself on phrases
 * rendered in voices its templates do not use.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesize } from '../../datasets/tts/espeak.ts';
import { subsequenceDtw } from '../perception/keywords/dtw.ts';
import { fft } from '../perception/keywords/fft.ts';
import { mfcc, MFCC_DIMS, sliceFrames } from '../perception/keywords/mfcc.ts';
import type { KeywordSpotter } from '../perception/keywords/spotter.ts';
import { defaultKeywordSpotter } from '../perception/keywords/templates.ts';
import { TEMPLATE_VOICES } from '../perception/keywords/vocabulary.ts';
import { trimToFrames } from '../voice-bank.ts';

describe('fft', () => {
  it('puts a cosine at bin 5 of 64 into bins 5 and 59, each with half its energy', () => {
    const n = 64;
    const re = Float64Array.from({ length: n }, (_, i) => Math.cos((2 * Math.PI * 5 * i) / n));
    const im = new Float64Array(n);
    fft(re, im);
    const magnitude = Array.from(re, (r, k) => Math.hypot(r, im[k]));
    expect(magnitude[5]).toBeCloseTo(n / 2, 9);
    expect(magnitude[59]).toBeCloseTo(n / 2, 9);
    expect(magnitude.filter((_, k) => k !== 5 && k !== 59).every((m) => m < 1e-9)).toBe(true);
  });
});

describe('subsequence DTW', () => {
  it('scores 0 for a template cut out of the query, and more for one that is not in it', async () => {
    const s = await synthesize('The garden gate was left open all night.', { name: 'en-us', rate_wpm: 170, pitch: 50 });
    const query = mfcc(s.pcm);
    const gate = s.words.find((w) => w.text === 'gate')!;
    expect(subsequenceDtw(sliceFrames(query, gate.startMs, gate.endMs), query)).toBe(0);
    const other = mfcc((await synthesize('Thirty.', { name: 'en-us', rate_wpm: 170, pitch: 50 })).pcm);
    expect(subsequenceDtw(other, query)).toBeGreaterThan(0.5);
    expect(query.data.length).toBe(query.frames * MFCC_DIMS);
  });
});

describe('keyword spotter (voices its templates do not use)', () => {
  let spotter: KeywordSpotter;
  beforeAll(async () => {
    spotter = await defaultKeywordSpotter();
  }, 60_000);
  const unseen = { name: 'en-us', rate_wpm: 175, pitch: 45 };
  const hear = async (text: string) => spotter.spot(trimToFrames((await synthesize(text, unseen)).pcm));

  it('tests with a voice outside the template voices', () => {
    expect(TEMPLATE_VOICES.map((v) => v.name)).not.toContain(unseen.name);
  });

  it('hears the number of seconds in a request', async () => {
    expect(await hear('Please wake me up in twelve seconds.')).toMatchObject({ kind: 'duration', durationMs: 12_000 });
    expect(await hear('Ping me after thirty seconds, would you?')).toMatchObject({ kind: 'duration', durationMs: 30_000 });
  });

  it('hears nothing in a turn without a time phrase or a slow request', async () => {
    expect(await hear('We moved into the new apartment last month and we still have boxes everywhere.')).toBeNull();
  });
});
