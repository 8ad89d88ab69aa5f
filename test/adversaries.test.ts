/**
 * The adversary zoo as known-answer tests: every content-free or rule-breaking agent, through
 * the real runner and scorer in virtual time, on a sample of every suite but long_session (the
 * first scenarios of each family; `npm run bench -- adversaries` plays every scenario of every
 * suite). Known answer: no adversary passes more than 10 % of a family's sessions (but for the
 * passes PASSES_EXPLAINED states), and the reference agent has the higher headline on every
 * family (but for those REFERENCE_BEHIND states).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADVERSARIES, createAdversaryAdapter } from '../adapters/adversary/adapter.ts';
import { familyOutcomes, headlines, MAX_ADVERSARY_PASS_RATE, passRate, playSuite, PASSES_EXPLAINED, REFERENCE_BEHIND, ZOO_SUITES, type FamilyOutcome, type ZooMedia } from '../adapters/adversary/zoo.ts';
import { createReferenceAdapter } from '../adapters/reference/adapter.ts';
import { createAvMedia } from '../datasets/av-media.ts';
import { createMediaSource } from '../datasets/media-source.ts';

const SUITES = ZOO_SUITES.filter((s) => s !== 'long_session');
const PER_FAMILY = 5;
const zoo: ZooMedia = { media: createMediaSource(), av: createAvMedia(), scenariosRoot: join(import.meta.dirname, '..', 'scenarios') };

interface Played {
  outcomes: Map<string, FamilyOutcome>;
  headline: Map<string, number>;
}

/** The sample of every suite; headlines per suite (a family and its counterpart share one). */
async function play(adapter: Parameters<typeof playSuite>[0]): Promise<Played> {
  const played: Played = { outcomes: new Map(), headline: new Map() };
  for (const suite of SUITES) {
    const outcomes = familyOutcomes(await playSuite(adapter, suite, zoo, PER_FAMILY));
    for (const f of outcomes) played.outcomes.set(f.family, f);
    for (const [family, h] of headlines(outcomes)) played.headline.set(family, h);
  }
  return played;
}

describe('adversary zoo', () => {
  let reference: Played;
  beforeAll(async () => {
    const adapter = createReferenceAdapter({ mode: 'in-process' });
    reference = await play(adapter);
    await adapter.dispose?.();
  }, 600_000);

  it.each(ADVERSARIES)('%s fails the families it games and ranks below the reference agent on every headline', async (kind) => {
    const { outcomes, headline } = await play(createAdversaryAdapter(kind));
    expect([...outcomes.keys()].sort()).toEqual([...reference.outcomes.keys()].sort());
    for (const [family, f] of outcomes) {
      if (!(family in (PASSES_EXPLAINED[kind] ?? {}))) {
        expect(passRate(f), `${kind} passed ${f.passed}/${f.sessions} ${family} sessions`).toBeLessThanOrEqual(MAX_ADVERSARY_PASS_RATE);
      }
      if (family in REFERENCE_BEHIND) continue;
      const ref = reference.headline.get(family)!;
      expect(ref, `${family} headline: reference ${ref.toFixed(2)} vs ${kind} ${headline.get(family)!.toFixed(2)}`).toBeGreaterThan(headline.get(family)!);
    }
  }, 600_000);
});
