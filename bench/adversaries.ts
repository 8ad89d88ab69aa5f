/**
 * The adversary zoo against every suite (virtual time, the real runner and scorer): one row per
 * adversary and suite. An adversary must fail every family of the suite (at most 10 % of the
 * family's sessions pass), and the reference agent must rank above it on each family's headline
 * (its session pass rate; adapters/adversary/zoo.ts says why that and not a latency).
 */
import { createAdversaryAdapter, ADVERSARIES } from '../adapters/adversary/adapter.ts';
import { familyOutcomes, playSuite, type FamilyOutcome, type ZooMedia } from '../adapters/adversary/zoo.ts';
import { createReferenceAdapter } from '../adapters/reference/adapter.ts';
import type { Row } from './engine.ts';

export const ZOO_SUITES = ['core', 'visual_interjection', 'side_talk', 'background', 'time_awareness', 'simultaneous_speech', 'background_task', 'long_session'] as const;
/** At most this share of a family's sessions may pass for an adversary. */
export const MAX_ADVERSARY_PASS_RATE = 0.1;

const rate = (f: FamilyOutcome) => (f.sessions ? f.passed / f.sessions : 0);

export async function adversariesBench(m: ZooMedia, suites: readonly string[] = ZOO_SUITES): Promise<Row[]> {
  const rows: Row[] = [];
  const reference = createReferenceAdapter({ mode: 'in-process' });
  try {
    for (const suite of suites) {
      const ref = new Map(familyOutcomes(await playSuite(reference, suite, m)).map((f) => [f.family, f]));
      rows.push({ system: 'reference', suite, ...summary([...ref.values()]), 'fails every family': '-', 'reference ranks above': '-' });
      for (const kind of ADVERSARIES) {
        const families = familyOutcomes(await playSuite(createAdversaryAdapter(kind), suite, m));
        const fails = families.every((f) => rate(f) <= MAX_ADVERSARY_PASS_RATE);
        const below = families.every((f) => rate(f) < rate(ref.get(f.family)!));
        rows.push({ system: `adversary:${kind}`, suite, ...summary(families), 'fails every family': fails ? 'yes' : 'NO', 'reference ranks above': below ? 'yes' : 'NO' });
      }
    }
  } finally {
    await reference.dispose?.();
  }
  return rows;
}

function summary(families: readonly FamilyOutcome[]): Row {
  const sessions = families.reduce((n, f) => n + f.sessions, 0);
  const passed = families.reduce((n, f) => n + f.passed, 0);
  return {
    'sessions passed': `${passed}/${sessions}`,
    'per family: sessions passed (verdicts held)': families.map((f) => `${f.family} ${f.passed}/${f.sessions} (${f.verdictsPassed}/${f.verdicts})`).join('; '),
  };
}
