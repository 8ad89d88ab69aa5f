import { describe, expect, it } from 'vitest';
import { parseScenario } from './load.ts';
import { InputError } from '../errors.ts';

const scenario = (timeline: string, extra = '') => `
version: 1
id: av
family: background
${extra}
timeline:
${timeline}`;

function errorOf(text: string): InputError {
  try {
    parseScenario(text, '/tmp/av.yaml');
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('scenario checks for side talk, background, video and the new expectations', () => {
  it('accepts a well-formed scenario of every new kind', () => {
    const ok = scenario(
      `  - { id: q, at_ms: 500, speak: { text: "hello there" }, expect: [ { take_turn: { within_ms: 1500 } }, { speak_at: { after_ms: 5000, within_ms: 1000 } }, { deliver: { due_after_ms: 3000, within_ms: 2000 } }, { interpret: { max_span_ms: 3000 } } ] }
  - { id: s, at_ms: 3000, side_talk: { text: "not now", gain_db: -10 }, expect: [ { ignore: {} } ] }
  - { id: b, at_ms: 4000, background: { noise: babble, ms: 3000, snr_db: 10 }, expect: [ { ignore: {} } ] }
  - { id: q2, at_ms: 5000, speak: { text: "and again" }, expect: [ { latency_degradation: { baseline: q } } ] }
  - { id: c, at_ms: 8000, show: { cue: highlight, ms: 2000 }, expect: [ { react: { within_ms: 2000, quiet_ms: 1000 } } ] }`,
      'video: { fps: 2, scene: slide }',
    );
    expect(parseScenario(ok, '/tmp/av.yaml').scenario.timeline).toHaveLength(5);
  });

  it('a background needs exactly one source, and a bed its length and SNR', () => {
    expect(errorOf(scenario('  - { id: b, at_ms: 0, background: { text: "x", noise: pink, ms: 1000, snr_db: 0 } }')).message).toMatch(
      /exactly one of text, clip, noise/,
    );
    const e = errorOf(scenario('  - { id: b, at_ms: 0, background: { noise: pink } }'));
    expect(e.message).toMatch(/needs ms and snr_db/);
    expect(e.line).toBe(7);
    expect(errorOf(scenario('  - { id: b, at_ms: 0, background: { text: "x", snr_db: 3 } }')).message).toMatch(/apply to a sound bed only/);
  });

  it('show needs a video stream; recorded cues need a file and drawn cues a generated scene', () => {
    expect(errorOf(scenario('  - { id: c, at_ms: 0, show: { cue: raised_hand, ms: 1000 } }')).hint).toMatch(/video: \{ fps: 2 \}/);
    expect(errorOf(scenario('  - { id: c, at_ms: 0, show: { cue: recorded, ms: 1000 } }', 'video: { fps: 2 }')).message).toMatch(/no video file/);
    expect(errorOf(scenario('  - { id: c, at_ms: 0, silence: { ms: 100 } }', 'video: { file: nowhere.mp4 }')).message).toMatch(/video file not found/);
  });

  it('expectations must fit their action, and a latency baseline must be a take_turn action', () => {
    expect(errorOf(scenario('  - { id: q, at_ms: 0, speak: { text: "hi" }, expect: [ { react: { within_ms: 1000 } } ] }')).message).toBe(
      'expectation react does not apply to a speak action',
    );
    expect(errorOf(scenario('  - { id: q, at_ms: 0, speak: { text: "hi" }, expect: [ { latency_degradation: { baseline: q } } ] }')).message).toMatch(
      /not an action with a take_turn/,
    );
    expect(errorOf(scenario('  - { id: s, at_ms: 0, side_talk: { clip: missing.wav } }')).message).toMatch(/clip not found/);
  });
});
