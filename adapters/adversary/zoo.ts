/**
 * The adversary zoo: play suites against a system in virtual time through the real runner and
 * scorer, and summarise per scenario family how many sessions passed and how each metric
 * family's verdicts came out. Used by `npm run bench -- adversaries` and its tests.
 *
 * A family's headline is its session pass rate: the share of the family's scenarios in which
 * every expectation held. It cannot be won by one behaviour alone (silence holds pauses,
 * talking over everything never stops for "mm-hmm"): a session asks for all of them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Adapter } from '../../harness/adapter.ts';
import type { MediaSource } from '../../harness/media.ts';
import type { AvMedia } from '../../harness/runner/av-media.ts';
import { readRecording } from '../../harness/recording/reader.ts';
import { sessionStatus } from '../../harness/runner/run.ts';
import { runSession } from '../../harness/runner/session.ts';
import { loadSuite } from '../../harness/scenario/load.ts';
import { score } from '../../harness/scoring/score.ts';
import type { MetricValue } from '../../harness/scoring/types.ts';

export interface PlayedSession {
  scenarioKey: string;
  /** The scenario's family. */
  family: string;
  passed: boolean;
  metrics: MetricValue[];
}

export interface ZooMedia {
  media: MediaSource;
  av?: AvMedia;
  scenariosRoot: string;
}

/** Every scenario of `suite` against `adapter`, virtual time, scored. */
export async function playSuite(adapter: Adapter, suite: string, m: ZooMedia): Promise<PlayedSession[]> {
  const dir = mkdtempSync(join(tmpdir(), 'crosstalk-zoo-'));
  try {
    const out: PlayedSession[] = [];
    for (const s of loadSuite(suite, m.scenariosRoot)) {
      const d = join(dir, s.scenario.id);
      const outcome = await runSession({ loaded: s, sessionId: s.key, dir: d, adapter, media: m.media, av: m.av, clock: 'virtual', harnessVersion: 'zoo' });
      const scored = score(readRecording(d));
      out.push({ scenarioKey: s.key, family: s.scenario.family, passed: sessionStatus(outcome, scored) === 'passed', metrics: scored.metrics });
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
  /** The family's own expectations (`<family>.verdict` rows), wherever they appeared. */
  verdicts: number;
  verdictsPassed: number;
}

/** Per scenario family: sessions and passes, and the metric family's verdicts. */
export function familyOutcomes(played: readonly PlayedSession[]): FamilyOutcome[] {
  const families = [...new Set(played.map((p) => p.family))];
  return families.map((family) => {
    const sessions = played.filter((p) => p.family === family);
    const verdicts = played.flatMap((p) => p.metrics).filter((m) => m.name === `${family}.verdict`);
    return {
      family,
      sessions: sessions.length,
      passed: sessions.filter((p) => p.passed).length,
      verdicts: verdicts.length,
      verdictsPassed: verdicts.filter((m) => m.value === 1).length,
    };
  });
}
