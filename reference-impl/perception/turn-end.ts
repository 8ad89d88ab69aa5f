/**
 * End-of-turn evidence, read where the user's speech stops: prosodic features of the turn so
 * far, and a logistic model over them giving the probability that the turn has ended (rather
 * than paused mid-utterance). The models' weights are trained on synthesized speech by
 * reference-impl/tools/train-eot.ts and stored in reference-impl/models/eot-<name>.json
 * (END_OF_TURN_MODELS).
 */
import { readFileSync } from 'node:fs';
import { FRAME_MS } from '../frames.ts';
import { ContourTracker } from './contour.ts';

/** What the turn tracker hears per frame of the user's speech. */
interface SpeechFrame {
  levelDbfs: number;
  pitchHz: number | null;
}

export const FEATURE_NAMES = [
  /** Final pitch minus the turn's median pitch, semitones (a statement ends low). */
  'fallSt',
  /** Final pitch minus the low point just before it, semitones (a question ends on a rise). */
  'riseSt',
  /** Pitch slope over the last voiced frames, semitones per 100 ms. */
  'finalSlopeSt',
  /** Final pitch minus the turn's 10th percentile, semitones (the bottom of the range). */
  'aboveLowSt',
  /** Level of the last speech frames minus the turn's median speech level, dB. */
  'finalLevelDb',
  /** Length of the last run of speech frames (final lengthening), seconds. */
  'lastRunSec',
  /** Voiced share of the last 10 speech frames (a voiceless tail: a consonant cut short). */
  'finalVoicedShare',
  /** Length of the final run of voiced frames (the last syllable's lengthening), seconds. */
  'lastVoicedSec',
  /** Level of the last speech frame minus the mean of the 5 before it, dB (a fade or a cut). */
  'finalDropDb',
  /** Final pitch minus the turn's first voiced frames, semitones (declination over the turn). */
  'finalVsStartSt',
] as const;
export type TurnFeatures = Record<(typeof FEATURE_NAMES)[number], number>;

export class TurnTracker {
  private readonly contour = new ContourTracker();
  private levels: number[] = [];
  private pitches: number[] = [];
  /** Per speech frame: voiced or not. */
  private voiced: boolean[] = [];
  private runFrames = 0;
  private inRun = false;

  /** One frame of the user's speech in the current turn. */
  speech(f: SpeechFrame): void {
    if (!this.inRun) this.runFrames = 0;
    this.inRun = true;
    this.runFrames++;
    this.levels.push(f.levelDbfs);
    this.voiced.push(f.pitchHz !== null);
    if (f.pitchHz !== null) {
      this.contour.addVoiced(f.pitchHz);
      this.pitches.push(12 * Math.log2(f.pitchHz / 100));
    }
  }

  /** One frame of silence (ends the current run of speech). */
  silence(): void {
    this.inRun = false;
  }

  reset(): void {
    this.contour.reset();
    this.levels = [];
    this.pitches = [];
    this.voiced = [];
    this.runFrames = 0;
    this.inRun = false;
  }

  speechMs(): number {
    return this.levels.length * FRAME_MS;
  }

  features(): TurnFeatures {
    const c = this.contour.summary();
    const p = this.pitches;
    const tail = p.slice(-8);
    const finalSt = tail.length ? median(tail.slice(-3)) : 0;
    const low = p.length ? quantile(p, 0.1) : 0;
    const lv = this.levels;
    const v = this.voiced.slice(-10);
    return {
      fallSt: c.voicedFrames >= 6 ? c.fallSt : 0,
      riseSt: c.voicedFrames >= 6 ? c.riseSt : 0,
      finalSlopeSt: tail.length >= 3 ? slope(tail) * (100 / FRAME_MS) : 0,
      aboveLowSt: p.length ? finalSt - low : 0,
      finalLevelDb: lv.length ? mean(lv.slice(-3)) - median(lv) : 0,
      lastRunSec: (this.runFrames * FRAME_MS) / 1000,
      finalVoicedShare: v.length ? v.filter(Boolean).length / v.length : 0,
      lastVoicedSec: (this.voicedRunFrames() * FRAME_MS) / 1000,
      finalDropDb: lv.length >= 6 ? lv[lv.length - 1] - mean(lv.slice(-6, -1)) : 0,
      finalVsStartSt: p.length >= 6 ? finalSt - median(p.slice(0, 3)) : 0,
    };
  }

