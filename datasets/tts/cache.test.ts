import { mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheKey, cachedSynthesizer } from './cache.ts';
import { synthesize, type EspeakVoice } from './espeak.ts';

const dir = mkdtempSync(join(tmpdir(), 'crosstalk-tts-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cachedSynthesizer', () => {
  it('renders once, then serves identical audio and timings; re-renders a corrupt entry', async () => {
    let renders = 0;
    const counting = (text: string, voice: EspeakVoice) => {
      renders++;
      return synthesize(text, voice);
    };
    const cached = cachedSynthesizer(dir, counting);
    const voice = { name: 'en-us+f1', rate_wpm: 180, pitch: 55 };
    const text = 'Is it going to rain tomorrow?';
    const first = await cached(text, voice);
    const second = await cached(text, voice);
    expect(renders).toBe(1);
    expect(second.pcm).toEqual(first.pcm);
    expect(second.words).toEqual(first.words);

    const base = join(dir, cacheKey(text, voice));
    expect(readdirSync(dir).sort()).toEqual([`${cacheKey(text, voice)}.json`, `${cacheKey(text, voice)}.wav`]); // no temporaries left

    const wavBytes = readFileSync(`${base}.wav`);
    truncateSync(`${base}.wav`, wavBytes.length - 100); // cut short
    expect((await cached(text, voice)).pcm).toEqual(first.pcm);
    expect(renders).toBe(2);

    const flipped = Buffer.from(readFileSync(`${base}.wav`));
    flipped[flipped.length - 1000] ^= 0x40; // same length, one sample changed
    writeFileSync(`${base}.wav`, flipped);
    expect((await cached(text, voice)).pcm).toEqual(first.pcm);
    expect(renders).toBe(3);

    writeFileSync(`${base}.json`, '{"engine": "half-writ');
    expect((await cached(text, voice)).words).toEqual(first.words);
    expect(renders).toBe(4);

    expect((await cached(text, voice)).pcm).toEqual(first.pcm);
    expect(renders).toBe(4); // healed
  });

  it('keys on text and every voice field', () => {
    const voice = { name: 'en-us', rate_wpm: 175, pitch: 50 };
    const keys = new Set([
      cacheKey('Hello.', voice),
      cacheKey('Hello!', voice),
      cacheKey('Hello.', { ...voice, name: 'en-gb' }),
      cacheKey('Hello.', { ...voice, rate_wpm: 176 }),
      cacheKey('Hello.', { ...voice, pitch: 51 }),
    ]);
    expect(keys.size).toBe(5);
    expect(cacheKey('Hello.', { ...voice })).toBe(cacheKey('Hello.', voice));
  });
});
