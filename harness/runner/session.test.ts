/**
 * Known-answer tests of the engine: the scripted agent acts at planted delays; the runner
 * records, the scorer measures, and the numbers must come back exactly (virtual time) or
 * within one 20 ms frame (real time).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSession } from './session.ts';
import { liveNiceAsked } from '../priority.ts';
import { parseScenario } from '../scenario/load.ts';
import { readRecording } from '../recording/reader.ts';
import { score } from '../scoring/score.ts';
import { toneMediaSource } from './testing/tone-media.ts';
import { createNoise } from '../../datasets/noise.ts';
import { createScriptedAdapter, type ScriptedBehaviour } from '../../adapters/scripted/adapter.ts';
import type { MetricValue } from '../scoring/types.ts';
import type { Adapter, AdapterSession, TruthEvent } from '../adapter.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crosstalk-session-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scenarios = {
  turn: `
version: 1
id: kat-turn
family: turn_taking
tail_ms: 3000
timeline:
  - id: ask
    at_ms: 500
    speak: { text: "what time is it now" }
    expect: [ { take_turn: { within_ms: 1500 } } ]
`,
  pause: `
version: 1
id: kat-pause
family: pause
tail_ms: 2000
timeline:
  - id: say
    at_ms: 300
    speak: { text: "I was thinking that we could go", pauses: [ { after_word: 3, ms: 1500 } ] }
    expect: [ { no_takeover: {} }, { take_turn: { within_ms: 1500 } } ]
`,
  barge: `
version: 1
id: kat-barge
family: interruption
tail_ms: 3000
timeline:
  - id: ask
    at_ms: 400
    speak: { text: "tell me a long story" }
    expect: [ { take_turn: { within_ms: 2000 } } ]
  - id: barge
    after: { event: agent_speech_start, delay_ms: 1000, timeout_ms: 8000 }
    speak: { text: "wait stop please" }
    expect: [ { stop: { within_ms: 1500 } }, { answer: { within_ms: 2500 } } ]
`,
  mhm: `
version: 1
id: kat-mhm
family: user_backchannel
tail_ms: 1000
timeline:
  - id: ask
    at_ms: 400
    speak: { text: "explain how tides work" }
    expect: [ { take_turn: { within_ms: 2000 } } ]
  - id: mhm
    after: { event: agent_speech_start, delay_ms: 1500, timeout_ms: 8000 }
    backchannel: { text: "mm-hmm" }
    expect: [ { keep_talking: {} } ]
`,
};

async function play(name: keyof typeof scenarios, behaviour: Partial<ScriptedBehaviour>, clock: 'real' | 'virtual', tag = '') {
  const loaded = parseScenario(scenarios[name], join(dir, `${name}.yaml`), 'kat');
  const out = join(dir, `${name}-${clock}${tag}`);
  const outcome = await runSession({
    loaded,
    sessionId: `s-${name}-${clock}${tag}`,
    dir: out,
    adapter: createScriptedAdapter(behaviour),
    media: toneMediaSource(),
    clock,
    harnessVersion: 'test',
  });
  expect(outcome.status).toBe('completed');
  const recording = readRecording(out);
  return { outcome, recording, metrics: score(recording).metrics };
}

const one = (metrics: MetricValue[], name: string, subject?: string) => {
  const found = metrics.filter((m) => m.name === name && (subject === undefined || m.subject === subject));
  expect(found, `${name} ${subject ?? ''}`).toHaveLength(1);
  return found[0];
};

/** An adapter whose sessions are `inner`'s with some methods replaced (a session's methods live on its prototype). */
function withSession(inner: Adapter, replace: (s: AdapterSession) => Partial<AdapterSession>): Adapter {
  return {
    ...inner,
    async open(ctx) {
      const s = await inner.open(ctx);
      return { ...s, observeTruth: s.observeTruth?.bind(s), close: () => s.close(), sendAudio: (pcm, nowMs) => s.sendAudio(pcm, nowMs), ...replace(s) };
    },
  };
}

/** One sample at 16 kHz. */
const SAMPLE_MS = 1000 / 16_000;

