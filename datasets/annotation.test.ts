/**
 * Known answers for annotated recordings: a clip built from known segments (eSpeak speech with
 * two planted mid-turn pauses over a -50 dBFS noise floor) and its RTTM, CTM and JSON
 * annotations give back the planted truth within a frame; played through the real runner and
 * scorer, an agent that takes the floor in an annotated pause fails `no_takeover`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../harness/errors.ts';
import type { RenderedSpeech } from '../harness/media.ts';
import { parseScenario } from '../harness/scenario/load.ts';
import { runSession } from '../harness/runner/session.ts';
import { readRecording } from '../harness/recording/reader.ts';
import { score } from '../harness/scoring/score.ts';
import { speechSegments } from '../harness/vad/speech.ts';
import { createScriptedAdapter } from '../adapters/scripted/adapter.ts';
import { encodeWav } from './audio/wav.ts';
import { MIN_PAUSE_MS, parseAnnotationJson, parseCtm, parseRttm, truthOfAnnotation } from './annotation.ts';
import { createMediaSource } from './media-source.ts';
import { createNoise } from './noise.ts';
import { openPauses } from './pauses.ts';
import { renderSpeech } from './speech.ts';
import { synthesize } from './tts/espeak.ts';

const FRAME_MS = 10;
const LEAD_MS = 500;
const TAIL_MS = 3000;
const dir = mkdtempSync(join(tmpdir(), 'crosstalk-annotation-'));
const scenarioFile = join(dir, 'scenario.yaml');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The planted truth, in clip time. */
let planted: Pick<RenderedSpeech, 'words' | 'pauses' | 'speechStartMs' | 'speechEndMs'>;
let runs: { startMs: number; endMs: number }[];

/** eSpeak speech with pauses opened after words 4 and 9, LEAD_MS in, TAIL_MS after, over noise. */
async function buildClip(name: string, levelDbfs: number): Promise<number> {
  const s = await synthesize('I was thinking we could go to the market tomorrow and buy some fresh bread.', { name: 'en-us', rate_wpm: 170, pitch: 50 });
  const o = openPauses(s, [
    { after_word: 4, ms: 1200 },
    { after_word: 9, ms: 900 },
  ]);
  const lead = (LEAD_MS * 16) | 0;
  const pcm = new Int16Array(lead + o.pcm.length + TAIL_MS * 16);
  pcm.set(o.pcm, lead);
  const noise = createNoise({ kind: 'white', level_dbfs: levelDbfs }, 7).next(pcm.length);
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round(pcm[i] + noise[i] * 32767)));
  writeFileSync(join(dir, name), encodeWav(pcm, 16_000));
  const words = o.words.map((w) => ({ text: w.text, startMs: w.startMs + LEAD_MS, endMs: w.endMs + LEAD_MS }));
  const pauses = o.pauses.map((p) => ({ ...p, startMs: p.startMs + LEAD_MS, endMs: p.endMs + LEAD_MS }));
  planted = { words, pauses, speechStartMs: words[0].startMs, speechEndMs: words[words.length - 1].endMs };
  runs = [
    { startMs: planted.speechStartMs, endMs: pauses[0].startMs },
    { startMs: pauses[0].endMs, endMs: pauses[1].startMs },
    { startMs: pauses[1].endMs, endMs: planted.speechEndMs },
  ];
  return (pcm.length * 1000) / 16_000;
}

const s3 = (ms: number) => (ms / 1000).toFixed(3);
let clipMs = 0;

beforeAll(async () => {
  clipMs = await buildClip('take.wav', -50);
  writeFileSync(
    join(dir, 'take.rttm'),
    [
      ';; the user, three stretches of one turn',
      ...runs.map((r) => `SPEAKER take 1 ${s3(r.startMs)} ${s3(r.endMs - r.startMs)} <NA> <NA> user <NA> <NA>`),
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'take.ctm'), planted.words.map((w) => `take 1 ${s3(w.startMs)} ${s3(w.endMs - w.startMs)} ${w.text} 0.99`).join('\n') + '\n');
  writeFileSync(
    join(dir, 'take.json'),
    JSON.stringify(
      {
        segments: runs.map((r) => ({ start_ms: r.startMs, end_ms: r.endMs })),
        words: planted.words.map((w) => ({ text: w.text, start_ms: w.startMs, end_ms: w.endMs })),
      },
      null,
      2,
    ),
  );
});

