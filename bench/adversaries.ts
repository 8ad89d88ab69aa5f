/**
 * The adversary zoo against every suite (virtual time, the real runner and scorer): one row per
 * adversary and suite. An adversary must fail every family of the suite (at most 10 % of the
 * family's sessions pass; PASSES_EXPLAINED lists the stated exceptions), and the reference
 * agent must rank above it on each family's headline (adapters/adversary/zoo.ts says what that is,
 * and why not a latency).
 */
import { createAdversaryAdapter, ADVERSARIES } from '../adapters/adversary/adapter.ts';
import {
  familyOutcomes,
  headlines,
  MAX_ADVERSARY_PASS_RATE,
  passRate,
  playSuite,
  PASSES_EXPLAINED,
  REFERENCE_BEHIND,
  ZOO_SUITES,
  type FamilyOutcome,
  type ZooMedia,
} from '../adapters/adversary/zoo.ts';
import { createReferenceAdapter } from '../adapters/reference/adapter.ts';
import type { Row } from './engine.ts';

export async function adversariesBench(m: ZooMedia, suites: readonly string[] = ZOO_SUITES): Promise<Row[]> {
  const rows: Row[] = [];
  const reference = createReferenceAdapter({ mode: 'in-process' });
  try {
    for (const suite of suites) {
      const refOutcomes = familyOutcomes(await playSuite(reference, suite, m));
      const refHeadline = headlines(refOutcomes);
      rows.push({ system: 'reference', suite, ...summary(refOutcomes, refHeadline), 'fails its families': '-', 'reference ranks above': '-' });
      for (const kind of ADVERSARIES) {
        const outcomes = familyOutcomes(await playSuite(createAdversaryAdapter(kind), suite, m));
        const headline = headlines(outcomes);
        const explained = PASSES_EXPLAINED[kind] ?? {};
        const fails = outcomes.every((f) => f.family in explained || passRate(f) <= MAX_ADVERSARY_PASS_RATE);
        const behind = outcomes.filter((f) => headline.get(f.family)! >= refHeadline.get(f.family)!).map((f) => f.family);
        const passedExplained = outcomes.filter((f) => f.family in explained && passRate(f) > MAX_ADVERSARY_PASS_RATE).map((f) => f.family);
        rows.push({
          system: `adversary:${kind}`,
          suite,
          ...summary(outcomes, headline),
          'fails its families': `${fails ? 'yes' : 'NO'}${passedExplained.length ? ` (passes ${passedExplained.join(', ')}: explained in PASSES_EXPLAINED)` : ''}`,
          'reference ranks above':
            behind.length === 0 ? 'yes' : `NO: ${behind.map((f) => (f in REFERENCE_BEHIND ? `${f} (see REFERENCE_BEHIND)` : f)).join(', ')}`,
        });
      }
    }
  } finally {
    await reference.dispose?.();
  }
  return rows;
}

function summary(outcomes: readonly FamilyOutcome[], headline: Map<string, number>): Row {
  const sessions = outcomes.reduce((n, f) => n + f.sessions, 0);
  const passed = outcomes.reduce((n, f) => n + f.passed, 0);
  return {
    'sessions passed': `${passed}/${sessions}`,
    'per family: sessions passed, headline (verdicts held)': outcomes
      .map((f) => `${f.family} ${f.passed}/${f.sessions}, ${headline.get(f.family)!.toFixed(2)} (${f.verdictsPassed}/${f.verdicts})`)
      .join('; '),
  };
}
