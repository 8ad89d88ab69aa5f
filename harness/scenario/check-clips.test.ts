import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import type { MediaSource, RenderedSpeech } from '../media.ts';
import { checkClips } from './check-clips.ts';
import { loadScenarioFile } from './load.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crosstalk-check-clips-'));
  // The loader refuses a clip that is not there; what is in them is the media's to judge.
  for (const clip of ['good.wav', 'bad.wav', 'boom.wav', 'other.wav']) writeFileSync(join(dir, clip), '');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEAD = 'version: 1\nid: clips\nfamily: background\ntimeline:\n';

function scenarioFile(name: string, timeline: string): string {
  const file = join(dir, name);
  writeFileSync(file, HEAD + timeline);
  return file;
}

const RENDERED: RenderedSpeech = { pcm: new Int16Array(160), sampleRate: 16_000, words: [], speechStartMs: 0, speechEndMs: 10, pauses: [] };

/** Media that reads clips by name: bad.wav is of the wrong format, boom.wav breaks the reader itself. */
function fakeMedia(asked: unknown[]): Pick<MediaSource, 'renderSpeech'> {
  return {
    async renderSpeech(speech) {
      asked.push(speech);
      if (speech.clip === 'bad.wav') throw new InputError('unusable clip: not a WAV file', { file: join(dir, 'bad.wav'), hint: 'Convert it with ffmpeg.' });
      if (speech.clip === 'boom.wav') throw new Error('decoder crashed');
      return RENDERED;
    },
  };
}

describe('checkClips', () => {
  it("reads every clip an action plays (its voice's speech, with what shapes it) and no synthesized text or sound bed", async () => {
    const file = scenarioFile(
      'good.yaml',
      `  - { id: q, at_ms: 0, speak: { text: "hello there" } }
  - { id: c, at_ms: 2000, speak: { clip: good.wav, speech_end_ms: 800 } }
  - { id: m, at_ms: 3000, backchannel: { clip: good.wav } }
  - { id: s, at_ms: 4000, side_talk: { clip: other.wav, gain_db: -10 } }
  - { id: b, at_ms: 5000, background: { clip: other.wav, voice: { name: en-gb } } }
  - { id: n, at_ms: 6000, background: { noise: pink, ms: 1000, snr_db: 10 } }
`,
    );
    const asked: unknown[] = [];
    await checkClips([loadScenarioFile(file)], fakeMedia(asked));
    expect(asked).toEqual([
      { clip: 'good.wav', speech_end_ms: 800 },
      { clip: 'good.wav' },
      { clip: 'other.wav', gain_db: -10 },
      { clip: 'other.wav', voice: { name: 'en-gb' } },
    ]);
  });

  it('refuses a clip of the wrong format with the scenario file, the line and field of the clip, and the clip named', async () => {
    const file = scenarioFile(
      'bad.yaml',
      `  - id: q
    at_ms: 0
    speak: { clip: good.wav }
  - id: s
    at_ms: 3000
    side_talk:
      gain_db: -6
      clip: bad.wav
`,
    );
    const e = await checkClips([loadScenarioFile(file)], fakeMedia([])).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(InputError);
    const error = e as InputError;
    expect([error.file, error.line, error.field, error.hint]).toEqual([file, 12, 'timeline.1.side_talk.clip', 'Convert it with ffmpeg.']);
    expect(error.message).toBe(`clip ${join(dir, 'bad.wav')}: unusable clip: not a WAV file`);
  });

  it('lets an error that is not bad input through as it is', async () => {
    const file = scenarioFile('boom.yaml', '  - { id: q, at_ms: 0, backchannel: { clip: boom.wav } }\n');
    await expect(checkClips([loadScenarioFile(file)], fakeMedia([]))).rejects.toThrow(/^decoder crashed$/);
  });
});
