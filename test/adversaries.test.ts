/**
 * The adversary zoo as known-answer tests: every content-free or rule-breaking agent, through
 * the real runner and scorer in virtual time, on a sample of every suite but long_session (the
 * first scenarios of each family; `npm run bench -- adversaries` plays every scenario of every
 * suite). Known answer: no adversary passes more than 10 % of a family's sessions (but for the
 * passes PASSES_EXPLAINED states), the reference agent has the higher headline on every
 * family (but for those REFERENCE_BEHIND states), and on the interaction panel each adversary
 * trails the reference by at least PANEL_GAP on some behaviour rate.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADVERSARIES, createAdversaryAdapter } from '../adapters/adversary/adapter.ts';
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
import { createMediaSource } from '../datasets/media-source.ts';
import { computePanel, PANEL_METRICS, type PanelRow } from '../reports/panel.ts';

const SUITES = ZOO_SUITES.filter((s) => s !== 'long_session');
const PER_FAMILY = 5;
/**
 * Suites played whole: with content checks the reference agent holds only 3 of the 10 time
 * requests (it says the time, not what was asked for) and none of the first five, so a sample
 * could not rank it above anyone.
 */
const PLAYED_WHOLE = new Set(['time_awareness']);
const zoo: ZooMedia = { media: createMediaSource(), scenariosRoot: join(import.meta.dirname, '..', 'scenarios') };

interface Played {
  outcomes: Map<string, FamilyOutcome>;
  headline: Map<string, number>;
  panel: PanelRow[];
}

/** The panel's behaviour rates: a content-free agent must fall far behind the reference on at least one of them. */
const PANEL_RATES = ['response_rate', 'yield_rate', 'selectivity_backchannel', 'selectivity_vocal_tic', 'selectivity_side_talk', 'selectivity_background'];
const PANEL_GAP = 0.5;

/** The sample of every suite; headlines per suite (a family and its counterpart share one). */
async function play(adapter: Parameters<typeof playSuite>[0]): Promise<Played> {
  const played: Played = { outcomes: new Map(), headline: new Map(), panel: [] };
  for (const suite of SUITES) {
    const sessions = await playSuite(adapter, suite, zoo, PLAYED_WHOLE.has(suite) ? Infinity : PER_FAMILY);
    for (const m of sessions.flatMap((x) => x.metrics))
      if (PANEL_METRICS.includes(m.name)) played.panel.push({ name: m.name, subject: m.subject, value: m.value, reason: m.reason ?? null });
    const outcomes = familyOutcomes(sessions);
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

  it.each(ADVERSARIES)(
    '%s fails the families it games and ranks below the reference agent on every headline',
    async (kind) => {
      const { outcomes, headline, panel } = await play(createAdversaryAdapter(kind));
      expect([...outcomes.keys()].sort()).toEqual([...reference.outcomes.keys()].sort());
      for (const [family, f] of outcomes) {
        if (!(family in (PASSES_EXPLAINED[kind] ?? {}))) {
          expect(passRate(f), `${kind} passed ${f.passed}/${f.sessions} ${family} sessions`).toBeLessThanOrEqual(MAX_ADVERSARY_PASS_RATE);
        }
        if (family in REFERENCE_BEHIND) continue;
        const ref = reference.headline.get(family)!;
        expect(ref, `${family} headline: reference ${ref.toFixed(2)} vs ${kind} ${headline.get(family)!.toFixed(2)}`).toBeGreaterThan(headline.get(family)!);
      }
      // The interaction panel, read as a whole (it has no composite), exposes it: on some behaviour rate it trails the reference by half.
      const theirs = computePanel(panel);
      const gaps = computePanel(reference.panel)
        .filter((f) => PANEL_RATES.includes(f.entry.id) && f.value !== null)
        .map((f) => ({ id: f.entry.id, gap: f.value! - (theirs.find((t) => t.entry.id === f.entry.id)!.value ?? 0) }));
      expect(
        Math.max(...gaps.map((g) => g.gap)),
        `${kind} vs reference on the panel: ${gaps.map((g) => `${g.id} ${g.gap.toFixed(2)}`).join(', ')}`,
      ).toBeGreaterThanOrEqual(PANEL_GAP);
    },
    600_000,
  );
});
