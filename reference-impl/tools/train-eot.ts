/**
 * Trains the end-of-turn model (reference-impl/models/eot.json), deterministically:
 *
 *   npx tsx reference-impl/tools/train-eot.ts
 *
 * Data recipe: TRAIN_TEXTS (below; none of them in datasets/recipes/core-texts.ts) spoken by
 * TRAIN_VOICES (none of them a core voice) at three rates, each fluent and with one or two
 * 1.2 s pauses opened at word boundaries picked by a seeded generator; examples as in
 * eot-data.ts. Model: logistic regression on standardized features, full-batch gradient
 * descent with L2, positives weighted to balance the classes. It then reports the same
 * measures on the core suite's own texts and voices (held out: never trained on).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { CORE_VOICES } from '../../datasets/recipes/core-suite.ts';
import { PAUSE_TEXTS, QUESTIONS } from '../../datasets/recipes/core-texts.ts';
import { loadSileroModel, SileroBatcher } from '../perception/silero.ts';
import { EOT_WEIGHTS_URL, EndOfTurnModel, FEATURE_NAMES, type EndOfTurnWeights } from '../perception/turn-end.ts';
import { DEFAULT_POLICY } from '../policy.ts';
import { examplesIn, hearClip, type Example, type HeardClip } from './eot-data.ts';
import { TRAIN_TEXTS, TRAIN_VOICES } from './eot-texts.ts';

const RATES_WPM = [145, 175, 205];
const SEED = 20261125;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const silero = new SileroBatcher(await loadSileroModel('cpu'));

async function collect(texts: readonly string[], voices: readonly string[], seed: number): Promise<HeardClip[]> {
  const r = rng(seed);
  const out: HeardClip[] = [];
  for (const text of texts) {
    // The voices of one text run concurrently (their Silero windows batch); the random draws
    // are made up front, in a fixed order, so the data does not depend on scheduling.
    const jobs = voices.map((name, vi) => ({
      voice: { name, rate_wpm: RATES_WPM[vi % RATES_WPM.length], pitch: 30 + Math.floor(r() * 40) },
      draws: Array.from({ length: 3 }, () => r()),
    }));
    const perVoice = await Promise.all(
      jobs.map(async ({ voice, draws }) => {
        const got: HeardClip[] = [];
        for (const count of [0, 1, 2]) {
          // Pauses after `count` word boundaries, spread from the draws (never the first two or the last).
          const pick = (n: number) => [...new Set(draws.slice(0, count).map((d) => 2 + Math.floor(d * Math.max(1, n - 3))))].sort((a, b) => a - b);
          try {
            got.push(await hearClip(text, voice, pick, silero));
          } catch {
            // openPauses refuses a boundary the synthesizer ran words across; skip that rendering.
          }
        }
        return got;
      }),
    );
    out.push(...perVoice.flat());
  }
  return out;
}

function fit(xs: Example[]): EndOfTurnWeights {
  const d = FEATURE_NAMES.length;
  const raw = xs.map((x) => FEATURE_NAMES.map((f) => x.features[f]));
  const mean = FEATURE_NAMES.map((_, j) => raw.reduce((s, r) => s + r[j], 0) / raw.length);
  const std = FEATURE_NAMES.map((_, j) => Math.sqrt(raw.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / raw.length) || 1);
  const z = raw.map((r) => r.map((v, j) => (v - mean[j]) / std[j]));
  const pos = xs.filter((x) => x.label === 1).length;
  const posWeight = (xs.length - pos) / Math.max(1, pos);
  const w = new Array<number>(d).fill(0);
  let b = 0;
  const lambda = 1e-3;
  for (let it = 0; it < 3000; it++) {
    const gw = new Array<number>(d).fill(0);
    let gb = 0;
    let total = 0;
    z.forEach((row, i) => {
      const p = 1 / (1 + Math.exp(-(b + row.reduce((s, v, j) => s + v * w[j], 0))));
      const weight = xs[i].label === 1 ? posWeight : 1;
      const e = (p - xs[i].label) * weight;
      row.forEach((v, j) => (gw[j] += e * v));
      gb += e;
      total += weight;
    });
    for (let j = 0; j < d; j++) w[j] -= 0.5 * (gw[j] / total + lambda * w[j]);
    b -= 0.5 * (gb / total);
  }
  return { features: [...FEATURE_NAMES], mean, std, weights: w, bias: b };
}

function report(name: string, model: EndOfTurnModel, xs: Example[]): string {
  const ends = xs.filter((x) => x.label === 1).map((x) => model.probability(x.features));
  const pauses = xs.filter((x) => x.label === 0).map((x) => model.probability(x.features));
  const share = (ps: number[], t: number) => `${((100 * ps.filter((p) => p >= t).length) / Math.max(1, ps.length)).toFixed(1)} %`;
  const { finishedProbability: hi, maybeProbability: mid } = DEFAULT_POLICY;
  return `${name}: ${ends.length} turn ends, ${pauses.length} inner pauses; p >= ${hi}: ends ${share(ends, hi)}, pauses ${share(pauses, hi)}; p >= ${mid}: ends ${share(ends, mid)}, pauses ${share(pauses, mid)}`;
}

// Perception is the slow part: CACHE=<file> keeps what it heard, to iterate on features.
const cache = process.env.CACHE;
const heard: { train: HeardClip[]; heldOut: HeardClip[] } =
  cache && existsSync(cache)
    ? (JSON.parse(readFileSync(cache, 'utf8')) as { train: HeardClip[]; heldOut: HeardClip[] })
    : { train: await collect(TRAIN_TEXTS, TRAIN_VOICES, SEED), heldOut: await collect([...QUESTIONS, ...PAUSE_TEXTS.map((t) => t.replace(/\s*\|\s*/g, ' '))], CORE_VOICES.map((v) => v.name), SEED + 1) };
if (cache && !existsSync(cache)) writeFileSync(cache, JSON.stringify(heard));
const train = heard.train.flatMap(examplesIn);
const heldOut = heard.heldOut.flatMap(examplesIn);
const weights = fit(train);
const model = new EndOfTurnModel(weights);
const lines = [report('train (own texts and voices)', model, train), report('held out (core texts and voices)', model, heldOut)];
writeFileSync(EOT_WEIGHTS_URL, JSON.stringify({ ...weights, trainedBy: 'reference-impl/tools/train-eot.ts', evaluation: lines }, null, 2) + '\n');
console.log(lines.join('\n'));
console.log(FEATURE_NAMES.map((f, i) => `${f} ${weights.weights[i].toFixed(2)}`).join(', '));
