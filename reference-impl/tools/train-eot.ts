/**
 * Trains the `festival` end-of-turn model (reference-impl/models/eot-festival.json):
 *
 *   npx tsx reference-impl/tools/train-eot.ts
 *
 * Deterministic up to float rounding: the clips are heard concurrently and Silero's windows are
 * batched as they arrive, and a batch's size moves a score in the 4th-5th decimal, which can
 * flip a frame at the VAD threshold. Two runs here (2026-11-25) gave weights whose reported
 * shares below agree within 0.6 points.
 *
 * Data recipe: TRAIN_TEXTS spoken by Festival's ked voice (an engine and a speaker no suite
 * uses: reference-impl/test/eot-data.test.ts checks every scenario file) at drawn pitches and
 * rates, each fluent and with one or two 1.2 s pauses opened at word boundaries picked by a
 * seeded generator; examples as in eot-data.ts. Model: a perceptron with one hidden layer of 8
 * tanh units on standardized features (see fit), positives weighted to balance the classes. It
 * then reports the same measures on DEV_TEXTS in other pitches and rates (the development set
 * its thresholds are chosen on), and the `espeak` model's, at its own thresholds, on that set.
 * No suite and no held-out scenario is heard here: their figures come from
 * `npm run bench -- reference` alone.
 *
 * Needs Debian's festival and festvox-kdlpc16k (scripts/setup.mjs installs them as root).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../harness/stats.ts';
import { loadSileroModel, SileroBatcher } from '../perception/silero.ts';
import {
  endOfTurnModel,
  endOfTurnModelUrl,
  EndOfTurnModel,
  FEATURE_NAMES,
  networkProbability,
  type EndOfTurnNetwork,
  type EndOfTurnThresholds,
  type EndOfTurnWeights,
} from '../perception/turn-end.ts';
import { DEV_RATES_WPM, EOT_SEED, examplesIn, hearClip, planRenderings, TRAIN_RATES_WPM, type Example, type HeardClip } from './eot-data.ts';
import { DEV_TEXTS, TRAIN_TEXTS } from './eot-texts.ts';

const silero = new SileroBatcher(await loadSileroModel('cpu'));

/** The planned renderings, heard; the renderings of one text run concurrently (their Silero windows batch). */
async function collect(texts: readonly string[], rates: readonly number[], seed: number): Promise<HeardClip[]> {
  const out: HeardClip[] = [];
  for (const group of planRenderings(texts, rates, seed)) {
    const heard = await Promise.all(
      group.map(async ({ text, voice, pausesAfter }) => {
        try {
          return [await hearClip(text, voice, pausesAfter, silero)];
        } catch {
          // openPauses refuses a boundary the synthesizer ran words across; skip that rendering.
          return [];
        }
      }),
    );
    out.push(...heard.flat());
  }
  return out;
}

const HIDDEN = 8;

/**
 * Full-batch gradient descent with momentum on the class-weighted log loss, L2 on the weights;
 * initial weights from the seeded generator, so the result is the same on every run.
 */
function fit(xs: Example[]): EndOfTurnNetwork {
  const d = FEATURE_NAMES.length;
  const raw = xs.map((x) => FEATURE_NAMES.map((f) => x.features[f]));
  const mean = FEATURE_NAMES.map((_, j) => raw.reduce((s, r) => s + r[j], 0) / raw.length);
  const std = FEATURE_NAMES.map((_, j) => Math.sqrt(raw.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / raw.length) || 1);
  const z = raw.map((r) => r.map((v, j) => (v - mean[j]) / std[j]));
  const pos = xs.filter((x) => x.label === 1).length;
  const posWeight = (xs.length - pos) / Math.max(1, pos);
  const r = seededRandom(EOT_SEED);
  const W = Array.from({ length: HIDDEN }, () => Array.from({ length: d }, () => (r() - 0.5) * 0.6));
  const bh = new Array<number>(HIDDEN).fill(0);
  const v = Array.from({ length: HIDDEN }, () => (r() - 0.5) * 0.6);
  let bo = 0;
  const mW = W.map((row) => row.map(() => 0));
  const mbh = bh.map(() => 0);
  const mv = v.map(() => 0);
  let mbo = 0;
  const rate = 0.1;
  const momentum = 0.9;
  const lambda = 1e-2;
  const totalWeight = xs.reduce((s, x) => s + (x.label === 1 ? posWeight : 1), 0);
  for (let it = 0; it < 4000; it++) {
    const gW = W.map((row) => row.map(() => 0));
    const gbh = bh.map(() => 0);
    const gv = v.map(() => 0);
    let gbo = 0;
    z.forEach((row, i) => {
      const h = W.map((wk, k) => Math.tanh(wk.reduce((s, w, j) => s + w * row[j], bh[k])));
      const p = 1 / (1 + Math.exp(-h.reduce((s, hk, k) => s + v[k] * hk, bo)));
      const e = ((p - xs[i].label) * (xs[i].label === 1 ? posWeight : 1)) / totalWeight;
      gbo += e;
      h.forEach((hk, k) => {
        gv[k] += e * hk;
        const eh = e * v[k] * (1 - hk * hk);
        gbh[k] += eh;
        row.forEach((x, j) => (gW[k][j] += eh * x));
      });
    });
    const step = (m: number, g: number, w: number, l2: boolean) => momentum * m - rate * (g + (l2 ? lambda * w : 0));
    W.forEach((row, k) =>
      row.forEach((w, j) => {
        mW[k][j] = step(mW[k][j], gW[k][j], w, true);
        row[j] += mW[k][j];
      }),
    );
    bh.forEach((b, k) => {
      mbh[k] = step(mbh[k], gbh[k], b, false);
      bh[k] += mbh[k];
    });
    v.forEach((w, k) => {
      mv[k] = step(mv[k], gv[k], w, true);
      v[k] += mv[k];
    });
    mbo = step(mbo, gbo, bo, false);
    bo += mbo;
  }
  return { features: [...FEATURE_NAMES], mean, std, hidden: { w: W, b: bh }, out: { w: v, b: bo } };
}