describe('runner known answers, virtual time (exact to the sample)', () => {
  for (const delay of [230, 430, 870]) {
    it(`turn-taking latency ${delay} ms`, async () => {
      const { metrics } = await play('turn', { answerDelayMs: delay }, 'virtual');
      const latency = one(metrics, 'turn_taking.latency_ms');
      expect(Math.abs(latency.value! - delay)).toBeLessThanOrEqual(SAMPLE_MS);
      expect(latency.passed).toBe(true);
    });
  }

  it('an early takeover is negative, not clipped to zero', async () => {
    const { metrics } = await play('turn', { answerDelayMs: -250 }, 'virtual');
    expect(Math.abs(one(metrics, 'turn_taking.latency_ms').value! + 250)).toBeLessThanOrEqual(SAMPLE_MS);
    expect(one(metrics, 'turn_taking.early').value).toBe(1);
    expect(one(metrics, 'turn_taking.latency_ms').passed).toBe(false);
  });

  it('a missed turn is a missed turn', async () => {
    const { metrics } = await play('turn', { answerDelayMs: null }, 'virtual');
    expect(one(metrics, 'turn_taking.latency_ms').value).toBeNull();
    expect(one(metrics, 'turn_taking.takeover').value).toBe(0);
  });

  it('pause takeover is seen; waiting through the pause is not one', async () => {
    const bad = await play('pause', { pauseTakeoverDelayMs: 600, answerMs: 1200 }, 'virtual', '-bad');
    expect(one(bad.metrics, 'pause.takeover').value).toBe(1);
    const good = await play('pause', { pauseTakeoverDelayMs: null }, 'virtual', '-good');
    expect(one(good.metrics, 'pause.takeover').value).toBe(0);
    expect(Math.abs(one(good.metrics, 'turn_taking.latency_ms').value! - 430)).toBeLessThanOrEqual(SAMPLE_MS);
  });

  it('barge-in lands 1000 ms after the agent starts; stop and answer latencies are exact', async () => {
    const { metrics, recording } = await play('barge', { answerDelayMs: 300, stopDelayMs: 180 }, 'virtual');
    const fired = recording.events.find((e) => e.type === 'trigger.fired');
    const onset = recording.events.find((e) => e.type === 'agent.speech_start');
    expect(fired && onset && fired.type === 'trigger.fired' && onset.type === 'agent.speech_start').toBe(true);
    if (fired?.type === 'trigger.fired' && onset?.type === 'agent.speech_start') expect(fired.atMs - onset.onsetMs).toBeCloseTo(1000, 6);
    expect(Math.abs(one(metrics, 'interruption.stop_latency_ms').value! - 180)).toBeLessThanOrEqual(SAMPLE_MS);
    expect(one(metrics, 'interruption.stopped').value).toBe(1);
    expect(Math.abs(one(metrics, 'interruption.answer_latency_ms').value! - 300)).toBeLessThanOrEqual(SAMPLE_MS);
  });

  it('user backchannel: keeping on is not a false stop, stopping is', async () => {
    const good = await play('mhm', { stopDelayMs: 150 }, 'virtual', '-good');
    expect(one(good.metrics, 'user_backchannel.false_stop').value).toBe(0);
    const bad = await play('mhm', { stopDelayMs: 150, stopOnBackchannel: true }, 'virtual', '-bad');
    expect(one(bad.metrics, 'user_backchannel.false_stop').value).toBe(1);
  });

  it('virtual time gives identical recordings on every run', async () => {
    const a = await play('barge', {}, 'virtual', '-a');
    const b = await play('barge', {}, 'virtual', '-b');
    expect(Buffer.from(a.recording.agent.buffer).equals(Buffer.from(b.recording.agent.buffer))).toBe(true);
    expect(a.metrics).toEqual(b.metrics);
  });

  it('streamed delivery measures the same as a burst', async () => {
    const { metrics } = await play('turn', { answerDelayMs: 430, delivery: 'stream' }, 'virtual', '-stream');
    expect(Math.abs(one(metrics, 'turn_taking.latency_ms').value! - 430)).toBeLessThanOrEqual(SAMPLE_MS);
  });
});

describe('runner known answers, real time (within one 20 ms frame)', () => {
  it('turn-taking 430 ms and barge-in stop 180 ms', async () => {
    const turn = await play('turn', { answerDelayMs: 430 }, 'real');
    expect(Math.abs(one(turn.metrics, 'turn_taking.latency_ms').value! - 430)).toBeLessThan(20);
    const barge = await play('barge', { answerDelayMs: 300, stopDelayMs: 180 }, 'real');
    expect(Math.abs(one(barge.metrics, 'interruption.stop_latency_ms').value! - 180)).toBeLessThan(20);
    expect(barge.outcome.pacing.frames).toBeGreaterThan(100);
  });
});

