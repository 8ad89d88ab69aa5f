/**
 * The onset classifier's parts with known answers (prefix DTW, speaker statistics, the stored
 * templates), and the agent's onset ear on voices no template, suite or training set uses.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesize } from '../../datasets/tts/espeak.ts';
import { FRAME_MS, FRAME_SAMPLES } from '../frames.ts';
import { prefixDtw } from '../perception/keywords/dtw.ts';
import { MFCC_DIMS, type Features } from '../perception/keywords/mfcc.ts';
import {
  bundledOnsetClassifier,
  decodeOnsetTemplates,
  encodeOnsetTemplates,
  ONSET_TEMPLATES_URL,
  quantized,
  TEMPLATE_SCALE,
} from '../perception/keywords/onset-model.ts';
import { ONSET_TEMPLATE_VOICES, ONSET_VOCABULARY } from '../perception/keywords/onset-vocabulary.ts';
import { buildVoiceTemplates, type OnsetClassifier, type OnsetTemplate } from '../perception/keywords/onset-words.ts';
import { CepstralStats, MIN_STATS_FRAMES } from '../perception/keywords/speaker-norm.ts';
import { Listener } from '../perception/listener.ts';
import { NeuralVad } from '../perception/neural-vad.ts';
import { OnsetListener } from '../perception/onset-listener.ts';
import { PitchTracker } from '../perception/pitch.ts';
import { SileroStream } from '../perception/silero.ts';
import { testSilero } from '../testing/conversation.ts';
import { userTrack } from '../testing/signals.ts';
import { TALK_POLICY } from '../policy.ts';
import { UNSEEN_BACKCHANNELS } from '../tools/onset-dev-voices.ts';
import { normalizeText, scenarioFiles, stringsUnder } from '../../datasets/recipes/testing/scenario-scan.ts';

/** Features from rows of numbers (one row per frame, MFCC_DIMS wide: the rest are 0). */
const features = (rows: number[][]): Features => ({
  frames: rows.length,
  data: Float32Array.from(rows.flatMap((r) => Array.from({ length: MFCC_DIMS }, (_, k) => r[k] ?? 0))),
});

describe('prefix DTW', () => {
  const template = features([[0], [1], [2], [3], [4], [5], [6], [7]]);

  it('scores 0 for the beginning of the template, also said half as fast or twice as fast', () => {
    expect(prefixDtw(features([[0], [1], [2]]), template)).toBe(0);
    expect(prefixDtw(features([[0], [0], [1], [1], [2], [2]]), template)).toBe(0);
    expect(prefixDtw(features([[0], [2], [4], [6]]), template)).toBe(0);
  });

  it('lets the start slip by at most startSlackFrames, and charges a mean frame distance otherwise', () => {
    const late = features([[2], [3], [4]]);
    expect(prefixDtw(late, template, 2)).toBe(0);
    expect(prefixDtw(late, template, 1)).toBeGreaterThan(0);
    // Every frame one unit off in a coefficient the template keeps at 0: the mean distance is 1.
    expect(
      prefixDtw(
        features([
          [0, 1],
          [1, 1],
          [2, 1],
        ]),
        template,
        0,
      ),
    ).toBeCloseTo(1, 9);
  });

  it('gives up (Infinity) only on a match that would come out over abandonAbove', () => {
    const q = features([[0.5], [1.5], [2.5]]);
    const exact = prefixDtw(q, template, 0);
    expect(prefixDtw(q, template, 0, exact + 1e-9)).toBe(exact);
    expect(prefixDtw(q, template, 0, exact / 4)).toBe(Infinity);
  });

  it('cannot match a query more than twice the template long', () => {
    expect(prefixDtw(features(Array.from({ length: 17 }, () => [0])), template)).toBe(Infinity);
  });
});

describe('speaker statistics', () => {
  it('normalize their own frames to mean 0 and variance 1 in every coefficient, and are ready only after MIN_STATS_FRAMES', () => {
    const rows = Array.from({ length: MIN_STATS_FRAMES }, (_, i) => Array.from({ length: MFCC_DIMS }, (_, k) => Math.sin(i * (k + 1)) * (k + 2) + k));
    const f = features(rows);
    const stats = new CepstralStats();
    stats.add(f, 0, MIN_STATS_FRAMES - 1);
    expect(stats.ready).toBe(false);
    stats.add(f, MIN_STATS_FRAMES - 1);
    expect(stats.ready).toBe(true);
    const n = stats.normalize(f);
    for (let k = 0; k < MFCC_DIMS; k++) {
      const col = Array.from({ length: n.frames }, (_, i) => n.data[i * MFCC_DIMS + k]);
      const mean = col.reduce((a, b) => a + b, 0) / col.length;
      expect(mean).toBeCloseTo(0, 4);
      expect(col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length).toBeCloseTo(1, 3);
    }
  });
});

