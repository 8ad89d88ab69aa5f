/**
 * Known-answer tests of content together with timing: planted agents through the real runner
 * (virtual time) and scorer. The scripted agent plants right words, wrong words or no transcript
 * at planted times; the canned adversary talks real speech with no words to read. A verdict
 * holds only when the timing and the words are both right.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Adapter } from '../adapter.ts';
import { runSession } from '../runner/session.ts';
import { toneMediaSource } from '../runner/testing/tone-media.ts';
import { parseScenario } from '../scenario/load.ts';
import { readRecording } from '../recording/reader.ts';
import { score } from '../scoring/score.ts';
import type { MetricValue } from '../scoring/types.ts';
import { createScriptedAdapter, plantedWords, type ScriptedBehaviour } from '../../adapters/scripted/adapter.ts';
import { createAdversaryAdapter } from '../../adapters/adversary/adapter.ts';

let dir: string;
let runs = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crosstalk-content-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function play(yaml: string, adapter: Adapter) {
  const out = join(dir, `run-${runs++}`);
  const outcome = await runSession({
    loaded: parseScenario(yaml, join(dir, 'kat.yaml'), 'kat'),
    sessionId: out,
    dir: out,
    adapter,
    media: toneMediaSource(),
    clock: 'virtual',
    harnessVersion: 'test',
  });
  expect(outcome.status, outcome.error).toBe('completed');
  const recording = readRecording(out);
  return { recording, metrics: score(recording).metrics };
}
const scripted = (b: Partial<ScriptedBehaviour>) => createScriptedAdapter(b);

function row(metrics: MetricValue[], name: string): MetricValue {
  const found = metrics.filter((m) => m.name === name);
  expect(found, name).toHaveLength(1);
  return found[0];
}

const TIME = `
version: 1
id: kat-time-content
family: time_awareness
tail_ms: 3000
timeline:
  - id: ask
    at_ms: 300
    speak: { text: "remind me in ten seconds to check the oven" }
    expect: [ { speak_at: { after_ms: 10000, within_ms: 1000, says: { keywords: [oven], numbers: [10] } } } ]
`;

describe('time awareness: the announcement must be on time and say the right words', () => {
  it('on time with the right words passes', async () => {
    const { metrics } = await play(TIME, scripted({ answerMs: 1500, timeDueDelayMs: 200, content: 'right' }));
    expect(row(metrics, 'time_awareness.content_ok')).toMatchObject({
      value: 1,
      passed: true,
      note: `heard "${plantedWords({ keywords: ['oven'], numbers: [10] })}"`,
    });
    expect(row(metrics, 'time_awareness.verdict')).toMatchObject({ value: 1, passed: true });
  });

  it('on time with the wrong words fails: wrong_content, naming what was not said', async () => {
    const { metrics } = await play(TIME, scripted({ answerMs: 1500, timeDueDelayMs: 200, content: 'wrong' }));
    expect(row(metrics, 'time_awareness.announced').value).toBe(1);
    expect(row(metrics, 'time_awareness.content_ok')).toMatchObject({ value: 0, passed: false, reason: 'wrong_content' });
    expect(row(metrics, 'time_awareness.content_ok').note).toMatch(/not said: keyword "oven"; number 10/);
    expect(row(metrics, 'time_awareness.verdict')).toMatchObject({ value: 0, reason: 'wrong_content' });
  });

  it('the right words late fail on timing', async () => {
    const { metrics } = await play(TIME, scripted({ answerMs: 1500, timeDueDelayMs: 2500, content: 'right' }));
    expect(row(metrics, 'time_awareness.content_ok').value).toBe(1);
    expect(row(metrics, 'time_awareness.verdict')).toMatchObject({ value: 0, passed: false });
    expect(row(metrics, 'time_awareness.verdict').note).toMatch(/^time_awareness\.onset_error_ms/);
  });

  it('no transcript is N/A (no_transcript), and the verdict is 0 with that reason, never a pass', async () => {
    const { metrics } = await play(TIME, scripted({ answerMs: 1500, timeDueDelayMs: 200, content: 'none' }));
    expect(row(metrics, 'time_awareness.content_ok')).toMatchObject({ value: null, passed: false, reason: 'no_transcript' });
    expect(row(metrics, 'time_awareness.verdict')).toMatchObject({ value: 0, passed: false, reason: 'no_transcript' });
  });

  it('no announcement at all: nothing to read (no_response)', async () => {
    const { metrics } = await play(TIME, scripted({ answerMs: 1500, timeDueDelayMs: null, content: 'right' }));
    expect(row(metrics, 'time_awareness.content_ok')).toMatchObject({ value: null, reason: 'no_response' });
  });
});

describe('a cut-off announcement claims only the words it played', () => {
  const yaml = `
version: 1
id: kat-time-cut
family: time_awareness
tail_ms: 3000
timeline:
  - id: ask
    at_ms: 300
    speak: { text: "tell me when ten seconds pass" }
    expect: [ { speak_at: { after_ms: 10000, within_ms: 1000, says: { keywords: [alpha, bravo, charlie, delta, echo, foxtrot, golf, hotel, india, juliet] } } } ]
  - id: wait
    at_ms: 5000
    silence: { ms: 1000 }
  - id: barge
    after: { event: agent_speech_start, delay_ms: 1000 }
    speak: { text: "wait wait" }
`;
  it('stopped 1180 ms into a 2000 ms announcement of 10 words: 5 words reported, the check fails', async () => {
    const { metrics, recording } = await play(yaml, scripted({ answerMs: 2000, timeDueDelayMs: 0, stopDelayMs: 180, content: 'right' }));
    const texts = recording.events.flatMap((e) => (e.type === 'transcript' ? [e.text] : []));
    expect(texts).toEqual(['alpha, bravo, charlie, delta, echo,']);
    expect(row(metrics, 'time_awareness.content_ok')).toMatchObject({ value: 0, reason: 'wrong_content' });
  });
});

const INTERPRET = `
version: 1
id: kat-interp-content
family: simultaneous_speech
tail_ms: 3000
timeline:
  - id: lecture
    at_ms: 500
    speak: { text: "one two three four five six seven eight nine ten eleven twelve", pauses: [ { after_word: 3, ms: 600 }, { after_word: 7, ms: 900 } ] }
    expect: [ { interpret: { max_span_ms: 3000, says: { keywords: [[uno, una], dos, tres], min_keywords: 2 } } } ]
`;

describe('simultaneous speech: the rendering must carry the words', () => {
  it('a steady lag with the right words passes; with the wrong words it fails', async () => {
    const right = await play(INTERPRET, scripted({ answerDelayMs: null, interpretLagMs: 1200, content: 'right' }));
    expect(row(right.metrics, 'simultaneous_speech.content_ok').value).toBe(1);
    expect(row(right.metrics, 'simultaneous_speech.verdict').value).toBe(1);
    const wrong = await play(INTERPRET, scripted({ answerDelayMs: null, interpretLagMs: 1200, content: 'wrong' }));
    expect(row(wrong.metrics, 'simultaneous_speech.verdict')).toMatchObject({ value: 0, reason: 'wrong_content' });
  });
});

const TASK = `
version: 1
id: kat-task-content
family: background_task
tail_ms: 3000
timeline:
  - id: ask
    at_ms: 300
    speak: { text: "look up my flight please" }
    expect: [ { deliver: { due_after_ms: 8000, within_ms: 3000, says: { keywords: [flight] } } } ]
`;

describe('background task: the delivery must bring the result', () => {
  it('right words on time pass; no transcript fails with no_transcript', async () => {
    const right = await play(TASK, scripted({ answerMs: 1500, deliverDelayMs: 600, content: 'right' }));
    expect(row(right.metrics, 'background_task.verdict').value).toBe(1);
    const none = await play(TASK, scripted({ answerMs: 1500, deliverDelayMs: 600, content: 'none' }));
    expect(row(none.metrics, 'background_task.verdict')).toMatchObject({ value: 0, reason: 'no_transcript' });
  });
});

describe('the canned adversary (real speech, no words) passes none of these verdicts', () => {
  it.each([
    ['time_awareness', TIME],
    ['simultaneous_speech', INTERPRET],
    ['background_task', TASK],
  ])('%s', async (family, yaml) => {
    const { metrics } = await play(yaml, createAdversaryAdapter('canned'));
    expect(row(metrics, `${family}.verdict`).value).toBe(0);
    expect(row(metrics, `${family}.content_ok`).passed).toBe(false);
  });
});
