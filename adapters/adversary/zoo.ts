/**
 * The adversary zoo: play suites against a system in virtual time through the real runner and
 * scorer, and summarise per scenario family how many sessions passed and how each metric
 * family's verdicts came out. Used by `npm run bench -- adversaries` and its tests.
 *
 * A family's pass rate is the share of its scenarios in which every expectation held: a session
 * asks for all of them, so one behaviour alone does not pass it. Some families ask for opposite
 * behaviour, and a one-sided policy passes one side by construction: answering every silence
 * passes turn_taking (and fails pause), yielding to every sound passes interruption (and fails
 * user_backchannel), speaking up in the user's pauses passes backchannel (and fails pause). A
 * family's headline is therefore the mean of its pass rate and its counterparts' (COUNTERPARTS),
 * and its own pass rate where it has none; a long session's is the share of its verdicts held.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Adapter } from '../../harness/adapter.ts';
import type { MediaSource } from '../../harness/media.ts';
import { readRecording } from '../../harness/recording/reader.ts';
import { sessionVerdict } from '../../harness/runner/run.ts';
import { runSession } from '../../harness/runner/session.ts';
import { loadSuite } from '../../harness/scenario/load.ts';
import { score } from '../../harness/scoring/score.ts';
import type { MetricValue } from '../../harness/scoring/types.ts';

/** Families asking for the opposite behaviour: take the turn / wait; yield / talk on; speak up in the user's turn / keep quiet in it. */
const COUNTERPARTS: Readonly<Record<string, readonly string[]>> = {
  turn_taking: ['pause'],
  pause: ['turn_taking'],
  backchannel: ['pause'],
  interruption: ['user_backchannel'],
  user_backchannel: ['interruption'],
};

/**
 * Families an adversary passes although it games nothing there, or through a stated blind spot
 * of the rules; each with why. Its counterparts fail it, so its headline stays below the
 * reference agent's (checked).
 */
export const PASSES_EXPLAINED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'yield-all': {
    turn_taking: 'answering 300 ms after the turn ends is right where the user does not pause',
    interruption: 'stopping for a barge-in is right',
    backchannel:
      "an answer begun in a short pause and cut off 100 ms after the user resumes lasts under 1 s: without words it is a backchannel (the blind spot of Full-Duplex-Bench's duration rule too)",
    pause: 'the same blind spot in pauses under about 1.3 s; longer pauses fail it',
    background: 'where the bed starts while it is silent and the question comes over it, answering the question and nothing else is right',
  },
};

/** Families where the reference agent does not lead the adversaries, and why (reported, not hidden). */
export const REFERENCE_BEHIND: Readonly<Record<string, string>> = {
  simultaneous_speech: 'the reference agent does not interpret: it passes no session of the family, so nothing can rank below it',
  background_task:
    "the reference agent never names what it looked up (its keyword spotter hears the task's verb, not its object), so no delivery passes the suite's content check: nothing can rank below it",
};

/** A long session holds hundreds of expectations of every family: its headline is the share of them held, not whether all were. */
const LONG_SESSION = 'long_session';

/** Every suite, for the zoo. */
export const ZOO_SUITES = [
  'core',
  'visual_interjection',
  'side_talk',
  'background',
  'time_awareness',
  'simultaneous_speech',
  'background_task',
  'vocal_tics',
  'long_session',
] as const;
/** At most this share of a family's sessions may pass for an adversary. */
export const MAX_ADVERSARY_PASS_RATE = 0.1;

export interface PlayedSession {
  scenarioKey: string;
  /** The scenario's family. */
  family: string;
  passed: boolean;
  metrics: MetricValue[];
}

export interface ZooMedia {
  media: MediaSource;
  scenariosRoot: string;
}

/** Every scenario of `suite` (or the first `perFamily` of each family) against `adapter`, virtual time, scored. */
export async function playSuite(adapter: Adapter, suite: string, m: ZooMedia, perFamily = Infinity): Promise<PlayedSession[]> {
  const dir = mkdtempSync(join(tmpdir(), 'crosstalk-zoo-'));
  const taken = new Map<string, number>();
  const selected = loadSuite(suite, m.scenariosRoot).filter((s) => {
    const n = taken.get(s.scenario.family) ?? 0;
    taken.set(s.scenario.family, n + 1);
    return n < perFamily;
  });
  try {
    const out: PlayedSession[] = [];
    for (const s of selected) {
      const d = join(dir, s.scenario.id);
      const outcome = await runSession({ loaded: s, sessionId: s.key, dir: d, adapter, media: m.media, clock: 'virtual', harnessVersion: 'zoo' });
      const scored = score(readRecording(d));
      out.push({ scenarioKey: s.key, family: s.scenario.family, passed: sessionVerdict(outcome, scored) === 'passed', metrics: scored.metrics });
      rmSync(d, { recursive: true, force: true });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface FamilyOutcome {
  family: string;
  sessions: number;
  passed: number;
  /** The family's own expectations (`<family>.verdict` rows), wherever they appeared; for long_session, every verdict in its sessions. */
  verdicts: number;
  verdictsPassed: number;
}

/** Per scenario family: sessions and passes, and the metric family's verdicts. */
export function familyOutcomes(played: readonly PlayedSession[]): FamilyOutcome[] {
  const families = [...new Set(played.map((p) => p.family))];
  return families.map((family) => {
    const sessions = played.filter((p) => p.family === family);
    const verdicts =
      family === LONG_SESSION
        ? sessions.flatMap((p) => p.metrics).filter((m) => m.name.endsWith('.verdict'))
        : played.flatMap((p) => p.metrics).filter((m) => m.name === `${family}.verdict`);
    return {
      family,
      sessions: sessions.length,
      passed: sessions.filter((p) => p.passed).length,
      verdicts: verdicts.length,
      verdictsPassed: verdicts.filter((m) => m.value === 1).length,
    };
  });
}

export const passRate = (f: FamilyOutcome): number => (f.sessions ? f.passed / f.sessions : 0);

const headlineRate = (f: FamilyOutcome): number => (f.family === LONG_SESSION ? (f.verdicts ? f.verdictsPassed / f.verdicts : 0) : passRate(f));

/** Each family's headline (see the file comment): its pass rate, averaged with its counterparts' that were played. */
export function headlines(outcomes: readonly FamilyOutcome[]): Map<string, number> {
  const byFamily = new Map(outcomes.map((f) => [f.family, f]));
  return new Map(
    outcomes.map((f) => {
      const group = [f, ...(COUNTERPARTS[f.family] ?? []).flatMap((c) => byFamily.get(c) ?? [])];
      return [f.family, group.reduce((sum, g) => sum + headlineRate(g), 0) / group.length];
    }),
  );
}