describe("the onset study's unseen backchannels", () => {
  it('are in no template of any class and in no scenario of any suite, the held-out set included', () => {
    const unseen = UNSEEN_BACKCHANNELS.map(normalizeText);
    const known = new Set([...ONSET_VOCABULARY.backchannels, ...ONSET_VOCABULARY.openers, ...ONSET_VOCABULARY.others].map(normalizeText));
    for (const w of unseen) expect(known.has(w), w).toBe(false);
    const said = new Set(scenarioFiles().flatMap((f) => stringsUnder(parse(readFileSync(f, 'utf8')), 'text').map(normalizeText)));
    expect(said.size).toBeGreaterThan(300);
    for (const w of unseen) expect(said.has(w), w).toBe(false);
  });
});

describe('stored onset templates', () => {
  const path = fileURLToPath(ONSET_TEMPLATES_URL);
  let stored: OnsetTemplate[];
  beforeAll(() => {
    stored = decodeOnsetTemplates(readFileSync(path, 'utf8'), path);
  });

  it('hold every vocabulary entry in every template voice', () => {
    const perVoice = ONSET_VOCABULARY.backchannels.length + ONSET_VOCABULARY.openers.length;
    expect(stored).toHaveLength(ONSET_TEMPLATE_VOICES.length * perVoice + ONSET_VOCABULARY.othersVoices * ONSET_VOCABULARY.others.length);
    expect(stored.filter((t) => t.cls === 'other').map((t) => t.voice)).toEqual(
      ONSET_TEMPLATE_VOICES.slice(0, ONSET_VOCABULARY.othersVoices).flatMap((v) => ONSET_VOCABULARY.others.map(() => v.name)),
    );
    expect(new Set(stored.map((t) => t.voice))).toEqual(new Set(ONSET_TEMPLATE_VOICES.map((v) => v.name)));
  });

  it('come back from encoding within half a quantization step', () => {
    const one = stored.slice(0, 3);
    const again = decodeOnsetTemplates(encodeOnsetTemplates(one), 'memory');
    expect(again.map((t) => t.features.data)).toEqual(one.map((t) => t.features.data));
    const raw: OnsetTemplate = { ...one[0], features: { frames: 1, data: Float32Array.from({ length: MFCC_DIMS }, (_, k) => k * 0.37 - 1.1) } };
    const back = decodeOnsetTemplates(encodeOnsetTemplates([raw]), 'memory')[0].features.data;
    back.forEach((v, k) => expect(Math.abs(v - raw.features.data[k])).toBeLessThanOrEqual(0.5 / TEMPLATE_SCALE + 1e-7));
  });

  it('are what the recipe renders (one voice rebuilt, byte for byte after quantization)', async () => {
    // A voice that has the filler words too (the first othersVoices do).
    const index = 4;
    expect(index).toBeLessThan(ONSET_VOCABULARY.othersVoices);
    const voice = ONSET_TEMPLATE_VOICES[index];
    const rebuilt = await buildVoiceTemplates(synthesize, voice, index, ONSET_VOCABULARY);
    const mine = stored.filter((t) => t.voice === voice.name);
    expect(rebuilt.map((t) => [t.cls, t.text])).toEqual(mine.map((t) => [t.cls, t.text]));
    rebuilt.forEach((t, i) => expect(Int8Array.from(t.features.data, quantized)).toEqual(Int8Array.from(mine[i].features.data, quantized)));
  }, 60_000);

  it('refuse a file made for other features, saying how to rebuild it', () => {
    const json = JSON.parse(encodeOnsetTemplates(stored.slice(0, 1))) as { mfccDims: number };
    json.mfccDims = 13;
    expect(() => decodeOnsetTemplates(JSON.stringify(json), 'old.json')).toThrow(/old\.json.*13 MFCCs.*build-onset-templates/);
  });
});

