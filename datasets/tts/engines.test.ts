/**
 * Speech engines (engine.ts, flite.ts, gnuspeech.ts, align.ts) with known answers: determinism,
 * the cache key naming the engine, planted pauses found again in every engine's audio, the
 * forced aligner against exact timings, voice sets (`run --voices`) and the session's source.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../harness/errors.ts';
import { createMediaSource } from '../media-source.ts';
import { cacheKey } from './cache.ts';
import { synthesizeWith, type SpeechVoice } from './engine.ts';
import { loudExtent } from './align.ts';
import { alignerError, MEASURE_TEXTS, pauseEdgeError, stats } from './measure.ts';
import { applyVoiceSet, parseVoiceSet, slotsOf } from './voice-set.ts';
import { voiceOf } from '../speech.ts';

const FLITE: SpeechVoice = { engine: 'flite', name: 'slt', rate_wpm: 175, pitch: 50 };
const GNU: SpeechVoice = { engine: 'gnuspeech', name: 'female', rate_wpm: 175, pitch: 50 };
const TEXT = 'Could you tell me how long it takes to get to the station from here?';

describe('engines', () => {
  it.each([FLITE, GNU])(
    '$engine renders deterministically at 16 kHz with one timing per token, ending where the audio ends',
    async (voice) => {
      const a = await synthesizeWith(TEXT, voice);
      const b = await synthesizeWith(TEXT, voice);
      expect(b.pcm).toEqual(a.pcm);
      expect(b.words).toEqual(a.words);
      expect(a.sampleRate).toBe(16_000);
      expect(a.words.map((w) => w.text)).toEqual(TEXT.split(' '));
      for (const [i, w] of a.words.entries()) {
        expect(w.endMs).toBeGreaterThan(w.startMs);
        if (i > 0) expect(w.startMs).toBeGreaterThanOrEqual(a.words[i - 1].endMs);
      }
      // The last word ends where the last sound (-45 dBFS) does: measured 11.4 ms apart for flite slt
      // (its final segment ends on the model's clock while the tail decays), 0 for gnuspeech (snapped).
      expect(Math.abs(a.words.at(-1)!.endMs - loudExtent(a.pcm).end / 16)).toBeLessThanOrEqual(15);
    },
    60_000,
  );

  it('rate and voice change the rendering; unknown voices and engines are bad input', async () => {
    const slow = await synthesizeWith(TEXT, { ...FLITE, rate_wpm: 120 });
    const fast = await synthesizeWith(TEXT, FLITE);
    expect(slow.pcm.length).toBeGreaterThan(fast.pcm.length * 1.3);
    await expect(synthesizeWith(TEXT, { ...FLITE, name: 'en-us' })).rejects.toThrow(InputError);
    await expect(synthesizeWith(TEXT, { ...GNU, name: 'robot' })).rejects.toThrow(/unknown gnuspeech voice "robot"/);
    await expect(synthesizeWith(TEXT, { ...FLITE, engine: 'sam' as 'flite' })).rejects.toThrow(/unknown speech engine "sam"/);
  }, 60_000);

  it('the cache key names the engine; an eSpeak voice keys as it did before engines', () => {
    const espeak = { name: 'en-us', rate_wpm: 175, pitch: 50 };
    expect(cacheKey('Hi.', { ...espeak, engine: 'espeak' })).toBe(cacheKey('Hi.', espeak));
    // The key cache.ts gave this text and voice before engines existed (commit 23a0e13).
    expect(cacheKey('Hi.', espeak)).toBe('51574b45f50625d0012c8be3f66834d2');
    expect(cacheKey('Hi.', { ...espeak, engine: 'flite', name: 'slt' })).not.toBe(cacheKey('Hi.', { ...espeak, name: 'slt' }));
  });
});

describe('known answers', () => {
  // Figures measured with `npm run bench -- align` (README, "Speech sources"); here two texts per voice.
  const texts = MEASURE_TEXTS.slice(0, 2);
  it.each([
    { name: 'en-us', rate_wpm: 175, pitch: 50 } as SpeechVoice,
    FLITE,
    { engine: 'flite', name: 'rms', rate_wpm: 175, pitch: 50 } as SpeechVoice,
    { engine: 'gnuspeech', name: 'male', rate_wpm: 175, pitch: 50 } as SpeechVoice,
    GNU,
  ])(
    'planted pauses survive $engine $name: median edge error within a frame, 3 in 4 edges within 10 ms',
    async (voice) => {
      const s = stats(await pauseEdgeError(voice, texts));
      expect(s.n).toBeGreaterThanOrEqual(16);
      expect(s.medianMs).toBeLessThanOrEqual(10);
      expect(s.withinFrame).toBeGreaterThanOrEqual(0.7);
    },
    120_000,
  );

  it('the forced aligner finds eSpeak words (exact timings) within a frame at the median', async () => {
    const s = stats(await alignerError({ name: 'en-gb+f3', rate_wpm: 160, pitch: 60 }, texts));
    expect(s.medianMs).toBeLessThanOrEqual(10);
    expect(s.withinFrame).toBeGreaterThanOrEqual(0.6);
  }, 120_000);
});

describe('voice sets', () => {
  it('parses engine:voice lists, defaults the voice, and refuses unknown engines and voices', () => {
    expect(parseVoiceSet('flite:slt, gnuspeech ,espeak:en-gb+f3')).toEqual([
      { engine: 'flite', name: 'slt' },
      { engine: 'gnuspeech', name: 'male' },
      { engine: 'espeak', name: 'en-gb+f3' },
    ]);
    expect(() => parseVoiceSet('sam:kal')).toThrow(/unknown speech engine "sam"/);
    expect(() => parseVoiceSet('flite:bob')).toThrow(/unknown flite voice "bob" in --voices/);
    expect(() => parseVoiceSet(' , ')).toThrow(/names no voice/);
  });

  it('cycles the set over the suite by slot; a second speaker gets the next voice; rate and pitch stay', () => {
    const set = parseVoiceSet('flite:slt,gnuspeech:female');
    const slots = slotsOf(['/s/b.yaml', '/s/a.yaml', '/s/c.yaml']);
    expect([...slots]).toEqual([
      ['/s/a.yaml', 0],
      ['/s/b.yaml', 1],
      ['/s/c.yaml', 2],
    ]);
    const defaults = { voice: { name: 'en-gb', rate_wpm: 160 }, seed: 1 };
    const main = applyVoiceSet(set, 1, { text: 'Hi.' }, defaults);
    expect(voiceOf(main.speech.voice, main.defaults)).toEqual({ engine: 'gnuspeech', name: 'female', rate_wpm: 160, pitch: 50 });
    const other = applyVoiceSet(set, 1, { text: 'Hi.', voice: { name: 'en-us+m3', pitch: 30 } }, defaults);
    expect(voiceOf(other.speech.voice, other.defaults)).toEqual({ engine: 'flite', name: 'slt', rate_wpm: 160, pitch: 30 });
  });

  it("a voice's engine goes with its name", () => {
    expect(voiceOf({ engine: 'flite' }, { voice: { name: 'en-gb' } })).toEqual({ engine: 'flite', name: 'slt', rate_wpm: 175, pitch: 50 });
    expect(voiceOf({ name: 'en-us' }, { voice: { engine: 'flite', name: 'rms' } })).toEqual({ name: 'en-us', rate_wpm: 175, pitch: 50 });
    expect(voiceOf(undefined, { voice: { engine: 'gnuspeech', name: 'baby' } })).toEqual({ engine: 'gnuspeech', name: 'baby', rate_wpm: 175, pitch: 50 });
  });

  it("the media source renders with the set and names each session's source", async () => {
    const scenario = { version: 1, id: 'x', family: 'turn_taking', timeline: [{ id: 'a', at_ms: 0, speak: { text: 'Hello there.' } }] } as never;
    const plain = createMediaSource({ cacheDir: mkdtempSync(join(tmpdir(), 'tts-')) });
    expect(plain.speechSource!(scenario, '/s/a.yaml')).toBe('espeak:en-us');
    const media = createMediaSource({
      cacheDir: mkdtempSync(join(tmpdir(), 'tts-')),
      voices: parseVoiceSet('flite:rms,flite:slt'),
      suiteFiles: ['/s/a.yaml', '/s/b.yaml'],
    });
    expect([media.speechSource!(scenario, '/s/a.yaml'), media.speechSource!(scenario, '/s/b.yaml')]).toEqual(['flite:rms', 'flite:slt']);
    const r = await media.renderSpeech({ text: 'Hello there.' }, { seed: 0 }, '/s/b.yaml');
    expect(r.pcm).toEqual((await synthesizeWith('Hello there.', FLITE)).pcm);
    const clipOnly = { ...(scenario as object), timeline: [{ id: 'a', at_ms: 0, speak: { clip: 'x.wav' } }] } as never;
    expect(media.speechSource!(clipOnly, '/s/a.yaml')).toBe('recording');
  }, 60_000);
});
