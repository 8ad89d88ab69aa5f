/**
 * Speech out: streamed responses play sentence by sentence as they are synthesized (known
 * answers with a fake synthesizer whose sentences arrive when the test says), and the real
 * synthesis thread renders what the voice bank would.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { synthesize } from '../../datasets/tts/espeak.ts';
import { FRAME_SAMPLES } from '../frames.ts';
import { TtsThread } from '../speech/tts-thread.ts';
import { SENTENCE_GAP_FRAMES, phraseUtterance, sentencesOf, streamedUtterance } from '../speech/utterance.ts';
import { AGENT_VOICE, MAX_INNER_GAP_MS, shortenGaps, trimToFrames } from '../voice-bank.ts';

/** A synthesizer whose sentence k is `frames[k]` frames of the value k + 1, released by `release(k)`. */
function fakeTts(frames: number[]) {
  const asked: string[] = [];
  const releases: (() => void)[] = [];
  return {
    asked,
    release: (k: number) => releases[k](),
    render(text: string): Promise<Int16Array> {
      const k = asked.push(text) - 1;
      return new Promise((resolve) => (releases[k] = () => resolve(new Int16Array(frames[k] * FRAME_SAMPLES).fill(k + 1))));
    },
  };
}

async function drain(u: { nextFrame(): Promise<Int16Array | null> }): Promise<number[]> {
  const firsts: number[] = [];
  for (let f = await u.nextFrame(); f; f = await u.nextFrame()) firsts.push(f[0]);
  return firsts;
}

describe('utterances', () => {
  it('splits a response into sentences', () => {
    expect(sentencesOf('Ten seconds have passed. That is the time you asked for!  Okay?')).toEqual([
      'Ten seconds have passed.',
      'That is the time you asked for!',
      'Okay?',
    ]);
    expect(sentencesOf('No stop at the end')).toEqual(['No stop at the end']);
  });

  it('asks for every sentence at once and plays the first as soon as it is rendered, before the rest', async () => {
    const tts = fakeTts([2, 3]);
    const u = streamedUtterance('First one. Second one.', tts);
    expect(tts.asked).toEqual(['First one.', 'Second one.']);
    tts.release(0);
    // The second sentence is not rendered yet: the first still plays.
    expect((await u.nextFrame())?.[0]).toBe(1);
    expect((await u.nextFrame())?.[0]).toBe(1);
    const third = u.nextFrame();
    tts.release(1);
    expect((await third)?.[0]).toBe(0); // the gap between sentences
    expect(await drain(u)).toEqual([...Array(SENTENCE_GAP_FRAMES - 1).fill(0), 2, 2, 2]);
  });

  it('plays a bank phrase frame by frame', async () => {
    const pcm = new Int16Array(3 * FRAME_SAMPLES).map((_, i) => Math.floor(i / FRAME_SAMPLES) + 1);
    expect(await drain(phraseUtterance({ text: 'x', pcm, durationMs: 60 }))).toEqual([1, 2, 3]);
  });
});

describe('TtsThread', () => {
  const thread = new TtsThread();
  afterAll(() => thread.close());

  it('renders in its worker exactly what the voice bank renders on the main thread', async () => {
    const text = 'Twelve seconds have passed.';
    const [inWorker, here] = await Promise.all([thread.render(text), synthesize(text, AGENT_VOICE)]);
    expect(inWorker.length).toBeGreaterThan(0);
    expect(inWorker.length % FRAME_SAMPLES).toBe(0);
    expect(inWorker).toEqual(shortenGaps(trimToFrames(here.pcm), MAX_INNER_GAP_MS));
  });

  it('fails requests at once, with the reason, once its worker is gone (none waits forever)', async () => {
    const doomed = new TtsThread();
    await doomed.render('Okay.');
    await doomed.close();
    expect(doomed.dead).toBe(true);
    await expect(doomed.render('Okay.')).rejects.toThrow(/speech synthesis thread exited/);
  });

  it('keeps the process alive while a render is pending, and not once it is idle', () => {
    // A process of its own: the render must finish (not exit 13 with the await unsettled),
    // then the process must end by itself (an idle thread once held `crosstalk run` open forever).
    const script = join(mkdtempSync(join(tmpdir(), 'crosstalk-tts-')), 'render.mjs');
    writeFileSync(
      script,
      `import { TtsThread } from ${JSON.stringify(new URL('../speech/tts-thread.ts', import.meta.url).href)};
const pcm = await new TtsThread().render('Okay.');
console.log('rendered', pcm.length);`,
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 60_000 });
    rmSync(dirname(script), { recursive: true, force: true });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^rendered [1-9]\d*$/m);
  });
});