  /** Voiced frames at the end of the speech heard so far, counted back to the first unvoiced one. */
  private voicedRunFrames(): number {
    let n = 0;
    for (let i = this.voiced.length - 1; i >= 0 && this.voiced[i]; i--) n++;
    return n;
  }
}

export interface EndOfTurnNetwork {
  features: readonly string[];
  /** Standardization: z = (x - mean) / std. */
  mean: number[];
  std: number[];
  /** Hidden layer: hidden[k] = tanh(b[k] + sum_j w[k][j] * z[j]). */
  hidden: { w: number[][]; b: number[] };
  /** Output: p = sigmoid(b + sum_k w[k] * hidden[k]). */
  out: { w: number[]; b: number };
}

/** The probabilities at which the policy hears a turn as finished, or maybe finished. */
export interface EndOfTurnThresholds {
  finished: number;
  maybe: number;
  /** How they were chosen (a development set, never a suite). */
  chosenBy: string;
}

/** A stored model (models/eot-<name>.json): the network, the policy's thresholds for it, and how both were made. */
export interface EndOfTurnWeights extends EndOfTurnNetwork {
  thresholds: EndOfTurnThresholds;
  trainedBy: string;
  evaluation: string[];
}

/** A one-hidden-layer perceptron over standardized TurnFeatures: P(the turn has ended). */
export class EndOfTurnModel {
  constructor(
    readonly w: EndOfTurnNetwork,
    readonly thresholds: EndOfTurnThresholds,
  ) {
    if (w.features.join() !== FEATURE_NAMES.join()) {
      throw new Error(
        `end-of-turn weights were trained on features [${w.features.join(', ')}], this code computes [${FEATURE_NAMES.join(', ')}]; retrain with reference-impl/tools/train-eot.ts`,
      );
    }
  }

  probability(f: TurnFeatures): number {
    return networkProbability(this.w, f);
  }
}

/** The network's P(the turn has ended) for a turn's features (no thresholds needed: the training tool chooses them with it). */
export function networkProbability(w: EndOfTurnNetwork, f: TurnFeatures): number {
  const z = FEATURE_NAMES.map((name, i) => (f[name] - w.mean[i]) / w.std[i]);
  let o = w.out.b;
  w.hidden.w.forEach((row, k) => {
    o += w.out.w[k] * Math.tanh(row.reduce((s, wj, j) => s + wj * z[j], w.hidden.b[k]));
  });
  return 1 / (1 + Math.exp(-o));
}

/**
 * The stored end-of-turn models, by the speech they were trained on:
 * - `espeak` (default): eSpeak voices of the agent's own (train-eot.ts at commit 4e311d0); its
 *   thresholds were set by hand. Not disjoint from the suites' engine, and two of its voices
 *   share a language voice with the held-out set.
 * - `festival`: Festival's ked, an engine and speaker no suite uses (train-eot.ts today), with
 *   thresholds chosen on its development set. It loses to content-free agents on the background
 *   family (README, "Reference agent: held-out figures"), so it is not the default yet.
 */
export const END_OF_TURN_MODELS = ['espeak', 'festival'] as const;
export type EndOfTurnName = (typeof END_OF_TURN_MODELS)[number];
export const DEFAULT_END_OF_TURN: EndOfTurnName = 'espeak';

export const endOfTurnModelUrl = (name: EndOfTurnName) => new URL(`../models/eot-${name}.json`, import.meta.url);

const loaded = new Map<EndOfTurnName, EndOfTurnModel>();
/** A stored model, read once. */
export function endOfTurnModel(name: EndOfTurnName = DEFAULT_END_OF_TURN): EndOfTurnModel {
  let m = loaded.get(name);
  if (!m) {
    const w = JSON.parse(readFileSync(endOfTurnModelUrl(name), 'utf8')) as EndOfTurnWeights;
    m = new EndOfTurnModel(w, w.thresholds);
    loaded.set(name, m);
  }
  return m;
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
function median(xs: number[]): number {
  return quantile(xs, 0.5);
}
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}
/** Least-squares slope of xs against their index. */
function slope(xs: number[]): number {
  const n = xs.length;
  const mx = (n - 1) / 2;
  const my = mean(xs);
  let num = 0;
  let den = 0;
  xs.forEach((y, i) => {
    num += (i - mx) * (y - my);
    den += (i - mx) ** 2;
  });
  return num / den;
}
