/**
 * Known-answer tests of the families beyond plain turn taking: the scripted agent acts at
 * planted delays after planted truth (cue onsets, side talk, background, requested times,
 * speech stretches, task due times); the runner records, the scorer measures, and the numbers
 * must come back within one 20 ms frame (they come back exact in virtual time).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FRAME_MS, runSession } from './session.ts';
import { parseScenario } from '../scenario/load.ts';
import { readRecording } from '../recording/reader.ts';
import { score } from '../scoring/score.ts';
import { toneMediaSource } from './testing/tone-media.ts';
import { activeSpeechDbfs } from './levels.ts';
import { createScriptedAdapter, type ScriptedBehaviour } from '../../adapters/scripted/adapter.ts';
import type { MetricValue } from '../scoring/types.ts';
import type { RecordingEvent } from '../recording/events.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crosstalk-families-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let runs = 0;

async function play(yaml: string, behaviour: Partial<ScriptedBehaviour>, clock: 'real' | 'virtual' = 'virtual') {
  const loaded = parseScenario(yaml, join(dir, 'kat.yaml'), 'kat');
  const out = join(dir, `run-${runs++}`);
  const outcome = await runSession({
    loaded,
    sessionId: out,
    dir: out,
    adapter: createScriptedAdapter(behaviour),
    media: toneMediaSource(),
    clock,
    harnessVersion: 'test',
  });
  expect(outcome.status, outcome.error).toBe('completed');
  const recording = readRecording(out);
  return { recording, metrics: score(recording).metrics, segments: score(recording).segments };
}

const value = (metrics: MetricValue[], name: string, subject?: string) => {
  const found = metrics.filter((m) => m.name === name && (subject === undefined || m.subject === subject));
  expect(found, `${name} ${subject ?? ''}`).toHaveLength(1);
  return found[0].value;
};
const near = (actual: number | null, planted: number) => {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - planted)).toBeLessThanOrEqual(FRAME_MS);
};
const ofType = <T extends RecordingEvent['type']>(events: RecordingEvent[], type: T) =>
  events.filter((e): e is Extract<RecordingEvent, { type: T }> => e.type === type);

describe('visual interjection', () => {
  const yaml = `
version: 1
id: kat-visual
family: visual_interjection
video: { fps: 2 }
tail_ms: 2000
timeline:
  - id: intro
    at_ms: 300
    speak: { text: "here are my slides" }
  - id: cue
    at_ms: 7010
    show: { cue: raised_hand, ms: 3000 }
    expect: [ { react: { within_ms: 1500 } } ]
`;
  it('the cue starts on the next frame; reaction latency and rate are recovered; frames go out at 2 fps', async () => {
    const { metrics, recording, segments } = await play(yaml, { video: true, answerMs: 1000, visualReactionDelayMs: 640 });
    const cue = ofType(recording.events, 'action.start').find((a) => a.id === 'cue')!;
    expect(cue.startMs).toBe(7500);
    near(value(metrics, 'visual_interjection.reaction_latency_ms'), 640);
    expect(value(metrics, 'visual_interjection.reacted')).toBe(1);
    expect(value(metrics, 'visual_interjection.false_interjections')).toBe(0);
    const frames = ofType(recording.events, 'video.frame');
    expect(frames.slice(0, 3).map((f) => f.t)).toEqual([20, 500, 1000]);
    expect(frames.filter((f) => f.cue === 'cue').map((f) => f.t)).toEqual([7500, 8000, 8500, 9000, 9500, 10000]);
    expect(segments.some((s) => s.kind === 'visual_cue' && s.startMs === 7500 && s.endMs === 10_500)).toBe(true);
  });

  it('an agent onset in the quiet stretch before the cue is a false interjection; a late reaction is not a reaction', async () => {
    const { metrics } = await play(yaml, { video: true, answerMs: 1000, backchannelAtMs: [6000], visualReactionDelayMs: 2200 });
    expect(value(metrics, 'visual_interjection.false_interjections')).toBe(1);
    near(value(metrics, 'visual_interjection.reaction_latency_ms'), 2200);
    expect(value(metrics, 'visual_interjection.reacted')).toBe(0);
  });

  it('an adapter without video gets no frames, and the rows say so', async () => {
    const { metrics, recording } = await play(yaml, { answerMs: 1000, visualReactionDelayMs: 640 });
    expect(ofType(recording.events, 'video.frame')).toHaveLength(0);
    expect(metrics.find((m) => m.name === 'visual_interjection.reacted')?.note).toMatch(/no video frames/);
  });

  it('real time: reaction latency within one frame', async () => {
    const short = yaml.replace('at_ms: 7010', 'at_ms: 2600').replace('ms: 3000 }', 'ms: 1000 }').replace('tail_ms: 2000', 'tail_ms: 1200');
    const { metrics } = await play(short, { video: true, answerMs: 800, answerDelayMs: null, visualReactionDelayMs: 640 }, 'real');
    near(value(metrics, 'visual_interjection.reaction_latency_ms'), 640);
  });
});

describe('side talk', () => {
  const yaml = (asideAt: string) => `
version: 1
id: kat-side
family: side_talk
tail_ms: 3000
timeline:
  - id: ask
    at_ms: 300
    speak: { text: "tell me a long story" }
  - id: aside
    ${asideAt}
    side_talk: { text: "yes put it on the table" }
    expect: [ { ignore: {} } ]
`;
  const during = 'after: { event: agent_speech_start, delay_ms: 1000, timeout_ms: 8000 }';
  it('keeping on through side talk: no false response, no false stop', async () => {
    const { metrics, segments } = await play(yaml(during), {});
    expect(value(metrics, 'side_talk.false_response')).toBe(0);
    expect(value(metrics, 'side_talk.false_stop')).toBe(0);
    expect(value(metrics, 'side_talk.resume_latency_ms')).toBeNull();
    expect(segments.filter((s) => s.kind === 'side_talk')).toHaveLength(1);
  });

  it('stopping for side talk is a false stop; the resume latency is recovered', async () => {
    const { metrics } = await play(yaml(during), { stopOnDistractor: true, stopDelayMs: 180, resumeAfterDistractorMs: 700 });
    expect(value(metrics, 'side_talk.false_stop')).toBe(1);
    expect(value(metrics, 'side_talk.false_response')).toBe(0);
    near(value(metrics, 'side_talk.resume_latency_ms'), 700);
  });

  it('answering side talk while silent is a false response', async () => {
    const bad = await play(yaml('at_ms: 9000'), { respondToDistractorDelayMs: 500 });
    expect(value(bad.metrics, 'side_talk.false_response')).toBe(1);
    expect(value(bad.metrics, 'side_talk.false_stop')).toBeNull();
    const good = await play(yaml('at_ms: 9000'), {});
    expect(value(good.metrics, 'side_talk.false_response')).toBe(0);
  });
});

describe('background speech and noise', () => {
  const yaml = `
version: 1
id: kat-bg
family: background
tail_ms: 3000
timeline:
  - id: q1
    at_ms: 300
    speak: { text: "what is the weather" }
    expect: [ { take_turn: { within_ms: 1500 } } ]
  - id: bed
    at_ms: 5000
    background: { noise: babble, ms: 6000, snr_db: 10 }
    expect: [ { ignore: {} } ]
  - id: q2
    at_ms: 6000
    speak: { text: "and what about tomorrow" }
    expect: [ { take_turn: { within_ms: 1500 } }, { latency_degradation: { baseline: q1 } } ]
`;
  it('a slower answer under the bed is recovered as latency degradation; answering the user is no false takeover', async () => {
    const { metrics, segments, recording } = await play(yaml, { answerMs: 2000, backgroundAnswerDelayMs: 700 });
    near(value(metrics, 'background.latency_degradation_ms'), 270);
    near(value(metrics, 'turn_taking.latency_ms', 'q2'), 700);
    expect(value(metrics, 'background.false_takeover')).toBe(0);
    expect(value(metrics, 'background.false_stop')).toBeNull();
    expect(segments.some((s) => s.kind === 'background' && s.startMs === 5000 && s.endMs === 11_000)).toBe(true);
    // The bed sits 10 dB under the active level of the user's speech (tone double: a pure sine, no filters).
    const bed = recording.user.subarray(9000 * 16, 10_000 * 16);
    const bedDbfs = 10 * Math.log10(bed.reduce((sum, x) => sum + (x / 32768) ** 2, 0) / bed.length);
    expect(activeSpeechDbfs([recording.user.subarray(300 * 16, 1600 * 16)], 16_000) - bedDbfs).toBeCloseTo(10, 1);
  });

  it('starting to talk because of the bed is a false takeover', async () => {
    const { metrics } = await play(yaml, { answerMs: 2000, respondToDistractorDelayMs: 500 });
    expect(value(metrics, 'background.false_takeover')).toBe(1);
  });
});

describe('time awareness', () => {
  const yaml = `
version: 1
id: kat-time
family: time_awareness
tail_ms: 3000
timeline:
  - id: ask
    at_ms: 300
    speak: { text: "tell me when ten seconds pass" }
    expect: [ { speak_at: { after_ms: 10000, within_ms: 1000 } } ]
`;
  for (const planted of [370, -800, 1400]) {
    it(`onset error ${planted} ms (the quick acknowledgement is not taken for the announcement)`, async () => {
      const { metrics } = await play(yaml, { answerMs: 1500, timeDueDelayMs: planted });
      near(value(metrics, 'time_awareness.onset_error_ms'), planted);
      near(value(metrics, 'time_awareness.abs_error_ms'), Math.abs(planted));
      expect(value(metrics, 'time_awareness.announced')).toBe(Math.abs(planted) <= 1000 ? 1 : 0);
    });
  }
});

describe('simultaneous speech', () => {
  const yaml = `
version: 1
id: kat-interp
family: simultaneous_speech
tail_ms: 3000
timeline:
  - id: lecture
    at_ms: 500
    speak: { text: "one two three four five six seven eight nine ten eleven twelve", pauses: [ { after_word: 3, ms: 600 }, { after_word: 7, ms: 900 }, { after_word: 10, ms: 500 } ] }
    expect: [ { interpret: { max_span_ms: 3000 } } ]
`;
  it('ear-voice span, overlap ratio and longest silence of a planted 1200 ms lag', async () => {
    const { metrics } = await play(yaml, { answerDelayMs: null, interpretLagMs: 1200 });
    near(value(metrics, 'simultaneous_speech.ear_voice_span_ms'), 1200);
    // User stretches 500-1450, 2150-3450, 4450-5400, 6000-6600; the agent's, 1200 ms later.
    expect(value(metrics, 'simultaneous_speech.overlap_ratio')).toBeCloseTo(1400 / 3800, 2);
    near(value(metrics, 'simultaneous_speech.longest_silence_ms'), 1200);
    expect(value(metrics, 'simultaneous_speech.fell_silent')).toBe(0);
  });

  it('a 5 s lag falls silent and fails the span budget', async () => {
    const { metrics } = await play(yaml, { answerDelayMs: null, interpretLagMs: 5000 });
    near(value(metrics, 'simultaneous_speech.ear_voice_span_ms'), 5000);
    expect(value(metrics, 'simultaneous_speech.fell_silent')).toBe(1);
    expect(metrics.find((m) => m.name === 'simultaneous_speech.ear_voice_span_ms')?.passed).toBe(false);
  });
});

describe('background task', () => {
  const yaml = `
version: 1
id: kat-task
family: background_task
tail_ms: 3000
timeline:
  - id: ask
    at_ms: 300
    speak: { text: "look up my flight please" }
    expect: [ { deliver: { due_after_ms: 8000, within_ms: 3000 } } ]
  - id: chat
    at_ms: 12000
    speak: { text: "so how is your day going so far" }
`;
  it('delivery in a quiet moment: latency recovered, not over the user', async () => {
    const { metrics } = await play(yaml, { answerMs: 1500, deliverDelayMs: 600 });
    near(value(metrics, 'background_task.delivery_latency_ms'), 600);
    expect(value(metrics, 'background_task.delivered')).toBe(1);
    expect(value(metrics, 'background_task.over_user_speech')).toBe(0);
  });

  it('delivery over the user speaking is flagged', async () => {
    const { metrics } = await play(yaml, { answerMs: 1500, deliverDelayMs: 2300 });
    near(value(metrics, 'background_task.delivery_latency_ms'), 2300);
    expect(value(metrics, 'background_task.over_user_speech')).toBe(1);
  });
});
