/**
 * `crosstalk import fdb-v1.5` on synthetic Full-Duplex-Bench v1.5 input folders built here (vowel
 * voice at planted times over a -65 dBFS floor; testing/peer-layouts.ts), so the importer is tested without
 * the peer's data: the imported scenarios load, their planted times are the metadata's within
 * a 10 ms frame, and the scripted agent played against them in virtual time through the real
 * runner and scorer is judged as planted (one that stops at the interruption passes, one that
 * talks on fails; one that keeps talking through a backchannel, side talk or background passes,
 * one that stops for it fails; at the peer's fixed time an agent already silent is counted as
 * such). An event mixed over the user's question is taken apart with clean_input.wav. Bad input
 * is an InputError (exit 2) naming the file.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScriptedAdapter, type ScriptedBehaviour } from '../../../adapters/scripted/adapter.ts';
import { exitCodeFor } from '../../../cli/exit.ts';
import { InputError } from '../../../harness/errors.ts';
import type { ActionStart } from '../../../harness/recording/events.ts';
import { readRecording } from '../../../harness/recording/reader.ts';
import { runSession } from '../../../harness/runner/session.ts';
import { loadSuite, type LoadedScenario } from '../../../harness/scenario/load.ts';
import { score } from '../../../harness/scoring/score.ts';
import { importCommand } from '../../../cli/commands/import.ts';
import { createMediaSource } from '../../media-source.ts';
import { importFdbV15Suite } from '../fdb-v15-suite.ts';
import { writeV15Input } from '../testing/peer-layouts.ts';

const FRAME_MS = 10;
const dir = mkdtempSync(join(tmpdir(), 'crosstalk-fdb15-synth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The user asks from 300 to 2300 ms; the scripted agent answers at 2730 ms for 6 s, so it is talking at 5 s. */
const OWN: [number, number][] = [[300, 2300]];
const EVENTS = {
  user_interruption: [5000, 6500],
  user_backchannel: [5000, 5400],
  talking_to_other: [5000, 7000],
  background_speech: [5000, 8000],
} as const satisfies Record<string, [number, number]>;

beforeAll(() => {
  const root = join(dir, 'v1_5');
  writeV15Input(join(root, 'user_interruption/1'), { sampleRate: 16_000, durationMs: 12_000, own: OWN, event: [...EVENTS.user_interruption] });
  writeV15Input(join(root, 'user_backchannel/1'), { sampleRate: 24_000, durationMs: 12_000, own: OWN, event: [...EVENTS.user_backchannel] });
  // The user comes back after talking to someone else: replayed as the `rest` clip.
  writeV15Input(join(root, 'talking_to_other/1'), {
    sampleRate: 48_000,
    durationMs: 12_000,
    own: [...OWN, [9000, 10_000]],
    event: [...EVENTS.talking_to_other],
  });
  // No clean_input.wav: the event is cut from input.wav as mixed.
  writeV15Input(join(root, 'background_speech/1'), { sampleRate: 16_000, durationMs: 12_000, own: OWN, event: [...EVENTS.background_speech], clean: false });
  imported = importFdbV15Suite(root, join(dir, 'suite'));
  suite = loadSuite(join(dir, 'suite'), dir);
});
let imported: ReturnType<typeof importFdbV15Suite>;
let suite: LoadedScenario[];
const byTask = (task: string) => suite.find((s) => s.scenario.tags?.includes(task))!;

let runs = 0;
async function play(loaded: LoadedScenario, behaviour: Partial<ScriptedBehaviour> = {}) {
  const out = join(dir, `run-${runs++}`);
  const cache = join(dir, 'cache');
  const outcome = await runSession({
    loaded,
    sessionId: out,
    dir: out,
    adapter: createScriptedAdapter(behaviour),
    media: createMediaSource({ cacheDir: cache, videoCacheDir: cache }),
    clock: 'virtual',
    harnessVersion: 'test',
  });
  expect(outcome.status, outcome.error).toBe('completed');
  const recording = readRecording(out);
  const starts = recording.events.filter((e): e is ActionStart => e.type === 'action.start');
  return { starts, metrics: score(recording).metrics };
}
const row = (metrics: Awaited<ReturnType<typeof play>>['metrics'], name: string) => {
  const found = metrics.filter((m) => m.name === name);
  expect(found, name).toHaveLength(1);
  return found[0];
};
const near = (actual: number, planted: number, within = FRAME_MS) => expect(Math.abs(actual - planted), `${actual} vs ${planted}`).toBeLessThanOrEqual(within);