/** Voices of the end-of-turn training set that no template, and no suite, uses. */
const UNSEEN_VOICES = [
  { name: 'en-us+m6', rate_wpm: 175, pitch: 45 },
  { name: 'en-gb+anika', rate_wpm: 165, pitch: 55 },
  { name: 'en-us-nyc+Andrea', rate_wpm: 185, pitch: 50 },
];
const BACKCHANNELS = ['mm-hmm', 'yeah', 'uh-huh', 'right'];
const BIDS = ['Wait, what did you just say?', 'Sorry, I did not catch that.', 'Hold on a moment, please.', 'Excuse me, can I ask something?'];
/** Where the default policy judges a held burst (ms after its first speech frame), and by what margin it hears a bid there. */
const TALK_POINTS = [
  ...TALK_POLICY.earlyBidChecks,
  { atMs: TALK_POLICY.holdAfterSpeechMs + TALK_POLICY.decideAfterHoldMs, marginAbove: TALK_POLICY.bidMarginAbove },
];
/** Backchannels of the onset study's unseen set, of one to four syllables. */
const UNSEEN_BACKCHANNELS_SAID = ['yep', 'cool', 'makes sense', 'interesting', 'great', 'perfect', 'of course', 'no way'];
const JUDGED_AT_MS = TALK_POINTS[TALK_POINTS.length - 1].atMs;

describe('onset ear (voices no template uses)', () => {
  let classifier: OnsetClassifier;
  beforeAll(async () => {
    classifier = await bundledOnsetClassifier();
  });

  /**
   * Whether the default policy hears a bid in each clip by its words (at any of its checks, each
   * judged as if the clip were still going), after the ear has heard the user say two sentences.
   */
  async function heardAs(voice: (typeof UNSEEN_VOICES)[number], clips: string[]) {
    const placed: { pcm: Int16Array; atMs: number }[] = [];
    let atMs = 500;
    for (const text of [
      'The library opens at nine on weekdays and at ten on Saturdays.',
      'My brother keeps bees in a small garden behind his house.',
      ...clips,
    ]) {
      const { pcm } = await synthesize(text, voice);
      placed.push({ pcm, atMs });
      atMs += Math.ceil(pcm.length / 16 / FRAME_MS) * FRAME_MS + 1_200;
    }
    const track = userTrack(atMs, placed, 'room_tone', 5);
    const listener = new Listener(new NeuralVad(new SileroStream(await testSilero())), new PitchTracker());
    const ear = new OnsetListener(classifier);
    const verdicts: (boolean | null)[] = [];
    let onsetFrame: number | null = null;
    let clip = 2;
    for (let i = 0; (i + 1) * FRAME_SAMPLES <= track.length && clip < placed.length; i++) {
      const frame = track.subarray(i * FRAME_SAMPLES, (i + 1) * FRAME_SAMPLES);
      const { speech } = await listener.hear(frame);
      ear.hear(frame, speech);
      if (i * FRAME_MS < placed[clip].atMs - 100) continue;
      if (speech && onsetFrame === null) onsetFrame = i;
      if (onsetFrame === null) continue;
      const point = TALK_POINTS.find((p) => (i - onsetFrame! + 1) * FRAME_MS === p.atMs);
      const verdict = point && ear.judge(point.atMs);
      if (verdict === undefined) continue;
      if (verdict === null || verdict.marginToBid > point!.marginAbove || point!.atMs === JUDGED_AT_MS) {
        verdicts.push(verdict && verdict.marginToBid > point!.marginAbove);
        onsetFrame = null;
        clip++;
      }
    }
    return verdicts;
  }

  it('cannot judge before it has heard a second of the user', () => {
    expect(new OnsetListener(classifier).judge(JUDGED_AT_MS)).toBeNull();
  });

  it('keeps most backchannels and catches most bids by its checks (up to 280 ms into them)', async () => {
    let kept = 0;
    let caught = 0;
    for (const voice of UNSEEN_VOICES) {
      const v = await heardAs(voice, [...BACKCHANNELS, ...BIDS]);
      expect(v).toHaveLength(BACKCHANNELS.length + BIDS.length);
      expect(v).not.toContain(null);
      kept += v.slice(0, BACKCHANNELS.length).filter((b) => b === false).length;
      caught += v.slice(BACKCHANNELS.length).filter((b) => b === true).length;
    }
    expect(kept).toBeGreaterThanOrEqual(11);
    expect(caught).toBeGreaterThanOrEqual(10);
  }, 120_000);

  it('keeps most backchannels that no template has: a word it never heard is not a bid', async () => {
    let stopped = 0;
    for (const voice of UNSEEN_VOICES) {
      const v = await heardAs(voice, UNSEEN_BACKCHANNELS_SAID);
      expect(v).not.toContain(null);
      stopped += v.filter((b) => b === true).length;
    }
    // 7 of 24 when written (the onset study's unseen set: 31 % of 204 with the same checks;
    // before the filler words and these margins, 57 % of them at 280 ms alone).
    expect(stopped).toBeLessThanOrEqual(8);
  }, 120_000);
});
