/**
 * Known answers for the six vocal tics: each lasts what TIC_SPECS says and sits at its nominal
 * level plus gain_db (RMS over the clip), unclipped; the same seed gives the same samples; and
 * what the speech detector (harness/vad/speech.ts, not tuned for this) makes of each, measured
 * over a -60 dBFS floor: the content-free sounds (cough, throat-clear, breath) and the laugh
 * never give a speech segment; "um" (a voiced vowel gliding into a nasal) nearly always does (40
 * of 42), "uh" (one held vowel) never in these voices (in others it can: 28 of 80 renderings in
 * four other voice and pitch settings, measured while building this).
 */
import { describe, expect, it } from 'vitest';
import { TIC_SOUNDS, type TicSound } from '../../harness/scenario/schema.ts';
import { speechSegments } from '../../harness/vad/speech.ts';
import { DEFAULT_TTS_CACHE_DIR } from '../media-source.ts';
import { createNoise } from '../noise.ts';
import { CORE_VOICES } from '../recipes/core-suite.ts';
import { cachedSynthesizer } from '../tts/cache.ts';
import { renderTic, TIC_SPECS } from './vocal-tics.ts';

const RATE = 16_000;
const synthesize = cachedSynthesizer(DEFAULT_TTS_CACHE_DIR);
const SEEDS = Array.from({ length: 14 }, (_, i) => i + 1);
/** Seed k speaks in the suite voice k mod 7, at a pitch from 30 to 70. */
const voiceOf = (seed: number) => ({ name: CORE_VOICES[seed % CORE_VOICES.length].name, rate_wpm: 175, pitch: 30 + ((seed * 13) % 41) });
const render = (sound: TicSound, seed: number, gainDb?: number) => renderTic(sound, { seed, voice: voiceOf(seed), gainDb, synthesize });

const rmsDbfs = (x: Int16Array) => 10 * Math.log10(x.reduce((s, v) => s + (v / 32768) ** 2, 0) / x.length);
const peakDbfs = (x: Int16Array) => 20 * Math.log10(x.reduce((m, v) => Math.max(m, Math.abs(v)), 0) / 32768);

/** The tic with 400 ms of room on each side, over a -60 dBFS pink floor: does the detector find speech? */
function heardAsSpeech(pcm: Int16Array, seed: number): boolean {
  const pad = (400 * RATE) / 1000;
  const floor = createNoise({ kind: 'pink', level_dbfs: -60 }, seed).next(pcm.length + 2 * pad);
  const x = Int16Array.from(floor, (v) => Math.round(v * 32767));
  pcm.forEach((v, i) => (x[pad + i] += v));
  return speechSegments(x, RATE).length > 0;
}

describe('vocal tics: lengths, levels, determinism', () => {
  it.each(TIC_SOUNDS)('%s: its documented length range and nominal level, unclipped, over 14 seeds and voices', async (sound) => {
    const { minMs, maxMs, levelDbfs } = TIC_SPECS[sound];
    const lengths: number[] = [];
    for (const seed of SEEDS) {
      const pcm = await render(sound, seed);
      lengths.push((pcm.length * 1000) / RATE);
      expect(rmsDbfs(pcm)).toBeCloseTo(levelDbfs, 1);
      expect(peakDbfs(pcm)).toBeLessThan(-3);
    }
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(minMs);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(maxMs);
    // Drawn, not fixed: the lengths vary with the seed.
    expect(new Set(lengths.map(Math.round)).size).toBeGreaterThan(3);
  });

  it.each(TIC_SOUNDS)('%s: the same seed gives the same samples, another seed others; gain_db moves the level', async (sound) => {
    const a = await render(sound, 7);
    expect(await render(sound, 7)).toEqual(a);
    expect(await render(sound, 8)).not.toEqual(a);
    expect(rmsDbfs(await render(sound, 7, -12))).toBeCloseTo(TIC_SPECS[sound].levelDbfs - 12, 1);
  });

  it('"um" and "uh" are spoken as the fillers /ʌm/ and /ʌ/ (as long as eSpeak\'s phoneme input of them), not spelled out', async () => {
    const wordMs = async (text: string, name: string) => {
      const w = (await synthesize(text, { name, rate_wpm: 100, pitch: 50 })).words[0];
      return w.endMs - w.startMs;
    };
    for (const name of ['en-us', 'en-gb+f3', 'en-029+m7']) {
      expect(Math.abs((await wordMs('um', name)) - (await wordMs('[[Vm]]', name)))).toBeLessThan(15);
      expect(Math.abs((await wordMs('uh', name)) - (await wordMs('[[V]]', name)))).toBeLessThan(15);
      // Spelled, "U M" is /ju: Em/: 160-280 ms longer (measured).
      expect((await wordMs('[[ju:Em]]', name)) - (await wordMs('um', name))).toBeGreaterThan(150);
    }
  });
});

describe('what the speech detector makes of each tic (14 seeds, gains -20, 0 and +6 dB)', () => {
  const measured: Record<TicSound, number> = { cough: 0, throat_clear: 0, breath: 0, laugh: 0, um: 40, uh: 0 };
  it.each(TIC_SOUNDS)('%s', async (sound) => {
    let speech = 0;
    for (const seed of SEEDS) for (const gain of [-20, 0, 6]) if (heardAsSpeech(await render(sound, seed, gain), seed)) speech++;
    expect(speech).toBe(measured[sound]);
  });
});
