import { describe, expect, it } from 'vitest';
import { resample } from './resample.ts';

const tone = (hz: number, rate: number, seconds: number, amplitude = 10_000) =>
  Int16Array.from({ length: Math.round(rate * seconds) }, (_, n) => Math.round(amplitude * Math.sin((2 * Math.PI * hz * n) / rate)));

/** RMS of the middle half (away from the edges, where the kernel sees zeros). */
function middleRms(x: Int16Array): number {
  const from = Math.floor(x.length / 4);
  const to = Math.floor((3 * x.length) / 4);
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[i] * x[i];
  return Math.sqrt(sum / (to - from));
}

/** Frequency from interpolated upward zero crossings over the middle half. */
function frequencyHz(x: Int16Array, rate: number): number {
  const crossings: number[] = [];
  for (let i = Math.floor(x.length / 4); i < Math.floor((3 * x.length) / 4); i++) {
    if (x[i - 1] < 0 && x[i] >= 0) crossings.push(i - 1 + -x[i - 1] / (x[i] - x[i - 1]));
  }
  return ((crossings.length - 1) * rate) / (crossings[crossings.length - 1] - crossings[0]);
}

describe('resample', () => {
  for (const [from, to] of [
    [22_050, 16_000],
    [16_000, 24_000],
    [24_000, 16_000],
    [48_000, 16_000],
    [8_000, 16_000],
  ]) {
    it(`keeps a 1 kHz tone's frequency and level, ${from} -> ${to} Hz`, () => {
      const input = tone(1000, from, 1);
      const out = resample(input, from, to);
      expect(out.length).toBe(to);
      expect(frequencyHz(out, to)).toBeCloseTo(1000, 1);
      const levelDb = 20 * Math.log10(middleRms(out) / middleRms(input));
      expect(Math.abs(levelDb)).toBeLessThan(0.01);
    });
  }

  it('removes content above the new Nyquist frequency instead of folding it down', () => {
    // 10 kHz cannot exist at 16 kHz; a naive resampler would alias it to 6 kHz at full level.
    const out = resample(tone(10_000, 22_050, 1), 22_050, 16_000);
    expect(20 * Math.log10(middleRms(out) / 10_000)).toBeLessThan(-60);
  });

  it('is zero-phase: a click at input time t comes out at output time t', () => {
    const input = new Int16Array(22_050);
    input[11_025] = 20_000; // 500 ms
    const out = resample(input, 22_050, 16_000);
    const peak = out.indexOf(Math.max(...out));
    expect(peak).toBe(8000);
  });

  it('keeps a constant exactly constant and returns a copy for equal rates', () => {
    const dc = new Int16Array(4000).fill(1234);
    const out = resample(dc, 24_000, 16_000);
    expect(out.slice(100, -100).every((v) => v === 1234)).toBe(true);
    const same = resample(dc, 16_000, 16_000);
    expect(same).toEqual(dc);
    expect(same).not.toBe(dc);
  });

  it('rejects non-integer or non-positive rates', () => {
    expect(() => resample(new Int16Array(10), 0, 16_000)).toThrow(/fromRate/);
    expect(() => resample(new Int16Array(10), 16_000, 22_050.5)).toThrow(/toRate/);
  });
});
