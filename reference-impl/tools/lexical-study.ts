/**
 * Issue 23's cue that does not depend on the prosody of a speech engine: what the words of the
 * turn so far say about its end, and whether the recognizer understands the user at all. The
 * end-of-turn development set (tools/eot-data.ts planRenderings: the dev texts of
 * tools/eot-texts.ts, none in any suite, fluent and with 1.2 s pauses opened at drawn word
 * boundaries) in two engines: Festival's ked (the `festival` model's training engine, never the
 * default model's) and the eSpeak dev voices that share no language with the held-out set (the
 * default model's own training voices, so its prosody looks better there than anywhere else).
 * Each rendering is heard the way the agent hears it, as one session: perception frame by frame
 * and the lexical ear (perception/lexical/) streaming the speech to Debian's PocketSphinx and
 * ending the utterance LEXICAL_CHECK_MS into each silence. For every silence of 160 ms or more
 * it keeps the prosody's features and the ear's verdict, then prints what each lexical rule
 * (policy.ts LexicalRule, applied by waitWithWords as the agent applies it) would make of them:
 * the share of turn ends that wait the hesitation hold (what drives a turn-taking p90), the
 * median and p90 wait at ends, and the share of mid-utterance silences the agent would take (its
 * wait no longer than the silence: a pause takeover). Last, the rule with the smallest sum of the
 * two shares over both engines: a turn end kept waiting counts as much as a pause taken, on each
 * engine alike. That is the choice LEXICAL_RULE holds. Needs Debian festival, festvox-kdlpc16k,
 * python3-pocketsphinx and pocketsphinx-en-us (`node scripts/setup.mjs --festival --recognizer`,
 * as root). No suite and no held-out scenario is heard here.
 *
 *   npx tsx reference-impl/tools/lexical-study.ts                # the default (espeak) prosody model
 *   END_OF_TURN=festival npx tsx reference-impl/tools/lexical-study.ts
 *   HEARD=<dir> npx tsx reference-impl/tools/lexical-study.ts    # keeps (or reuses) what was heard
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HELD_OUT_LANGUAGES } from '../../datasets/recipes/held-out-suite.ts';
import { quantile } from '../../harness/stats.ts';
import { FRAME_MS } from '../frames.ts';
import { LexicalEar, type LexicalVerdict } from '../perception/lexical/lexical-ear.ts';
import { Recognizer } from '../perception/lexical/recognizer.ts';
import { loadSileroModel, SileroBatcher } from '../perception/silero.ts';
import { END_OF_TURN_MODELS, endOfTurnModel, type EndOfTurnName, type TurnFeatures } from '../perception/turn-end.ts';
import { LEXICAL_CHECK_MS, PATIENT_POLICY, waitForProsody, waitWithWords, type LexicalRule } from '../policy.ts';
import { DEV_RATES_WPM, EOT_SEED, examplesIn, FESTIVAL_VOICE, hearTrack, planRenderings, renderClip, type PlannedClip } from './eot-data.ts';
import { ONSET_DEV_VOICES } from './onset-dev-voices.ts';
import { DEV_TEXTS } from './eot-texts.ts';

const modelName = (process.env.END_OF_TURN ?? 'espeak') as EndOfTurnName;
if (!END_OF_TURN_MODELS.includes(modelName)) throw new Error(`END_OF_TURN must be one of ${END_OF_TURN_MODELS.join(', ')}`);
const model = endOfTurnModel(modelName);
const silero = new SileroBatcher(await loadSileroModel('cpu'));
const recognizer = new Recognizer();

/** The two engines of the development set: Festival (the end-of-turn training engine) and eSpeak's dev voices that share no language with the held-out set. */
const GROUPS = [
  { name: 'Festival ked', voices: [FESTIVAL_VOICE] },
  { name: 'eSpeak dev voices', voices: ONSET_DEV_VOICES.filter((v) => !HELD_OUT_LANGUAGES.some((l) => v.startsWith(l))).map((name) => ({ name })) },
];

interface Gap {
  kind: 'end' | 'pause';
  silenceMs: number;
  features: TurnFeatures;
  verdict: LexicalVerdict | null;
}

/** One rendering heard frame by frame by perception and the lexical ear; its silences as gaps. */
async function hear({ text, voice, pausesAfter }: PlannedClip): Promise<Gap[]> {
  const clip = await renderClip(text, voice, pausesAfter);
  const ear = new LexicalEar(recognizer, LEXICAL_CHECK_MS);
  const verdicts: (LexicalVerdict | null)[] = [];
  const frames = await hearTrack(clip.track, silero, async (frame, speech) => {
    await ear.hear(frame, speech);
    verdicts.push(ear.verdict());
  });
  ear.close();
  return examplesIn({ frames, endMs: clip.endMs, pauses: clip.pauses }).map((x) => ({
    kind: x.label === 1 ? 'end' : 'pause',
    silenceMs: x.silenceMs,
    features: x.features,
    // The ear's check falls on the silence's LEXICAL_CHECK_MS / FRAME_MS-th frame.
    verdict: verdicts[x.atFrame + LEXICAL_CHECK_MS / FRAME_MS - 1] ?? null,
  }));
}

