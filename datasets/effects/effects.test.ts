import { describe, expect, it } from 'vitest';
import { highShelf, lowPass, responseDb } from './biquad.ts';
import { background, BACKGROUND_ECHOES, BACKGROUND_LOWPASS_HZ, SIDE_TALK_REFLECTIONS, SIDE_TALK_SHELF_DB, SIDE_TALK_SHELF_HZ, sideTalk } from './treatments.ts';
import { renderBed } from './beds.ts';
import { createNoise } from '../noise.ts';

const RATE = 16_000;
const rmsDb = (x: ArrayLike<number>, scale = 32768) => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] / scale) ** 2;
  return 10 * Math.log10(s / x.length);
};
const white = (seconds: number) => Int16Array.from(createNoise({ kind: 'white', level_dbfs: -20 }, 3).next(seconds * RATE), (v) => Math.round(v * 32767));
/** Amplitude of the freqHz component of x[from, to) (projection on sin and cos). */
const toneAmp = (x: ArrayLike<number>, freqHz: number, from: number, to: number) => {
  let re = 0,
    im = 0;
  for (let i = from; i < to; i++) {
    re += x[i] * Math.cos((2 * Math.PI * freqHz * i) / RATE);
    im += x[i] * Math.sin((2 * Math.PI * freqHz * i) / RATE);
  }
  return (2 * Math.hypot(re, im)) / (to - from);
};
/** Magnitude, in dB, of a set of delayed copies (the direct sound plus taps) at freqHz. */
const tapsDb = (taps: readonly [number, number][], freqHz: number) => {
  let re = 1,
    im = 0;
  for (const [ms, a] of taps) {
    const w = (2 * Math.PI * freqHz * Math.round((ms * RATE) / 1000)) / RATE;
    re += a * Math.cos(w);
    im -= a * Math.sin(w);
  }
  return 20 * Math.log10(Math.hypot(re, im));
};
const twoTone = (lowHz: number, highHz: number) =>
  Int16Array.from({ length: 2 * RATE }, (_, i) =>
    Math.round(6000 * (Math.sin((2 * Math.PI * lowHz * i) / RATE) + Math.sin((2 * Math.PI * highHz * i) / RATE))),
  );
/** Change of the high tone's level relative to the low tone's, measured in the steady middle of the clip. */
const tiltDb = (dry: Int16Array, wet: Int16Array, lowHz: number, highHz: number) => {
  const [a, b] = [RATE / 2, (3 * RATE) / 2];
  const ratio = (x: ArrayLike<number>) => 20 * Math.log10(toneAmp(x, highHz, a, b) / toneAmp(x, lowHz, a, b));
  return ratio(wet) - ratio(dry);
};

describe('biquads (known responses)', () => {
  it('the high shelf cuts by its gain well above the corner and passes the low band', () => {
    const c = highShelf(SIDE_TALK_SHELF_HZ, SIDE_TALK_SHELF_DB, RATE);
    expect(responseDb(c, 7500, RATE)).toBeCloseTo(SIDE_TALK_SHELF_DB, 0);
    expect(responseDb(c, 200, RATE)).toBeCloseTo(0, 1);
  });
  it('the low-pass is -3 dB at its cutoff and steep above', () => {
    const c = lowPass(BACKGROUND_LOWPASS_HZ, RATE);
    expect(responseDb(c, BACKGROUND_LOWPASS_HZ, RATE)).toBeCloseTo(-3.01, 1);
    expect(responseDb(c, 100, RATE)).toBeCloseTo(0, 1);
    expect(responseDb(c, 7000, RATE)).toBeLessThan(-20);
  });
});

describe('side talk and background treatments', () => {
  const dry = white(2);
  it('side talk: exactly -8 dB on the RMS, duller above 4 kHz, longer by the reflections', () => {
    const wet = sideTalk(dry, RATE);
    expect(rmsDb(wet.subarray(0, dry.length)) - rmsDb(dry)).toBeCloseTo(-8, 1);
    expect(wet.length - dry.length).toBe((37 * RATE) / 1000);
    // Two tones through the chain: the measured tilt is the shelf's plus the reflections' response.
    const tones = twoTone(250, 7000);
    const predicted =
      responseDb(highShelf(SIDE_TALK_SHELF_HZ, SIDE_TALK_SHELF_DB, RATE), 7000, RATE) +
      tapsDb(SIDE_TALK_REFLECTIONS, 7000) -
      responseDb(highShelf(SIDE_TALK_SHELF_HZ, SIDE_TALK_SHELF_DB, RATE), 250, RATE) -
      tapsDb(SIDE_TALK_REFLECTIONS, 250);
    expect(tiltDb(tones, sideTalk(tones, RATE), 250, 7000)).toBeCloseTo(predicted, 1);
    expect(predicted).toBeLessThan(-3); // duller, although the reflections' comb gives some of the shelf back at 7 kHz
    expect(sideTalk(dry, RATE, -12)).not.toEqual(wet);
  });
  it('background: its gain on the RMS, low-passed, deterministic', () => {
    const wet = background(dry, RATE, -15);
    expect(rmsDb(wet.subarray(0, dry.length)) - rmsDb(dry)).toBeCloseTo(-15, 1);
    const tones = twoTone(250, 6000);
    const lp = lowPass(BACKGROUND_LOWPASS_HZ, RATE);
    const predicted = responseDb(lp, 6000, RATE) + tapsDb(BACKGROUND_ECHOES, 6000) - responseDb(lp, 250, RATE) - tapsDb(BACKGROUND_ECHOES, 250);
    expect(tiltDb(tones, background(tones, RATE), 250, 6000)).toBeCloseTo(predicted, 1);
    expect(predicted).toBeLessThan(-10);
    expect(background(dry, RATE, -15)).toEqual(wet);
  });
});

describe('sound beds', () => {
  const noTts = async () => {
    throw new Error('no TTS for these beds');
  };
  it('music and noise beds have the asked length and are the same for the same seed', async () => {
    for (const kind of ['music', 'pink', 'brown', 'white'] as const) {
      const a = await renderBed(kind, 1500, 9, noTts);
      expect(a.length).toBe(1.5 * RATE);
      expect(await renderBed(kind, 1500, 9, noTts)).toEqual(a);
      expect(rmsDb(a)).toBeGreaterThan(-40);
    }
  });
});
