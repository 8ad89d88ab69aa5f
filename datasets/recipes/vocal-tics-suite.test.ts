/**
 * The vocal_tics suite: what the recipe covers, and known answers for planted agents played
 * through the real runner and scorer in virtual time (scripted: it reads the planted truth, so
 * each outcome is known before the run). The files on disk are checked against the recipe with
 * the other conversation suites (conversation-suites.test.ts).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createScriptedAdapter, type ScriptedBehaviour } from '../../adapters/scripted/adapter.ts';
import { playSuite, type ZooMedia } from '../../adapters/adversary/zoo.ts';
import { TIC_SOUNDS } from '../../harness/scenario/schema.ts';
import { createMediaSource } from '../media-source.ts';
import { buildSuite, SCENARIOS_DIR } from './conversation-suites.ts';
import { PLAN } from './vocal-tics-suite.ts';

const zoo: ZooMedia = { media: createMediaSource(), scenariosRoot: SCENARIOS_DIR };
const byPlacement = (placement: string) =>
  PLAN.flatMap((p, i) => (p.placement === placement ? [`vocal_tics/vocal-tics-${String(i + 1).padStart(2, '0')}`] : []));
const IN_TURN = byPlacement('in-turn');
const DURING_SPEECH = byPlacement('during-agent-speech');
const IN_SILENCE = byPlacement('during-silence');

describe('vocal_tics suite', () => {
  it('covers every sound, inside turns and between them, over agent speech and silence, each judged in vocal_tics', () => {
    const suite = buildSuite('vocal_tics');
    expect(suite.map((s) => join('vocal_tics', s.id))).toEqual([...IN_TURN, ...DURING_SPEECH, ...IN_SILENCE].sort());
    expect(new Set(PLAN.flatMap((p) => p.sounds))).toEqual(new Set(TIC_SOUNDS));
    expect([IN_TURN.length, DURING_SPEECH.length, IN_SILENCE.length]).toEqual([4, 3, 3]);
    for (const s of suite) {
      const kinds = s.timeline.flatMap((a) => (a.expect ?? []).flatMap((e) => Object.keys(e)));
      const turns = s.timeline.filter((a) => a.speak);
      // Every turn end expects take_turn; tics inside a turn expect no_takeover; tics of their own keep_talking or ignore.
      expect(turns.every((a) => a.expect?.some((e) => e.take_turn))).toBe(true);
      if (turns.some((a) => a.speak!.tics?.length)) expect(kinds).toContain('no_takeover');
      for (const a of s.timeline.filter((x) => x.vocal_tic)) expect(a.expect!.some((e) => e.keep_talking ?? e.ignore)).toBe(true);
    }
  });
});

/** Keys of the sessions a planted agent passes, and the vocal_tics verdicts it failed with their reasons. */
async function play(behaviour: Partial<ScriptedBehaviour>) {
  const played = await playSuite(createScriptedAdapter(behaviour), 'vocal_tics', zoo);
  const failedVerdicts = played.flatMap((p) =>
    p.metrics.filter((m) => m.name === 'vocal_tics.verdict' && m.value === 0).map((m) => `${p.scenarioKey} ${m.subject} ${m.reason ?? m.note?.split(':')[0]}`),
  );
  return { passed: played.filter((p) => p.passed).map((p) => p.scenarioKey), failedVerdicts };
}

describe('planted agents on the vocal_tics suite (virtual time)', () => {
  it('an agent that answers turns and ignores every tic passes every session', async () => {
    const { passed, failedVerdicts } = await play({});
    expect(failedVerdicts).toEqual([]);
    expect(passed).toHaveLength(10);
  });

  it('one that stops 180 ms into a tic fails the tics it was talking over, and only those', async () => {
    const { passed, failedVerdicts } = await play({ stopOnDistractor: true });
    expect(failedVerdicts).toEqual(DURING_SPEECH.map((k) => `${k} tic/keep_talking vocal_tics.false_stop`));
    expect(passed).toEqual([...IN_TURN, ...IN_SILENCE]);
  });

  it('one that answers a tic 300 ms after it fails the tics in silence and takes the floor in the in-turn hesitations', async () => {
    const { passed, failedVerdicts } = await play({ respondToDistractorDelayMs: 300 });
    expect(failedVerdicts).toEqual([
      ...IN_TURN.map((k) => `${k} ask/no_takeover vocal_tics.takeover`),
      ...IN_SILENCE.map((k) => `${k} tic/ignore vocal_tics.false_response`),
    ]);
    expect(passed).toEqual(DURING_SPEECH);
  });

  it('one that takes the floor 300 ms into any pause fails the in-turn hesitations', async () => {
    const { passed, failedVerdicts } = await play({ pauseTakeoverDelayMs: 300 });
    expect(failedVerdicts).toEqual(IN_TURN.map((k) => `${k} ask/no_takeover vocal_tics.takeover`));
    expect(passed).toEqual([...DURING_SPEECH, ...IN_SILENCE]);
  });

  it('one whose answers end before the tic comes gets no pass on the tics meant for its speech', async () => {
    const { failedVerdicts } = await play({ answerMs: 1000 });
    expect(failedVerdicts).toEqual(DURING_SPEECH.map((k) => `${k} tic/keep_talking agent_silent_at_onset`));
  });
});