/** A group's gaps; HEARD=<dir> keeps what was heard (the slow part), to read the rules again without hearing. */
async function heardGroup(group: (typeof GROUPS)[number], index: number): Promise<{ clips: number; gaps: Gap[] }> {
  const file = process.env.HEARD ? join(process.env.HEARD, `group-${index}.json`) : null;
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as { clips: number; gaps: Gap[] };
  const out = { clips: 0, gaps: [] as Gap[] };
  for (const texts of planRenderings(DEV_TEXTS, DEV_RATES_WPM, EOT_SEED + 1 + index, 4, group.voices)) {
    // openPauses refuses a boundary the synthesizer ran words across: that rendering is skipped.
    const heard = await Promise.all(texts.map((c) => hear(c).catch(() => null)));
    for (const h of heard) if (h) (out.clips++, out.gaps.push(...h));
  }
  if (file) (mkdirSync(dirname(file), { recursive: true }), writeFileSync(file, JSON.stringify(out)));
  return out;
}

const { finished, maybe } = model.thresholds;
const { holdingSilenceMs } = PATIENT_POLICY;
const wait = (g: Gap, rule: LexicalRule | null) => {
  const w = waitForProsody(model.probability(g.features), model.thresholds, PATIENT_POLICY);
  return rule ? waitWithWords(w, g.verdict, rule, PATIENT_POLICY) : w;
};
const pct = (k: number, n: number) => `${((100 * k) / n).toFixed(1)} %`;
const rules: (LexicalRule | null)[] = [null];
for (const minUnderstood of [0, 0.3, 0.4, 0.5, 0.6])
  for (const holdOnClosedClass of [false, true])
    for (const releaseAboveLog10 of [null, -0.8, -1, -1.2, -1.5]) rules.push({ minUnderstood, holdOnClosedClass, releaseAboveLog10 });

const t0 = performance.now();
/** Per rule (its index in `rules`), the sum over the groups of the share of ends waiting the hold and of silences taken. */
const cost = rules.map(() => 0);
for (const [index, group] of GROUPS.entries()) {
  const { clips, gaps } = await heardGroup(group, index);
  const ends = gaps.filter((g) => g.kind === 'end');
  const pauses = gaps.filter((g) => g.kind === 'pause');
  console.log(
    `\n${group.name} (${group.voices.map((v) => v.name).join(', ')}): ${clips} renderings of the dev texts, ${ends.length} turn ends, ${pauses.length} mid-utterance silences >= 160 ms; prosody: ${modelName} model (finished ${finished.toFixed(3)}, maybe ${maybe.toFixed(3)}); ${((performance.now() - t0) / 1000).toFixed(0)} s so far`,
  );
  for (const [name, of] of [
    ['turn ends', ends],
    ['mid-utterance silences', pauses],
  ] as const) {
    const e10 = of.map((g) => g.verdict?.endLog10 ?? -99);
    console.log(
      `${name}: last word closed-class ${pct(of.filter((g) => g.verdict?.endsOnClosedClass).length, of.length)}; log10 P(end | last two words) p10 ${quantile(e10, 0.1).toFixed(2)}, p50 ${quantile(e10, 0.5).toFixed(2)}, p90 ${quantile(e10, 0.9).toFixed(2)}`,
    );
  }
  const understood = gaps.map((g) => g.verdict?.understood ?? -1).filter((u) => u >= 0);
  console.log(
    `understood (mean posterior of the user's last words) at the checks: p10 ${quantile(understood, 0.1).toFixed(2)}, p50 ${quantile(understood, 0.5).toFixed(2)}, p90 ${quantile(understood, 0.9).toFixed(2)}`,
  );
  console.log(
    '\n| understood at least | hold on closed-class | release above | ends waiting the hold | end wait p50 / p90 | mid-utterance silences taken | both |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const [r, rule] of rules.entries()) {
    const endWaits = ends.map((g) => wait(g, rule));
    const taken = pauses.filter((g) => wait(g, rule) <= g.silenceMs).length / pauses.length;
    const held = endWaits.filter((w) => w >= holdingSilenceMs).length / ends.length;
    cost[r] += held + taken;
    console.log(
      `| ${rule?.minUnderstood ?? '-'} | ${rule ? (rule.holdOnClosedClass ? 'yes' : 'no') : 'prosody alone'} | ${rule?.releaseAboveLog10 ?? '-'} | ${pct(held, 1)} | ${quantile(endWaits, 0.5)} / ${quantile(endWaits, 0.9)} ms | ${pct(taken, 1)} | ${pct(held + taken, 1)} |`,
    );
  }
}
recognizer.dispose();
// The choice: a turn end kept waiting the hold counts as much as a pause taken, on each engine alike.
const best = rules[cost.indexOf(Math.min(...cost))];
console.log(
  `\nfewest ends waiting the hold plus silences taken, summed over ${GROUPS.map((g) => g.name).join(' and ')}: ${JSON.stringify(best)} (${pct(Math.min(...cost), 1)}; prosody alone ${pct(cost[0], 1)})`,
);