/**
 * The policy's thresholds (EndOfTurnWeights.thresholds), read off the development set: the
 * probability that at most FINISHED_PAUSE_SHARE (MAYBE_PAUSE_SHARE) of its mid-utterance pauses
 * reach. The shares are the operating point the policy had on its earlier eSpeak model (a turn
 * "sounds finished" where about 1 pause in 20 does, "may be finished" where 1 in 5 does).
 */
const FINISHED_PAUSE_SHARE = 0.05;
const MAYBE_PAUSE_SHARE = 0.2;
function thresholds(net: EndOfTurnNetwork, dev: Example[]): EndOfTurnThresholds {
  const planted = dev
    .filter((x) => x.label === 0 && x.planted)
    .map((x) => networkProbability(net, x.features))
    .sort((a, b) => b - a);
  // The share-th highest pause score, nudged up so that score itself is below the threshold.
  const at = (share: number) => Math.min(1, planted[Math.floor(share * planted.length)] + 1e-6);
  const chosenBy = `development set: at most ${100 * FINISHED_PAUSE_SHARE} % (finished) and ${100 * MAYBE_PAUSE_SHARE} % (maybe) of its mid-utterance pauses score at or above`;
  return { finished: at(FINISHED_PAUSE_SHARE), maybe: at(MAYBE_PAUSE_SHARE), chosenBy };
}

function report(name: string, model: EndOfTurnModel, xs: Example[]): string {
  const { finished: hi, maybe: mid } = model.thresholds;
  const p = (keep: (x: Example) => boolean) => xs.filter(keep).map((x) => model.probability(x.features));
  const ends = p((x) => x.label === 1);
  const planted = p((x) => x.label === 0 && x.planted);
  const gaps = p((x) => x.label === 0 && !x.planted);
  const share = (ps: number[], t: number) => `${((100 * ps.filter((v) => v >= t).length) / Math.max(1, ps.length)).toFixed(1)} %`;
  const p3 = (t: number) => t.toFixed(3);
  return (
    `${name}: ${ends.length} turn ends, ${planted.length} planted pauses, ${gaps.length} other gaps >= 160 ms; ` +
    `p >= ${p3(hi)}: ends ${share(ends, hi)}, planted ${share(planted, hi)}, gaps ${share(gaps, hi)}; ` +
    `p >= ${p3(mid)}: ends ${share(ends, mid)}, planted ${share(planted, mid)}, gaps ${share(gaps, mid)}`
  );
}

// Perception is the slow part: CACHE=<dir> keeps what it heard (train.json, dev.json), to iterate on features.
async function heardOnce(name: string, hear: () => Promise<HeardClip[]>): Promise<HeardClip[]> {
  const file = process.env.CACHE ? join(process.env.CACHE, `${name}.json`) : undefined;
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as HeardClip[];
  const clips = await hear();
  if (file) writeFileSync(file, JSON.stringify(clips));
  return clips;
}
const heard = {
  train: await heardOnce('train', () => collect(TRAIN_TEXTS, TRAIN_RATES_WPM, EOT_SEED)),
  dev: await heardOnce('dev', () => collect(DEV_TEXTS, DEV_RATES_WPM, EOT_SEED + 1)),
};
const train = heard.train.flatMap(examplesIn);
const dev = heard.dev.flatMap(examplesIn);
const net = fit(train);
const model = new EndOfTurnModel(net, thresholds(net, dev));
const evaluation = [
  report('train (own texts, Festival ked)', model, train),
  report('dev (dev texts, other pitches and rates)', model, dev),
  // The eSpeak-trained model on the same development set: how far prosody carries across engines.
  report('dev, heard by the espeak model', endOfTurnModel('espeak'), dev),
];
const stored: EndOfTurnWeights = { ...net, thresholds: model.thresholds, trainedBy: 'reference-impl/tools/train-eot.ts', evaluation };
writeFileSync(endOfTurnModelUrl('festival'), JSON.stringify(stored, null, 2) + '\n');
console.log(evaluation.join('\n'));
