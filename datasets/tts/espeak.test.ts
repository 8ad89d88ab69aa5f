import { describe, expect, it } from 'vitest';
import { InputError } from '../../harness/errors.ts';
import { speechSegments } from '../../harness/vad/energy.ts';
import { CORE_VOICES } from '../recipes/core-suite.ts';
import { listVariants, listVoices, synthesize } from './espeak.ts';

const SR = 16_000;
const at = (ms: number) => Math.round((ms * SR) / 1000);
function rmsDbfs(x: Int16Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[i] * x[i];
  return 10 * Math.log10(sum / Math.max(1, to - from) / 32768 ** 2);
}
/** The VAD's sample threshold (-45 dBFS). */
const LOUD = 32768 * 10 ** (-45 / 20);

describe('espeak synthesize', () => {
  it('is deterministic: same input, identical samples, whatever was rendered in between', async () => {
    const voice = { name: 'en-us', rate_wpm: 175, pitch: 50 };
    const a = await synthesize('Hello there, how are you today?', voice);
    await synthesize('Something else entirely, to disturb any state.', { name: 'en-gb+steph', rate_wpm: 200, pitch: 70 });
    const b = await synthesize('Hello there, how are you today?', voice);
    expect(b.pcm).toEqual(a.pcm);
    expect(b.words).toEqual(a.words);
    expect(a.sampleRate).toBe(16_000);
    expect(a.words.map((w) => w.text)).toEqual(['Hello', 'there,', 'how', 'are', 'you', 'today?']);
  });

  it("puts the last word's end where the audio ends, for every core voice", async () => {
    const texts = ['Could you tell me how long it takes to get there?', 'Please set a timer for twenty minutes.'];
    for (const { name } of CORE_VOICES) {
      for (const text of texts) {
        const { pcm, words } = await synthesize(text, { name, rate_wpm: 175, pitch: 50 });
        const endMs = words[words.length - 1].endMs;
        const end = at(endMs);
        let lastLoud = -1;
        for (let i = 0; i < pcm.length; i++) if (Math.abs(pcm[i]) >= LOUD) lastLoud = i;
        // Measured over the core voices: -0.25 to +0.13 ms (the resampler's kernel spreads a
        // sharp ending by a sample or two).
        const offsetMs = ((lastLoud + 1 - end) * 1000) / SR;
        expect(offsetMs, `${name}: ${text}`).toBeGreaterThan(-5);
        expect(offsetMs, `${name}: ${text}`).toBeLessThan(1);
        // Speech just before the end (-19 to -40 dBFS measured), next to nothing after it
        // (-53 dBFS at worst, after a fricative; the clip ends ~7 ms later).
        expect(rmsDbfs(pcm, end - at(20), end), name).toBeGreaterThan(-45);
        expect(rmsDbfs(pcm, end, pcm.length), name).toBeLessThan(-50);
        // The shared VAD sees the same turn end.
        const segments = speechSegments(pcm, SR);
        expect(Math.abs(segments[segments.length - 1].endMs - endMs), name).toBeLessThan(1);
      }
    }
  });

  it('lists English voices and the variants the core suite uses', async () => {
    expect(await listVoices()).toEqual(expect.arrayContaining(['en-us', 'en-gb', 'en-gb-x-rp', 'en-029']));
    expect(await listVariants()).toEqual(expect.arrayContaining(['f1', 'm3', 'm7', 'steph', 'Annie']));
  });

  it('rejects an unknown voice or variant with an InputError that says what to use', async () => {
    const voice = { rate_wpm: 175, pitch: 50 };
    await expect(synthesize('Hi.', { name: 'en-xx', ...voice })).rejects.toThrow(InputError);
    await expect(synthesize('Hi.', { name: 'en-us+nobody', ...voice })).rejects.toThrow(/unknown voice variant "\+nobody"/);
    await expect(synthesize('  ', { name: 'en-us', ...voice })).rejects.toThrow(/empty/);
  });
});