async function inputError(p: Promise<unknown> | (() => unknown)): Promise<InputError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('annotated clips: the planted truth comes back within a frame', () => {
  for (const ext of ['rttm', 'ctm', 'json']) {
    it(`${ext}: speech start and end, both pauses${ext === 'rttm' ? '' : ', the words'}`, async () => {
      const r = await renderSpeech({ clip: 'take.wav', annotation: `take.${ext}` }, { seed: 1 }, scenarioFile, synthesize);
      expect(Math.abs(r.speechStartMs - planted.speechStartMs)).toBeLessThanOrEqual(FRAME_MS);
      expect(Math.abs(r.speechEndMs - planted.speechEndMs)).toBeLessThanOrEqual(FRAME_MS);
      expect(r.pauses).toHaveLength(2);
      r.pauses.forEach((p, i) => {
        expect(Math.abs(p.startMs - planted.pauses[i].startMs)).toBeLessThanOrEqual(FRAME_MS);
        expect(Math.abs(p.endMs - planted.pauses[i].endMs)).toBeLessThanOrEqual(FRAME_MS);
        expect(p.afterWord).toBe(ext === 'rttm' ? i + 1 : planted.pauses[i].afterWord);
      });
      expect(r.words.map((w) => w.text)).toEqual(ext === 'rttm' ? [] : planted.words.map((w) => w.text));
    });
  }

  it(`a gap shorter than ${MIN_PAUSE_MS} ms is not a pause; JSON turn_end_ms sets the turn end and drops later pauses`, () => {
    const a = parseAnnotationJson(
      JSON.stringify({
        segments: [
          { start_ms: 100, end_ms: 500 },
          { start_ms: 790, end_ms: 1000 },
          { start_ms: 1400, end_ms: 2000 },
          { start_ms: 3000, end_ms: 3500 },
        ],
        turn_end_ms: 2000,
      }),
      'a.json',
    );
    const t = truthOfAnnotation(a, 10_000, 'a.json');
    expect([t.speechStartMs, t.speechEndMs]).toEqual([100, 2000]);
    expect(t.pauses).toEqual([{ startMs: 1000, endMs: 1400, afterWord: 1 }]);
  });

  it('without an annotation, the end of speech over a -40 dBFS noise floor is found at the speech, not at the end of the clip', async () => {
    const ms = await buildClip('noisy.wav', -40);
    const r = await renderSpeech({ clip: 'noisy.wav' }, { seed: 1 }, scenarioFile, synthesize);
    const plain = speechSegments((await import('./audio/wav.ts')).readClip(join(dir, 'noisy.wav')).pcm, 16_000);
    // The detector's default threshold (-45 dBFS) joins the floor to the speech: its end runs ~1 s late.
    expect(plain[plain.length - 1].endMs - planted.speechEndMs).toBeGreaterThan(500);
    expect(Math.abs(r.speechEndMs - planted.speechEndMs)).toBeLessThan(150);
    expect(Math.abs(r.speechStartMs - planted.speechStartMs)).toBeLessThan(20);
    expect(ms - r.speechEndMs).toBeGreaterThan(TAIL_MS - 200);
  });
});

describe('annotation errors name the file and line', () => {
  it('RTTM: a short SPEAKER line, a bad time; several speakers need `speaker`', () => {
    const e = parseErr(() => parseRttm('SPEAKER x 1 0.5 1.0 <NA> <NA> a <NA> <NA>\nSPEAKER x 1 2.0\n', 'x.rttm'));
    expect([e.file, e.line]).toEqual(['x.rttm', 2]);
    expect(parseErr(() => parseRttm(';; c\nSPEAKER x 1 abc 1.0 <NA> <NA> a <NA> <NA>\n', 'x.rttm')).describe()).toMatch(
      /x\.rttm:2: start: expected a time in seconds/,
    );
    const two = 'SPEAKER x 1 0.5 1.0 <NA> <NA> a <NA> <NA>\nSPEAKER x 1 2.0 1.0 <NA> <NA> b <NA> <NA>\n';
    expect(parseErr(() => parseRttm(two, 'x.rttm')).message).toMatch(/2 speakers \(a, b\)/);
    expect(parseRttm(two, 'x.rttm', 'b').segments).toEqual([{ startMs: 2000, endMs: 3000 }]);
  });

  it('CTM: too few fields; JSON: syntax errors by line, values by path', () => {
    expect(parseErr(() => parseCtm('x 1 0.1 0.2 hello\nx 1 0.4 0.2\n', 'x.ctm')).describe()).toMatch(/x\.ctm:2: word: a CTM line has at least 5 fields/);
    expect(parseCtm('x 1 0.1 0.2 hello\nx 1 0.3 0.1 <sil>\n', 'x.ctm').words).toEqual([{ text: 'hello', startMs: 100, endMs: 300 }]);
    expect(parseErr(() => parseAnnotationJson('{\n  "segments": [\n    {"start_ms": 1,}\n  ]\n}', 'x.json')).line).toBe(3);
    expect(parseErr(() => parseAnnotationJson('{"segments": [{"start_ms": 5, "end_ms": "7"}]}', 'x.json')).field).toBe('segments[0].end_ms');
  });

  it('an annotation past the end of the clip is refused, naming the annotation file', async () => {
    writeFileSync(join(dir, 'late.rttm'), `SPEAKER take 1 1.0 ${s3(clipMs)} <NA> <NA> user <NA> <NA>\n`);
    const e = await inputError(renderSpeech({ clip: 'take.wav', annotation: 'late.rttm' }, { seed: 1 }, scenarioFile, synthesize));
    expect(e.describe()).toMatch(/late\.rttm.*past the end of the clip/);
  });

  it('the loader: an annotation needs a clip, cannot be combined with speech_end_ms, and must exist', async () => {
    const yaml = (speak: string) => `version: 1\nid: a\nfamily: pause\ntimeline:\n  - id: t\n    at_ms: 100\n    speak: ${speak}\n`;
    expect((await inputError(() => parseScenario(yaml('{ text: "hi there", annotation: take.rttm }'), scenarioFile, 'a'))).message).toMatch(
      /belongs to a clip/,
    );
    expect((await inputError(() => parseScenario(yaml('{ clip: take.wav, annotation: take.rttm, speech_end_ms: 100 }'), scenarioFile, 'a'))).message).toMatch(
      /both set the end/,
    );
    expect((await inputError(() => parseScenario(yaml('{ clip: take.wav, annotation: { file: nope.ctm } }'), scenarioFile, 'a'))).message).toMatch(
      /annotation not found/,
    );
  });
});

