import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../harness/errors.ts';
import { openPauses } from './pauses.ts';
import { openTics, TIC_GAP_AFTER_MS, TIC_GAP_BEFORE_MS } from './speech-tics.ts';
import { renderSpeech } from './speech.ts';
import { DEFAULT_TTS_CACHE_DIR } from './media-source.ts';
import { cachedSynthesizer } from './tts/cache.ts';
import { synthesize, type Synthesized } from './tts/espeak.ts';

const voice = { name: 'en-us', rate_wpm: 175, pitch: 50 };
const TEXT = 'Could you walk me through how to change the battery in a smoke detector?';
const at = (ms: number) => Math.round(ms * 16);
/** A stand-in tic: 300 ms of a constant, so where it landed can be read off the samples. */
const TIC = new Int16Array(at(300)).fill(1234);

describe('openTics', () => {
  let fluent: Synthesized;
  beforeAll(async () => {
    fluent = await synthesize(TEXT, voice);
  });

  it('opens a hesitation of gap + tic + gap at the word boundary and lays the tic into it, the rest as openPauses', () => {
    const tic = { after_word: 7, sound: 'cough' as const, gap_before_ms: 150, gap_after_ms: 900 };
    const out = openTics(fluent, [{ after_word: 3, ms: 500 }], [{ tic, pcm: TIC }]);
    const plain = openPauses(fluent, [
      { after_word: 3, ms: 500 },
      { after_word: 7, ms: 150 + 300 + 900 },
    ]);
    expect(out.words).toEqual(plain.words);
    expect(out.pauses).toEqual(plain.pauses);
    const hesitation = out.pauses.find((p) => p.afterWord === 7)!;
    expect(hesitation.endMs - hesitation.startMs).toBeCloseTo(1350, 5);
    const start = at(hesitation.startMs) + at(150);
    expect(out.tics).toEqual([{ startMs: start / 16, endMs: start / 16 + 300, sound: 'cough' }]);
    // Silence, the tic sample for sample, silence; everything else is openPauses' audio.
    expect(out.pcm.slice(at(hesitation.startMs), start).every((v) => v === 0)).toBe(true);
    expect(out.pcm.slice(start, start + TIC.length)).toEqual(TIC);
    expect(out.pcm.slice(start + TIC.length, at(hesitation.endMs)).every((v) => v === 0)).toBe(true);
    expect(out.pcm.slice(0, start)).toEqual(plain.pcm.slice(0, start));
    expect(out.pcm.slice(start + TIC.length)).toEqual(plain.pcm.slice(start + TIC.length));
  });

  it('defaults: 200 ms before the tic, 600 ms after it', () => {
    const out = openTics(fluent, [], [{ tic: { after_word: 5, sound: 'um' }, pcm: TIC }]);
    const [p] = out.pauses;
    expect(out.tics![0].startMs - p.startMs).toBeCloseTo(TIC_GAP_BEFORE_MS, 0);
    expect(p.endMs - out.tics![0].endMs).toBeCloseTo(TIC_GAP_AFTER_MS, 0);
  });

  it('refuses a tic outside the text or at a boundary that already has a pause or a tic, naming the field', () => {
    const words = fluent.words.length;
    const bad: [Parameters<typeof openTics>[1], number[]][] = [
      [[], [words]],
      [[{ after_word: 4, ms: 300 }], [4]],
      [[], [6, 6]],
    ];
    for (const [pauses, ticsAfter] of bad) {
      const call = () =>
        openTics(
          fluent,
          pauses,
          ticsAfter.map((after_word) => ({ tic: { after_word, sound: 'breath' as const }, pcm: TIC })),
        );
      expect(call).toThrow(InputError);
      try {
        call();
      } catch (e) {
        expect((e as InputError).field).toBe('tics.after_word');
      }
    }
  });
});

describe('renderSpeech with tics', () => {
  const synth = cachedSynthesizer(DEFAULT_TTS_CACHE_DIR);
  it('renders each tic in the voice, seeded by the scenario seed and its place, deterministically', async () => {
    const speech = {
      text: TEXT,
      tics: [
        { after_word: 4, sound: 'um' as const },
        { after_word: 9, sound: 'cough' as const },
      ],
    };
    const a = await renderSpeech(speech, { voice, seed: 5 }, 'x.yaml', synth);
    expect(await renderSpeech(speech, { voice, seed: 5 }, 'x.yaml', synth)).toEqual(a);
    expect((await renderSpeech(speech, { voice, seed: 6 }, 'x.yaml', synth)).pcm).not.toEqual(a.pcm);
    expect(a.tics!.map((t) => t.sound)).toEqual(['um', 'cough']);
    a.tics!.forEach((t, i) => {
      const p = a.pauses[i];
      expect(t.startMs).toBeGreaterThan(p.startMs);
      expect(t.endMs).toBeLessThan(p.endMs);
      // The tic is sound: its samples are not the hesitation's silence.
      expect(a.pcm.slice(at(t.startMs), at(t.endMs)).some((v) => v !== 0)).toBe(true);
    });
    const plain = await renderSpeech({ text: TEXT }, { voice, seed: 5 }, 'x.yaml', synth);
    expect(plain.tics).toBeUndefined();
  });

  it('a clip cannot carry tics (no word timings to cut at)', async () => {
    await expect(renderSpeech({ clip: 'any.wav', tics: [{ after_word: 1, sound: 'um' }] }, { seed: 1 }, '/tmp/x.yaml', synth)).rejects.toThrow(
      /tics need synthesized text/,
    );
  });
});