describe('crosstalk import fdb-v1.5 (synthetic layout)', () => {
  it('a release tree: one scenario per subset, the task mapped to its family, event action and expectations', () => {
    const r = imported;
    expect(r.scenarios.map((s) => [s.id, s.task])).toEqual([
      ['fdb-v1.5-background_speech-1', 'background_speech'],
      ['fdb-v1.5-talking_to_other-1', 'talking_to_other'],
      ['fdb-v1.5-user_backchannel-1', 'user_backchannel'],
      ['fdb-v1.5-user_interruption-1', 'user_interruption'],
    ]);
    expect(r.skipped).toEqual([]);
    const shape = (task: string) => {
      const t = byTask(task).scenario.timeline;
      const event = t.find((a) => a.id === 'event')!;
      return {
        family: byTask(task).scenario.family,
        kinds: t.map((a) => Object.keys(a).find((k) => ['speak', 'backchannel', 'side_talk', 'background'].includes(k))),
        at: event.at_ms,
        expect: event.expect,
      };
    };
    expect(shape('user_interruption')).toEqual({
      family: 'interruption',
      kinds: ['speak', 'speak'],
      at: 5000,
      expect: [{ stop: { within_ms: 1500 } }, { answer: { within_ms: 2500 } }],
    });
    expect(shape('user_backchannel')).toEqual({ family: 'user_backchannel', kinds: ['speak', 'backchannel'], at: 5000, expect: [{ keep_talking: {} }] });
    expect(shape('talking_to_other')).toEqual({ family: 'side_talk', kinds: ['speak', 'side_talk', 'speak'], at: 5000, expect: [{ ignore: {} }] });
    // A background clip carries 500 ms of silence before the event (its truth is the detector's): it starts that much earlier.
    expect(shape('background_speech')).toEqual({ family: 'background', kinds: ['speak', 'background'], at: 4500, expect: [{ ignore: {} }] });
    for (const s of suite) expect(s.scenario.timeline[0].expect).toEqual([{ take_turn: { within_ms: 2000 } }]);
    const text = (task: string) => byTask(task).scenario.description!;
    expect(text('user_interruption')).toMatch(/fixed in the peer's input at \[5, 6.5\] s/);
    expect(text('user_interruption')).toMatch(/input.wav minus clean_input.wav/);
    expect(text('background_speech')).toMatch(/no clean_input.wav: the event is input.wav's span as mixed/);
    expect(text('talking_to_other')).toMatch(/side-talk treatment at 0 dB/);
    expect(readFileSync(byTask('user_interruption').file, 'utf8')).toMatch(/^# Imported by `crosstalk import fdb-v1.5`/);
  });

  it('interruption: planted at the metadata times; an agent that stops passes stop and answer, one that talks on fails stop', async () => {
    const good = await play(byTask('user_interruption'));
    const context = good.starts.find((s) => s.id === 'context')!;
    const event = good.starts.find((s) => s.id === 'event')!;
    near(context.speechStartMs, OWN[0][0]);
    near(context.speechEndMs, OWN[0][1]);
    near(event.speechStartMs, EVENTS.user_interruption[0]);
    near(event.speechEndMs, EVENTS.user_interruption[1]);
    expect(row(good.metrics, 'interruption.stop_latency_ms')).toMatchObject({ passed: true });
    near(row(good.metrics, 'interruption.stop_latency_ms').value!, 180, 20);
    expect(row(good.metrics, 'interruption.answer_latency_ms')).toMatchObject({ passed: true });
    const bad = await play(byTask('user_interruption'), { stopDelayMs: null });
    expect(row(bad.metrics, 'interruption.stop_latency_ms').passed).toBe(false);
  });

  it('user backchannel (a 24 kHz input): planted at the metadata times; keeping on passes keep_talking, stopping fails it', async () => {
    const good = await play(byTask('user_backchannel'));
    const event = good.starts.find((s) => s.id === 'event')!;
    expect(event.kind).toBe('backchannel');
    near(event.speechStartMs, EVENTS.user_backchannel[0]);
    near(event.speechEndMs, EVENTS.user_backchannel[1]);
    expect(row(good.metrics, 'user_backchannel.false_stop_strict')).toMatchObject({ value: 0, passed: true });
    const bad = await play(byTask('user_backchannel'), { stopOnBackchannel: true });
    expect(row(bad.metrics, 'user_backchannel.false_stop_strict')).toMatchObject({ value: 1, passed: false });
  });

  it('talking to others (a 48 kHz input, the user back at 9 s): planted at the metadata times; ignoring passes, stopping for it fails', async () => {
    const good = await play(byTask('talking_to_other'));
    const event = good.starts.find((s) => s.id === 'event')!;
    const rest = good.starts.find((s) => s.id === 'rest')!;
    expect(event.kind).toBe('side_talk');
    near(event.speechStartMs, EVENTS.talking_to_other[0]);
    near(event.speechEndMs, EVENTS.talking_to_other[1]);
    near(rest.speechStartMs, 9000);
    near(rest.speechEndMs, 10_000);
    expect(row(good.metrics, 'side_talk.false_stop')).toMatchObject({ value: 0, passed: true });
    expect(row(good.metrics, 'side_talk.false_response')).toMatchObject({ value: 0, passed: true });
    const bad = await play(byTask('talking_to_other'), { stopOnDistractor: true });
    expect(row(bad.metrics, 'side_talk.false_stop')).toMatchObject({ value: 1, passed: false });
  });

  it('background speech (no clean_input.wav): planted at the metadata times; ignoring passes, stopping for it fails', async () => {
    const good = await play(byTask('background_speech'));
    const event = good.starts.find((s) => s.id === 'event')!;
    expect(event.kind).toBe('background');
    near(event.speechStartMs, EVENTS.background_speech[0]);
    near(event.speechEndMs, EVENTS.background_speech[1]);
    expect(row(good.metrics, 'background.false_stop')).toMatchObject({ value: 0, passed: true });
    expect(row(good.metrics, 'background.false_takeover')).toMatchObject({ value: 0, passed: true });
    const bad = await play(byTask('background_speech'), { stopOnDistractor: true });
    expect(row(bad.metrics, 'background.false_stop')).toMatchObject({ value: 1, passed: false });
  });

  it("at the peer's fixed time an agent already silent is not judged as stopping (a backchannel then fails keep_talking); --overlap-after-agent-ms plays the event while it talks", async () => {
    // A 1 s answer is over by 5 s: the interruption finds the agent silent (stop N/A, counted).
    const late = await play(byTask('user_interruption'), { answerMs: 1000 });
    expect(row(late.metrics, 'interruption.stop_latency_ms').reason).toBe('agent_silent_at_onset');
    // A backchannel at the peer's time after the agent has finished is not "kept talking": failed, with the reason.
    const quiet = await play(byTask('user_backchannel'), { answerMs: 1000 });
    expect(row(quiet.metrics, 'user_backchannel.false_stop_strict')).toMatchObject({ value: 1, passed: false, reason: 'agent_silent_at_onset' });
    const out = join(dir, 'suite-after');
    importFdbV15Suite(join(dir, 'v1_5/user_interruption'), out, { overlapAfterAgentMs: 500 });
    const [triggered] = loadSuite(out, dir);
    const { starts, metrics } = await play(triggered, { answerMs: 1000 });
    const context = starts.find((s) => s.id === 'context')!;
    const event = starts.find((s) => s.id === 'event')!;
    near(event.speechStartMs, context.speechEndMs + 430 + 500, 20);
    near(event.speechEndMs - event.speechStartMs, EVENTS.user_interruption[1] - EVENTS.user_interruption[0]);
    near(row(metrics, 'interruption.stop_latency_ms').value!, 180, 20);
  });

  it("an event mixed over the user's question is taken apart with clean_input.wav; without it the question is cut at the event", async () => {
    // Background speech from 1.5 to 4 s under a question that ends at 2.3 s.
    const root = join(dir, 'premixed');
    writeV15Input(join(root, 'with/background_speech/1'), { sampleRate: 16_000, durationMs: 9000, own: OWN, event: [1500, 4000] });
    writeV15Input(join(root, 'without/background_speech/1'), { sampleRate: 16_000, durationMs: 9000, own: OWN, event: [1500, 4000], clean: false });
    const truth = async (which: string) => {
      importFdbV15Suite(join(root, which), join(root, `${which}-suite`));
      const [loaded] = loadSuite(join(root, `${which}-suite`), dir);
      const { starts, metrics } = await play(loaded);
      return { context: starts.find((s) => s.id === 'context')!, event: starts.find((s) => s.id === 'event')!, metrics };
    };
    const apart = await truth('with');
    near(apart.context.speechEndMs, 2300);
    near(apart.event.speechStartMs, 1500);
    near(apart.event.speechEndMs, 4000);
    // The scripted agent was silent at the onset and did not answer the background: no false takeover.
    expect(row(apart.metrics, 'background.false_takeover')).toMatchObject({ value: 0, passed: true });
    const cut = await truth('without');
    near(cut.context.speechEndMs, 1500);
    near(cut.event.speechStartMs, 1500);
    near(cut.event.speechEndMs, 4000);
    // A clean_input.wav that does not line up with input.wav (its question 600 ms later) is not used to take them apart.
    writeV15Input(join(root, 'shifted/background_speech/1'), { sampleRate: 16_000, durationMs: 9000, own: OWN, event: [1500, 4000] });
    writeV15Input(join(root, 'other'), { sampleRate: 16_000, durationMs: 9000, own: [[900, 2900]], event: [1500, 4000] });
    copyFileSync(join(root, 'other/clean_input.wav'), join(root, 'shifted/background_speech/1/clean_input.wav'));
    const shifted = await truth('shifted');
    near(shifted.context.speechEndMs, 1500);
    const [loaded] = loadSuite(join(root, 'shifted-suite'), dir);
    expect(loaded.scenario.description).toMatch(/clean_input.wav does not match input.wav outside the event/);
  });

  it('bad input: exit 2 naming the file (a missing metadata.json or input.wav, a wrong JSON shape, an event outside input.wav, no sample)', () => {
    const bad = join(dir, 'bad');
    const expectBad = (sample: string, pattern: RegExp, file: string) => {
      let caught: unknown;
      try {
        importCommand({
          format: 'fdb-v1.5',
          dir: join(bad, sample),
          o: join(dir, 'x'),
          'take-turn-within-ms': 2000,
          'stop-within-ms': 1500,
          'answer-within-ms': 2500,
        });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(InputError);
      expect(exitCodeFor(caught)).toBe(2);
      expect((caught as InputError).describe()).toMatch(pattern);
      expect((caught as InputError).file).toBe(join(bad, file));
    };
    const ok = { sampleRate: 16_000, durationMs: 8000, own: OWN, event: [5000, 6000] as [number, number] };
    writeV15Input(join(bad, 'user_interruption/no-meta'), ok);
    rmSync(join(bad, 'user_interruption/no-meta/metadata.json'));
    expectBad('user_interruption/no-meta', /missing metadata.json/, 'user_interruption/no-meta/metadata.json');
    writeV15Input(join(bad, 'user_interruption/no-input'), ok);
    rmSync(join(bad, 'user_interruption/no-input/input.wav'));
    expectBad('user_interruption/no-input', /missing input.wav/, 'user_interruption/no-input/input.wav');
    writeV15Input(join(bad, 'user_interruption/shape'), { ...ok, metadata: { context_text: 'hi', timestamps: 'soon' } });
    expectBad('user_interruption/shape', /timestamps: expected \[start, end\] in seconds/, 'user_interruption/shape/metadata.json');
    writeV15Input(join(bad, 'user_interruption/list'), { ...ok, metadata: [5, 6] });
    expectBad('user_interruption/list', /expected an object/, 'user_interruption/list/metadata.json');
    writeV15Input(join(bad, 'user_interruption/text'), { ...ok, metadata: { context_text: 3, timestamps: [5, 6] } });
    expectBad('user_interruption/text', /context_text: expected a string/, 'user_interruption/text/metadata.json');
    writeV15Input(join(bad, 'user_interruption/json'), { ...ok, metadata: '{"timestamps": [5, ' });
    expectBad('user_interruption/json', /cannot read JSON/, 'user_interruption/json/metadata.json');
    writeV15Input(join(bad, 'user_interruption/late'), { ...ok, metadata: { timestamps: [7.5, 9] } });
    expectBad('user_interruption/late', /not inside input.wav \(8.000 s\)/, 'user_interruption/late/metadata.json');
    // A subset folder in which one sample lacks its metadata: the import stops on that file.
    writeV15Input(join(bad, 'user_backchannel/1'), ok);
    writeV15Input(join(bad, 'user_backchannel/2'), ok);
    rmSync(join(bad, 'user_backchannel/2/metadata.json'));
    expectBad('user_backchannel', /missing metadata.json/, 'user_backchannel/2/metadata.json');
    writeV15Input(join(bad, 'mystery/1'), ok);
    expectBad('mystery/1', /no sample could be imported/, 'mystery/1');
    writeFileSync(join(bad, 'note.txt'), 'not a folder');
    expectBad('note.txt', /not a folder/, 'note.txt');
  });
});
