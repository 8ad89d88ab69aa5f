/**
 * Test support: stores with real data. Small scenarios played in virtual time (fast and
 * deterministic) against an adapter the test passes in (the scripted agent, usually), scored
 * and stored by the real runner, recordings kept on disk.
 */
import { join } from 'node:path';
import type { Adapter } from '../../adapter.ts';
import { runSuite, type RunResult } from '../../runner/run.ts';
import { toneMediaSource } from '../../runner/testing/tone-media.ts';
import { parseScenario } from '../../scenario/load.ts';
import { Store } from '../store.ts';

/** Three families with expectations; the scripted agent's defaults pass them all. */
export const FIXTURE_SCENARIOS: Record<string, string> = {
  'ask-time': `
version: 1
id: ask-time
family: turn_taking
title: Asks the time
tags: [smoke]
tail_ms: 2500
timeline:
  - id: ask
    at_ms: 300
    speak: { text: "what time is it" }
    expect: [ { take_turn: { within_ms: 1500 } } ]
`,
  'mid-pause': `
version: 1
id: mid-pause
family: pause
tail_ms: 2000
timeline:
  - id: say
    at_ms: 300
    speak: { text: "I was thinking we could go", pauses: [ { after_word: 3, ms: 1200 } ] }
    expect: [ { no_takeover: {} }, { take_turn: { within_ms: 1500 } } ]
`,
  barge: `
version: 1
id: barge
family: interruption
tags: [smoke]
tail_ms: 2500
timeline:
  - id: ask
    at_ms: 300
    speak: { text: "tell me a story" }
    expect: [ { take_turn: { within_ms: 2000 } } ]
  - id: barge
    after: { event: agent_speech_start, delay_ms: 800, timeout_ms: 6000 }
    speak: { text: "wait stop" }
    expect: [ { stop: { within_ms: 1000 } }, { answer: { within_ms: 2500 } } ]
`,
};

/** A user backchannel over a long answer: with the barge-in, where yielding and talking on trade off. */
export const USER_BACKCHANNEL_SCENARIO = `
version: 1
id: user-bc
family: user_backchannel
tail_ms: 2500
timeline:
  - id: ask
    at_ms: 300
    speak: { text: "tell me a story" }
    expect: [ { take_turn: { within_ms: 2000 } } ]
  - id: bc
    after: { event: agent_speech_start, delay_ms: 800, timeout_ms: 6000 }
    backchannel: { text: "mm hmm" }
    expect: [ { keep_talking: {} } ]
`;

interface FixtureRun {
  store: Store;
  run: RunResult;
}

/**
 * Play `scenarios` (YAML texts; default FIXTURE_SCENARIOS) `repeat` times against `adapter`
 * into the store at `storePath` (recordings under `<dir of store>/recordings`).
 */
export async function playIntoStore(
  storePath: string,
  adapter: Adapter,
  opts: { repeat?: number; scenarios?: Record<string, string>; label?: string; recordingsDir: string },
): Promise<FixtureRun> {
  const texts = opts.scenarios ?? FIXTURE_SCENARIOS;
  const scenarios = Object.entries(texts).map(([name, text]) => parseScenario(text, join(opts.recordingsDir, `${name}.yaml`), 'fixture'));
  const store = await Store.open(storePath);
  const run = await runSuite({
    scenarios,
    adapter,
    media: toneMediaSource(),
    clock: 'virtual',
    repeat: opts.repeat ?? 1,
    workers: 1,
    recordingsDir: opts.recordingsDir,
    store,
    suite: 'fixture',
    label: opts.label,
  });
  return { store, run };
}