function parseErr(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('an annotated recording played through the runner and scorer', () => {
  const yaml = (annotation: string) => `
version: 1
id: annotated-pause
family: pause
tail_ms: 4000
timeline:
  - id: turn
    at_ms: 300
    speak: { clip: take.wav${annotation} }
    expect: [ { no_takeover: {} }, { take_turn: { within_ms: 1500 } } ]
`;
  let n = 0;
  async function play(annotation: string, pauseTakeoverDelayMs: number | null) {
    const loaded = parseScenario(yaml(annotation), scenarioFile, 'annotated-pause');
    const out = join(dir, `run-${n++}`);
    const adapter = createScriptedAdapter({ answerDelayMs: 430, answerMs: 1800, pauseTakeoverDelayMs, stopDelayMs: 180 });
    const outcome = await runSession({
      loaded,
      sessionId: out,
      dir: out,
      adapter,
      media: createMediaSource({ cacheDir: join(dir, 'cache') }),
      clock: 'virtual',
      harnessVersion: 'test',
    });
    expect(outcome.status, outcome.error).toBe('completed');
    const recording = readRecording(out);
    return { recording, metrics: score(recording).metrics };
  }

  it('an agent that takes the floor for 1.8 s in an annotated mid-turn pause fails no_takeover; one that waits passes', async () => {
    const rude = await play(', annotation: take.rttm', 200);
    const start = rude.recording.events.find((e) => e.type === 'action.start' && e.id === 'turn') as Extract<
      (typeof rude.recording.events)[number],
      { type: 'action.start' }
    >;
    expect(start.pauses).toHaveLength(2);
    expect(Math.abs(start.pauses[0].startMs - (start.startMs + planted.pauses[0].startMs))).toBeLessThanOrEqual(FRAME_MS);
    expect(Math.abs(start.speechEndMs - (start.startMs + planted.speechEndMs))).toBeLessThanOrEqual(FRAME_MS);
    const takeovers = rude.metrics.filter((m) => m.name === 'pause.takeover');
    expect(takeovers.map((m) => [m.subject, m.value, m.passed])).toEqual([
      ['turn#pause1', 1, false],
      ['turn#pause2', 1, false],
    ]);

    const polite = await play(', annotation: take.ctm', null);
    expect(polite.metrics.filter((m) => m.name === 'pause.takeover').map((m) => [m.value, m.passed])).toEqual([
      [0, true],
      [0, true],
    ]);
    const latency = polite.metrics.find((m) => m.name === 'turn_taking.latency_ms')!;
    expect(Math.abs(latency.value! - 430)).toBeLessThanOrEqual(20);
    expect(latency.passed).toBe(true);
  });

  it('without the annotation the same rude agent is not caught: the clip has no pauses to judge (no_pauses)', async () => {
    const plain = await play('', 200);
    const rows = plain.metrics.filter((m) => m.name === 'pause.takeover');
    expect(rows.map((m) => m.reason)).toEqual(['no_pauses']);
  });
});
