/**
 * A real-time run renders every speech action of its selection once before any session starts;
 * failures are left to the sessions. The sessions then get copies of those renders.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MediaSource } from '../media.ts';
import { parseScenario } from '../scenario/load.ts';
import { toneMediaSource } from './testing/tone-media.ts';
import { memoizedMedia, warmMedia } from './warm-media.ts';

const scenario = (id: string, body: string) =>
  parseScenario(`version: 1\nid: ${id}\nfamily: turn_taking\ntimeline:\n${body}`, join('/nowhere', `${id}.yaml`), 'warm');

describe('warmMedia', () => {
  it('renders each speech action of each scenario once, and shrugs off a failure', async () => {
    const tone = toneMediaSource();
    const asked: string[] = [];
    const media: MediaSource = {
      ...tone,
      async renderSpeech(speech, defaults, file) {
        asked.push(speech.text ?? '');
        if (speech.text === 'broken') throw new Error('no such voice');
        return tone.renderSpeech(speech, defaults, file);
      },
    };
    const a = scenario('a', `  - id: q\n    at_ms: 100\n    speak: { text: "one two" }\n  - id: b\n    at_ms: 900\n    backchannel: { text: "mm" }\n`);
    const b = scenario(
      'b',
      `  - id: q\n    at_ms: 100\n    speak: { text: "broken" }\n  - id: w\n    at_ms: 800\n    silence: { ms: 300 }\n  - id: r\n    at_ms: 1500\n    speak: { text: "three" }\n`,
    );
    await warmMedia([a, b, a, b], media);
    expect(asked).toEqual(['one two', 'mm', 'broken', 'three']);
  });
});

describe('memoizedMedia', () => {
  it('renders once per arguments and hands out copies; a failure is not kept; the rest passes through', async () => {
    const tone = toneMediaSource();
    let renders = 0;
    let fail = true;
    const media = memoizedMedia({
      ...tone,
      async renderSpeech(speech, defaults, file) {
        renders++;
        if (speech.text === 'flaky' && fail) throw new Error('engine busy');
        return tone.renderSpeech(speech, defaults, file);
      },
    });
    const first = await media.renderSpeech({ text: 'one two' }, { seed: 1 }, 'a.yaml');
    first.pcm.fill(0);
    const second = await media.renderSpeech({ text: 'one two' }, { seed: 1 }, 'a.yaml');
    expect(renders).toBe(1);
    expect(second).toEqual(await tone.renderSpeech({ text: 'one two' }, { seed: 1 }, 'a.yaml'));
    await media.renderSpeech({ text: 'one two' }, { seed: 2 }, 'a.yaml');
    expect(renders).toBe(2);
    await expect(media.renderSpeech({ text: 'flaky' }, { seed: 1 }, 'a.yaml')).rejects.toThrow('engine busy');
    fail = false;
    expect((await media.renderSpeech({ text: 'flaky' }, { seed: 1 }, 'a.yaml')).pcm.length).toBeGreaterThan(0);
    expect(media.noise({ kind: 'white', level_dbfs: -60 } as never, 0).next(4)).toHaveLength(4);
  });
});
