import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../harness/errors.ts';
import { speechSegments } from '../harness/vad/speech.ts';
import { resample } from './audio/resample.ts';
import { DEFAULT_VOICE, renderSpeech } from './speech.ts';
import { synthesize } from './tts/espeak.ts';

const dir = mkdtempSync(join(tmpdir(), 'crosstalk-speech-'));
const scenarioFile = join(dir, 'scenario.yaml');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeWav(name: string, channels: number, rate: number, depth: string, samples: ArrayLike<number>[] | ArrayLike<number>): string {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(channels, rate, depth, samples as number[]);
  writeFileSync(join(dir, name), wav.toBuffer());
  return name;
}

async function inputError(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('renderSpeech: text', () => {
  it('fills the voice from action, then scenario, then defaults, and reports the turn edges and pauses', async () => {
    const text = 'Can you help me find a recipe for dinner?';
    const seen: unknown[] = [];
    const spy = (t: string, v: Parameters<typeof synthesize>[1]) => {
      seen.push(v);
      return synthesize(t, v);
    };
    const r = await renderSpeech(
      { text, voice: { pitch: 40 }, pauses: [{ after_word: 4, ms: 900 }] },
      { voice: { name: 'en-gb', rate_wpm: 160 }, seed: 1 },
      scenarioFile,
      spy,
    );
    expect(seen).toEqual([{ name: 'en-gb', rate_wpm: 160, pitch: 40 }]);
    await renderSpeech({ text: 'Hi there.' }, { seed: 1 }, scenarioFile, spy);
    expect(seen[1]).toEqual(DEFAULT_VOICE);
    expect(r.sampleRate).toBe(16_000);
    expect(r.speechStartMs).toBe(r.words[0].startMs);
    expect(r.speechEndMs).toBe(r.words[r.words.length - 1].endMs);
    expect(r.pauses).toEqual([{ startMs: r.words[3].endMs, endMs: r.words[3].endMs + 900, afterWord: 4 }]);
  });

  it('names the scenario file when the voice is unknown', async () => {
    const e = await inputError(renderSpeech({ text: 'Hi there.' }, { voice: { name: 'klingon' }, seed: 1 }, scenarioFile, synthesize));
    expect(e.file).toBe(scenarioFile);
    expect(e.describe()).toMatch(/scenario\.yaml: voice\.name: unknown voice "klingon"/);
  });
});

describe('renderSpeech: clip', () => {
  it('reads stereo PCM16 at any rate, mixes to mono, resamples to 16 kHz and finds the speech end with the speech detector', async () => {
    const speech = await synthesize('Hello there, how are you?', { name: 'en-us', rate_wpm: 175, pitch: 50 });
    const at22k = resample(speech.pcm, 16_000, 22_050);
    const padded = new Int16Array(at22k.length + 11_025); // + 500 ms of silence
    padded.set(at22k);
    const clip = writeWav('stereo22k.wav', 2, 22_050, '16', [padded, padded]);
    const r = await renderSpeech({ clip }, { seed: 1 }, scenarioFile, synthesize);
    expect(r.sampleRate).toBe(16_000);
    expect(r.pcm.length).toBe(Math.round((padded.length * 16_000) / 22_050));
    const segments = speechSegments(r.pcm, 16_000);
    expect(r.speechStartMs).toBe(segments[0].startMs);
    expect(r.speechEndMs).toBe(segments[segments.length - 1].endMs);
    const lastWordEndMs = speech.words[speech.words.length - 1].endMs;
    expect(Math.abs(r.speechEndMs - lastWordEndMs)).toBeLessThan(2);
    expect(r.words).toEqual([]);
    expect(r.pauses).toEqual([]);

    const given = await renderSpeech({ clip, speech_end_ms: 1000 }, { seed: 1 }, scenarioFile, synthesize);
    expect(given.speechEndMs).toBe(1000);
  });

  it('refuses anything but 16-bit PCM WAV, naming the file, what it found and the ffmpeg fix', async () => {
    const tone = Array.from({ length: 1600 }, (_, i) => Math.sin(i / 3));
    writeFileSync(join(dir, 'text.wav'), 'this is not audio at all');
    writeFileSync(join(dir, 'empty.wav'), '');
    const cases: [string, RegExp][] = [
      [writeWav('float.wav', 1, 16_000, '32f', tone), /found 32-bit float samples/],
      [
        writeWav(
          'eight.wav',
          1,
          16_000,
          '8',
          tone.map((v) => 128 + Math.round(100 * v)),
        ),
        /found 8-bit integer PCM/,
      ],
      [
        writeWav(
          'deep.wav',
          1,
          16_000,
          '24',
          tone.map((v) => Math.round(1e6 * v)),
        ),
        /found 24-bit integer PCM/,
      ],
      [writeWav('silent.wav', 1, 16_000, '16', []), /the WAV holds no samples/],
      ['text.wav', /not a WAV file/],
      ['empty.wav', /the file is empty/],
    ];
    for (const [clip, found] of cases) {
      const e = await inputError(renderSpeech({ clip }, { seed: 1 }, scenarioFile, synthesize));
      expect(e.message, clip).toMatch(found);
      expect(e.file, clip).toBe(join(dir, clip));
      expect(e.hint, clip).toContain(`ffmpeg -i "${join(dir, clip)}" -ac 1 -ar 16000 -c:a pcm_s16le`);
    }
  });

  it('refuses pauses on a clip, a speech end past the clip, and a clip with no speech', async () => {
    const quiet = writeWav('quiet.wav', 1, 16_000, '16', new Int16Array(16_000).fill(3));
    await expect(renderSpeech({ clip: quiet, pauses: [{ after_word: 1, ms: 500 }] }, { seed: 1 }, scenarioFile, synthesize)).rejects.toThrow(
      /pauses need synthesized text/,
    );
    await expect(renderSpeech({ clip: quiet, speech_end_ms: 1500 }, { seed: 1 }, scenarioFile, synthesize)).rejects.toThrow(
      /past the end of the clip \(1000 ms\)/,
    );
    await expect(renderSpeech({ clip: quiet }, { seed: 1 }, scenarioFile, synthesize)).rejects.toThrow(/no speech found/);
  });
});
