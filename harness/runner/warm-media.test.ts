/** A real-time run renders every speech action of its selection once before any session starts; failures are left to the sessions. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MediaSource } from '../media.ts';
import { parseScenario } from '../scenario/load.ts';
import { toneMediaSource } from './testing.ts';
import { warmMedia } from './warm-media.ts';

const scenario = (id: string, body: string) => parseScenario(`version: 1\nid: ${id}\nfamily: turn_taking\ntimeline:\n${body}`, join('/nowhere', `${id}.yaml`), 'warm');

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
    const b = scenario('b', `  - id: q\n    at_ms: 100\n    speak: { text: "broken" }\n  - id: w\n    at_ms: 800\n    silence: { ms: 300 }\n  - id: r\n    at_ms: 1500\n    speak: { text: "three" }\n`);
    await warmMedia([a, b, a, b], media);
    expect(asked).toEqual(['one two', 'mm', 'broken', 'three']);
  });
});
