/**
 * The visual_distractors suite: it loads, its clips are the recipe's (every distractor inside
 * the quiet window before the hand), and no content-free adversary passes it (through the real
 * runner and scorer in virtual time): speaking up anywhere near a distractor is a false
 * interjection, never speaking misses the hand.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADVERSARIES, createAdversaryAdapter } from '../../adapters/adversary/adapter.ts';
import { createScriptedAdapter } from '../../adapters/scripted/adapter.ts';
import { familyOutcomes, MAX_ADVERSARY_PASS_RATE, passRate, playSuite, type ZooMedia } from '../../adapters/adversary/zoo.ts';
import { loadSuite } from '../../harness/scenario/load.ts';
import { createMediaSource } from '../media-source.ts';
import { RECIPES, SUITE } from './visual-distractors-suite.ts';

const root = join(import.meta.dirname, '..', '..', 'scenarios');
const zoo: ZooMedia = { media: createMediaSource(), scenariosRoot: root };

describe('visual_distractors suite', () => {
  it('loads; each scenario plays its clip and reacts to the hand with a quiet window over every distractor', () => {
    const suite = loadSuite(SUITE, root);
    expect(suite.map((s) => s.scenario.id)).toEqual(RECIPES.map((r) => r.id));
    for (const [i, s] of suite.entries()) {
      const cue = s.scenario.timeline.find((a) => a.show)!;
      const { quiet_ms } = cue.expect![0].react!;
      const { distractorMotion, lighting } = RECIPES[i].clip.perturb;
      for (const span of [distractorMotion, lighting]) {
        if (!span) continue;
        expect(span.fromMs).toBeGreaterThanOrEqual(cue.at_ms! - quiet_ms!);
        expect(span.toMs).toBeLessThanOrEqual(cue.at_ms!);
      }
      expect(s.scenario.video?.file).toBe(`media/${s.scenario.id}.mp4`);
    }
  });

  it('known answers: reacting to the hand alone passes every scenario; speaking up at a distractor fails each by a false interjection', async () => {
    const partner = { answerMs: 2500, video: true, visualReactionDelayMs: 900 };
    const good = await playSuite(createScriptedAdapter(partner), SUITE, zoo);
    expect(good.map((p) => [p.scenarioKey, p.passed])).toEqual(RECIPES.map((r) => [`${SUITE}/${r.id}`, true]));
    // The same partner, also saying something 700 ms into the first distractor of each clip.
    for (const r of RECIPES) {
      const first = Math.min(...[r.clip.perturb.distractorMotion, r.clip.perturb.lighting].flatMap((x) => (x ? [x.fromMs] : [])));
      const [played] = (await playSuite(createScriptedAdapter({ ...partner, backchannelAtMs: [first + 700], backchannelMs: 1200 }), SUITE, zoo)).filter(
        (p) => p.scenarioKey === `${SUITE}/${r.id}`,
      );
      expect(played.passed, r.id).toBe(false);
      expect(played.metrics.find((m) => m.name === 'visual_interjection.false_interjections')?.value, r.id).toBe(1);
      expect(played.metrics.find((m) => m.name === 'visual_interjection.reacted')?.value, r.id).toBe(1);
    }
  }, 300_000);

  it.each(ADVERSARIES)(
    '%s passes none of it',
    async (kind) => {
      const played = await playSuite(createAdversaryAdapter(kind), SUITE, zoo);
      for (const f of familyOutcomes(played)) expect(passRate(f), `${kind}: ${f.passed}/${f.sessions}`).toBeLessThanOrEqual(MAX_ADVERSARY_PASS_RATE);
    },
    300_000,
  );
});