describe('runner robustness', () => {
  it('an adapter whose sendAudio throws ends the session as errored, in real and virtual time', async () => {
    const loaded = parseScenario(scenarios.turn, join(dir, 'turn.yaml'), 'kat');
    for (const clock of ['virtual', 'real'] as const) {
      let frames = 0;
      const adapter = withSession(createScriptedAdapter(), () => ({
        sendAudio: () => {
          if (++frames === 10) throw new Error('codec crashed');
        },
      }));
      const out = join(dir, `throws-${clock}`);
      const outcome = await runSession({ loaded, sessionId: `throws-${clock}`, dir: out, adapter, media: toneMediaSource(), clock, harnessVersion: 'test' });
      expect(outcome.status).toBe('errored');
      expect(outcome.error).toMatch(/codec crashed/);
      const rec = readRecording(out);
      expect(rec.events.at(-1)?.type).toBe('session.end');
    }
  });

  it('a harness stall next to the user turn end flags the session; a virtual-time session is never flagged', async () => {
    const loaded = parseScenario(scenarios.turn, join(dir, 'turn.yaml'), 'kat');
    const virtual = await play('turn', { answerDelayMs: 430 }, 'virtual', '-timing');
    expect(virtual.outcome.timing).toMatchObject({ harnessErrorMs: 0, flagged: false, playout: { underruns: 0 } });
    expect(virtual.outcome.timing.liveNice).toBeUndefined();
    let turnEndMs = Infinity;
    let stalled = false;
    const adapter = withSession(createScriptedAdapter({ answerDelayMs: 430 }), (s) => ({
      observeTruth: (e: TruthEvent) => {
        if (e.type === 'user_turn_end') turnEndMs = e.startMs;
        s.observeTruth?.(e);
      },
      sendAudio: (pcm: Int16Array, nowMs: number) => {
        // The event loop is held for 50 ms at the turn end, as a scoring burst would hold it.
        if (!stalled && nowMs >= turnEndMs) {
          stalled = true;
          const until = performance.now() + 50;
          while (performance.now() < until);
        }
        return s.sendAudio(pcm, nowMs);
      },
    }));
    const out = join(dir, 'stall-real');
    const outcome = await runSession({ loaded, sessionId: 'stall-real', dir: out, adapter, media: toneMediaSource(), clock: 'real', harnessVersion: 'test' });
    expect(stalled).toBe(true);
    expect(outcome.timing.harnessErrorMs).toBeGreaterThanOrEqual(25);
    expect(outcome.timing.flagged).toBe(true);
    const end = readRecording(out).events.at(-1);
    expect(end?.type === 'session.end' && end.timing?.flagged).toBe(true);
    // The session raised this thread (its live loop) to the live loop's priority, where allowed, and says at which it ran.
    expect(end?.type === 'session.end' && end.timing?.liveNice).toBe(getPriority());
    const asked = liveNiceAsked();
    if (process.getuid?.() === 0 && asked !== undefined) expect(getPriority()).toBe(asked);
    // ...and whether the thread that wakes it at each deadline ran in the real-time class (harness/priority.ts).
    if (asked !== undefined) expect(end?.type === 'session.end' && end.timing?.wakeRealtime).toBe(process.getuid?.() === 0);
  });

  it('real time: the noise floor drawn in the noise thread is the one drawn in the step in virtual time, and session.end counts the waits for it', async () => {
    const yaml = scenarios.turn.replace('tail_ms: 3000', 'tail_ms: 1000\nnoise: { kind: room_tone, level_dbfs: -50 }');
    const loaded = parseScenario(yaml, join(dir, 'noise.yaml'), 'kat');
    // The suites' floor (it has a recipe, so real time draws it in the thread) under tone speech.
    const media = { ...toneMediaSource(), noise: createNoise };
    const users: Int16Array[] = [];
    for (const clock of ['virtual', 'real'] as const) {
      const out = join(dir, `noise-${clock}`);
      const adapter = createScriptedAdapter({ answerMs: 600 });
      const outcome = await runSession({ loaded, sessionId: `noise-${clock}`, dir: out, adapter, media, clock, harnessVersion: 'test' });
      expect(outcome.status).toBe('completed');
      if (clock === 'real') {
        expect(outcome.timing.noiseWaits?.count).toBeGreaterThanOrEqual(0);
        expect(outcome.timing.noiseWaits?.totalMs).toBeGreaterThanOrEqual(0);
      } else expect(outcome.timing.noiseWaits).toBeUndefined();
      users.push(readRecording(out).user);
    }
    const [virtual, real] = users;
    const n = Math.min(virtual.length, real.length);
    expect(n).toBeGreaterThan(16_000);
    expect(real.subarray(0, n)).toEqual(virtual.subarray(0, n));
  });
});
