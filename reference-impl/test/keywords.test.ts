/**
 * The keyword spotter's parts with known answers (FFT, DTW), where its vocabulary and voices
 * come from (a spec and the agent's own side of eSpeak, never a suite), the stored templates,
 * and the spotter itself on requests that appear in no suite, said in voices its templates do
 * not use.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { synthesize } from '../../datasets/tts/espeak.ts';
import { anchoredMatch, dtwWork, subsequenceDtw, subsequenceMatch } from '../perception/keywords/dtw.ts';
import { createRng } from '../../datasets/prng.ts';
import { durationPhrases } from '../perception/keywords/durations.ts';
import { fft } from '../perception/keywords/fft.ts';
import { mfcc, MFCC_DIMS, pooled, sliceFrames, type Features } from '../perception/keywords/mfcc.ts';
import { ONSET_TEMPLATE_VOICES } from '../perception/keywords/onset-vocabulary.ts';
import { DEFAULT_SPOTTER, type KeywordSpotter } from '../perception/keywords/spotter.ts';
import {
  buildKeywordTemplates,
  decodeKeywordTemplates,
  defaultKeywordSpotter,
  encodeKeywordTemplates,
  KEYWORD_TEMPLATES_URL,
  missingTemplates,
} from '../perception/keywords/templates.ts';
import { quantized } from '../perception/keywords/onset-model.ts';
import { AGENT_LANGUAGES, AGENT_VARIANTS, DURATION_PHRASES, TASK_CUES, TEMPLATE_VOICES } from '../perception/keywords/vocabulary.ts';
import { trimToFrames } from '../voice-bank.ts';

const scenariosRoot = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/** Every text and voice name in every scenario file. */
function scenarioStrings(): { texts: string[]; voices: string[] } {
  const texts: string[] = [];
  const voices: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'text' && typeof v === 'string') texts.push(v);
        else if (k === 'name' && typeof v === 'string') voices.push(v);
        else visit(v);
      }
    }
  };
  const walk = (dir: string) => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.yaml')) visit(parse(readFileSync(p, 'utf8')));
    }
  };
  walk(scenariosRoot);
  return { texts, voices };
}

describe('fft', () => {
  it('puts a cosine at bin 5 of 64 into bins 5 and 59, each with half its energy', () => {
    const n = 64;
    const re = Float64Array.from({ length: n }, (_, i) => Math.cos((2 * Math.PI * 5 * i) / n));
    const im = new Float64Array(n);
    fft(re, im);
    const magnitude = Array.from(re, (r, k) => Math.hypot(r, im[k]));
    expect(magnitude[5]).toBeCloseTo(n / 2, 9);
    expect(magnitude[59]).toBeCloseTo(n / 2, 9);
    expect(magnitude.filter((_, k) => k !== 5 && k !== 59).every((m) => m < 1e-9)).toBe(true);
  });
});

describe('subsequence DTW', () => {
  it('scores 0 for a template cut out of the query, where it was cut, and more for one that is not in it', async () => {
    const s = await synthesize('The garden gate was left open all night.', { name: 'en-us', rate_wpm: 170, pitch: 50 });
    const query = mfcc(s.pcm);
    const gate = s.words.find((w) => w.text === 'gate')!;
    const cut = sliceFrames(query, gate.startMs, gate.endMs);
    expect(subsequenceDtw(cut, query)).toBe(0);
    expect(subsequenceMatch(cut, query).end).toBe(Math.ceil(gate.endMs / 10) - 1);
    const other = mfcc((await synthesize('Thirty.', { name: 'en-us', rate_wpm: 170, pitch: 50 })).pcm);
    expect(subsequenceDtw(other, query)).toBeGreaterThan(0.5);
    expect(query.data.length).toBe(query.frames * MFCC_DIMS);
  });

  /** The whole cost table, as the matcher was first written: the cost of the best match ending at each query frame. */
  const wholeTable = (t: Features, q: Features): number[] => {
    const d = (i: number, j: number) =>
      Math.sqrt(Array.from({ length: MFCC_DIMS }, (_, k) => (t.data[i * MFCC_DIMS + k] - q.data[j * MFCC_DIMS + k]) ** 2).reduce((a, b) => a + b, 0));
    const cost: number[][] = [];
    for (let j = 0; j < q.frames; j++) {
      cost.push([]);
      for (let i = 0; i < t.frames; i++) {
        const before =
          i === 0
            ? 0
            : Math.min(
                cost[j - 1]?.[i - 1] ?? Infinity,
                cost[j - 2]?.[i - 1] ?? Infinity,
                i >= 2 ? (cost[j - 1]?.[i - 2] ?? Infinity) + d(i - 1, j) : Infinity,
              );
        cost[j].push(d(i, j) + before);
      }
    }
    return cost.map((c) => c[t.frames - 1]);
  };
  const noise = (rng: ReturnType<typeof createRng>, frames: number): Features => ({
    frames,
    data: Float32Array.from({ length: frames * MFCC_DIMS }, () => rng.next() * 4 - 2),
  });
  const close = (a: number, b: number) => a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

  it('with a bound and an end range finds every match it keeps exactly as the whole table does, and drops the rest', () => {
    const rng = createRng(23);
    for (let k = 0; k < 200; k++) {
      const q = noise(rng, rng.int(8, 80));
      // Some templates cut out of the query (a match at 0), most not.
      const m = rng.int(1, 25);
      const at = rng.int(0, Math.max(0, q.frames - m));
      const t = k % 3 === 0 && at + m <= q.frames ? { frames: m, data: q.data.slice(at * MFCC_DIMS, (at + m) * MFCC_DIMS) } : noise(rng, m);
      const ends = wholeTable(t, q);
      const from = k % 2 ? 0 : rng.int(0, q.frames - 1);
      const to = k % 2 ? q.frames - 1 : Math.min(q.frames - 1, from + rng.int(0, 8));
      let best = Infinity;
      let end = -1;
      for (let j = from; j <= to; j++) if (ends[j] < best) [best, end] = [ends[j], j];
      const want = q.frames * 2 < m || best === Infinity ? { score: Infinity, end: -1 } : { score: best / m, end };
      for (const bound of [Infinity, want.score * 1.3, want.score, want.score * 0.97]) {
        const got = subsequenceMatch(t, q, bound, from, to);
        const kept = want.score <= bound ? want : { score: Infinity, end: -1 };
        expect(close(got.score, kept.score), `case ${k}, bound ${bound}`).toBe(true);
        expect(got.end, `case ${k}, bound ${bound}`).toBe(kept.end);
        // Backwards from the end range: the same paths, so the same score (up to rounding).
        expect(close(anchoredMatch(t, q, from, to, bound), kept.score), `anchored, case ${k}, bound ${bound}`).toBe(true);
      }
    }
  });

  it('computes far fewer frame distances where a bound or an end is given', async () => {
    const s = await synthesize('Could you remind me in forty minutes about the parcel?', { name: 'en-us', rate_wpm: 170, pitch: 50 });
    const query = pooled(mfcc(s.pcm));
    const word = s.words.find((w) => w.text.startsWith('minutes'))!;
    // "forty minutes", cut out of the query itself (20 ms frames).
    const first = Math.floor(s.words.find((w) => w.text === 'forty')!.startMs / 20);
    const last = Math.ceil(word.endMs / 20);
    const template = { frames: last - first, data: query.data.slice(first * MFCC_DIMS, last * MFCC_DIMS) };
    const whole = template.frames * query.frames;
    const cost = (f: () => number) => {
      const d0 = dtwWork.distances;
      expect(f()).toBe(0);
      return dtwWork.distances - d0;
    };
    const end = last - 1;
    expect(cost(() => subsequenceMatch(template, query).score)).toBeLessThanOrEqual(whole);
    expect(cost(() => subsequenceMatch(template, query, 0.5).score)).toBeLessThan(whole * 0.8);
    expect(cost(() => subsequenceMatch(template, query, 0.5, end - 3, end + 3).score)).toBeLessThan(whole * 0.5);
    expect(cost(() => anchoredMatch(template, query, end - 3, end + 3, 0.5))).toBeLessThan(whole * 0.25);
  });
});

describe('keyword vocabulary: from a spec, in voices no suite uses', () => {
  it('durations are the grammar of durations.ts and nothing else (no suite text is needed to build them)', () => {
    expect(DURATION_PHRASES).toEqual(durationPhrases());
    expect(DURATION_PHRASES.length).toBeGreaterThan(150);
  });

  it('the vocabulary reaches far past what the suites ask for: most duration phrases and task verbs are in no scenario', () => {
    const all = scenarioStrings().texts.join(' \n ').toLowerCase();
    const inSuites = DURATION_PHRASES.filter((d) => new RegExp(`\\b${d.text}\\b`).test(all));
    // The suites ask for a dozen or so durations; the spec holds every count from one second to a day.
    expect(inSuites.length).toBeLessThan(DURATION_PHRASES.length / 5);
    const verbsInSuites = TASK_CUES.filter((v) => new RegExp(`\\b${v}\\b`).test(all));
    expect(TASK_CUES.length - verbsInSuites.length).toBeGreaterThanOrEqual(8);
  });

  it('template voices share no eSpeak language voice or variant with any scenario file', () => {
    const used = scenarioStrings().voices.filter((n) => n.startsWith('en'));
    expect(used.length).toBeGreaterThan(100);
    const languages = new Set(used.map((n) => n.split('+')[0]));
    const variants = new Set(used.map((n) => n.split('+')[1] ?? ''));
    for (const v of [...TEMPLATE_VOICES, ...ONSET_TEMPLATE_VOICES]) {
      const [language, variant = ''] = v.name.split('+');
      expect(AGENT_LANGUAGES, v.name).toContain(language);
      expect(AGENT_VARIANTS, v.name).toContain(variant);
      expect(languages.has(language), `${v.name}: a scenario speaks ${language}`).toBe(false);
      if (variant) expect(variants.has(variant), `${v.name}: a scenario uses the variant ${variant}`).toBe(false);
    }
  });
});

describe('stored keyword templates', () => {
  const path = fileURLToPath(KEYWORD_TEMPLATES_URL);
  const stored = decodeKeywordTemplates(readFileSync(path, 'utf8'), path);

  it('hold every entry of the vocabulary in every template voice, and nothing else', () => {
    expect(missingTemplates(stored)).toEqual([]);
    const perVoice = DURATION_PHRASES.length + TASK_CUES.length + 6;
    expect(stored).toHaveLength(TEMPLATE_VOICES.length * perVoice);
  });

  it('are what the recipe renders (some entries rebuilt, byte for byte after quantization)', async () => {
    const some = new Set(['ninety seconds', 'an hour and a half', 'seconds', 'translate']);
    const rebuilt = await buildKeywordTemplates({ voices: [TEMPLATE_VOICES[2]], backgroundVoices: TEMPLATE_VOICES, only: (t) => some.has(t) });
    const mine = stored.filter((t) => t.voice === TEMPLATE_VOICES[2].name && some.has(t.text));
    expect(rebuilt.map((t) => [t.kind, t.text])).toEqual(mine.map((t) => [t.kind, t.text]));
    rebuilt.forEach((t, i) => {
      expect(Int8Array.from(t.features.data, quantized)).toEqual(Int8Array.from(mine[i].features.data, quantized));
      expect(t.backgroundMean).toBeCloseTo(mine[i].backgroundMean, 9);
      expect(t.backgroundSd).toBeCloseTo(mine[i].backgroundSd, 9);
    });
  }, 120_000);

  it('come back from encoding unchanged', () => {
    const some = stored.slice(0, 5);
    expect(decodeKeywordTemplates(encodeKeywordTemplates(some), 'memory')).toEqual(some);
  });

  it('refuse a file made for other features, saying how to rebuild it', () => {
    const json = JSON.parse(encodeKeywordTemplates(stored.slice(0, 1))) as { mfccDims: number };
    json.mfccDims = 13;
    expect(() => decodeKeywordTemplates(JSON.stringify(json), 'old.json')).toThrow(/old\.json.*13 MFCCs.*build-keyword-templates/);
  });
});

describe('keyword spotter (requests in no suite, voices its templates do not use)', () => {
  let spotter: KeywordSpotter;
  beforeAll(async () => {
    spotter = await defaultKeywordSpotter();
  }, 60_000);
  /** Neither a template voice nor a suite voice: the agent's languages with a variant its spotter templates lack. */
  const unseen = { name: 'en-us-nyc+Andrea', rate_wpm: 175, pitch: 45 };
  const hear = async (text: string) => spotter.spot(trimToFrames((await synthesize(text, unseen)).pcm));

  it('tests with a voice outside the template voices and outside every suite', () => {
    expect(TEMPLATE_VOICES.map((v) => v.name)).not.toContain(unseen.name);
    expect(scenarioStrings().voices).not.toContain(unseen.name);
  });

  it('hears durations no suite asks for', async () => {
    const texts = scenarioStrings().texts.join('\n').toLowerCase();
    for (const [text, durationMs, phrase] of KNOWN_DURATIONS) {
      expect(texts.includes(phrase), `${phrase} is in a suite`).toBe(false);
      expect(await hear(text), text).toMatchObject({ kind: 'duration', durationMs });
    }
  }, 60_000);

  it('finds task verbs no suite uses: the closest cue is the verb said, and the long ones pass the threshold', async () => {
    const texts = scenarioStrings().texts.join('\n').toLowerCase();
    let closestRight = 0;
    const heard: string[] = [];
    for (const [text, verb] of KNOWN_TASKS) {
      expect(new RegExp(`\\b${verb}\\b`).test(texts), `${verb} is in a suite`).toBe(false);
      const turn = trimToFrames((await synthesize(text, unseen)).pcm);
      if ((await spotter.closest(turn)).task?.text === verb) closestRight++;
      const got = await spotter.spot(turn);
      if (got) {
        expect(got, text).toMatchObject({ kind: 'task', text: verb });
        heard.push(verb);
      }
    }
    // Measured (2026-12-06): the closest cue right for 7 of 8; calculate, schedule and research
    // heard. Short verbs are heard poorly: the threshold was set on the dev set for few false alarms.
    expect(closestRight).toBeGreaterThanOrEqual(6);
    expect(heard.length, heard.join(', ')).toBeGreaterThanOrEqual(3);
  }, 120_000);

  it('spot gives what closest gives with the thresholds applied (its bounds only skip work), for a fraction of the work', async () => {
    const texts = [
      ...KNOWN_DURATIONS.map(([t]) => t),
      ...KNOWN_TASKS.slice(0, 3).map(([t]) => t),
      'We came second in the pub quiz, an hour after the minutes were read.',
    ];
    let fast = 0;
    let slow = 0;
    for (const text of texts) {
      const turn = trimToFrames((await synthesize(text, unseen)).pcm);
      let d0 = dtwWork.distances;
      const c = await spotter.closest(turn);
      slow += dtwWork.distances - d0;
      d0 = dtwWork.distances;
      const got = await spotter.spot(turn);
      fast += dtwWork.distances - d0;
      const want = c.duration && c.duration.z <= DEFAULT_SPOTTER.maxDurationZ ? c.duration : c.task && c.task.z <= DEFAULT_SPOTTER.maxTaskZ ? c.task : null;
      expect(got?.text ?? null, text).toBe(want?.text ?? null);
      if (got && want) expect(got.z, text).toBeCloseTo(want.z, 9);
    }
    expect(fast).toBeLessThan(slow * 0.7);
  }, 120_000);

  it('matches fewer frame distances than the suite-vocabulary spotter it replaced (68 templates matched over the whole turn): a duration, a task, a long turn with both', async () => {
    // That spotter's 12 durations and 5 task cues in 4 voices held 2,484 template frames in all
    // (20 ms frames; reference-impl/tools/kws-cpu.ts counts what each spotter computes).
    const OLD_FRAMES = 2_484;
    for (const text of [
      KNOWN_DURATIONS[1][0],
      KNOWN_TASKS[0][0],
      `${KNOWN_DURATIONS[2][0]} ${KNOWN_TASKS[4][0]} We moved into the new apartment last month and we still have boxes everywhere.`,
    ]) {
      const turn = trimToFrames((await synthesize(text, unseen)).pcm);
      const d0 = dtwWork.distances;
      await spotter.spot(turn);
      expect(dtwWork.distances - d0, text).toBeLessThan(OLD_FRAMES * pooled(mfcc(turn)).frames);
    }
  }, 60_000);

  it('warms up by matching (so a process pays for compiling the matcher at startup, not on its first turn), and that changes nothing', async () => {
    const turn = trimToFrames((await synthesize(KNOWN_DURATIONS[0][0], unseen)).pcm);
    const before = await spotter.spot(turn);
    const d0 = dtwWork.distances;
    await spotter.warmUp();
    expect(dtwWork.distances - d0).toBeGreaterThan(10_000);
    expect(await spotter.spot(turn)).toEqual(before);
  }, 60_000);

  it('hears nothing in a turn without a time phrase or a slow request', async () => {
    expect(await hear('We moved into the new apartment last month and we still have boxes everywhere.')).toBeNull();
  });
});

/** Requests written for this test (none in any suite), with what they ask for. */
const KNOWN_DURATIONS: [string, number, string][] = [
  ['Could you buzz me in ninety seconds?', 90_000, 'ninety seconds'],
  ['Wake me up in an hour and a half.', 5_400_000, 'an hour and a half'],
  ['Let the dough rest for two and a half minutes and then tell me.', 150_000, 'two and a half minutes'],
];
const KNOWN_TASKS: [string, string][] = [
  ['Summarize this article for me.', 'summarize'],
  ['Compare the two insurance offers for me.', 'compare'],
  ['Calculate how much paint I need for the kitchen.', 'calculate'],
  ['Please schedule a haircut for next week.', 'schedule'],
  ['Could you research cheap flights to Lisbon?', 'research'],
  ['Reserve two seats for the late show.', 'reserve'],
  ['Download the photos from the school trip.', 'download'],
  ['Can you track the parcel from my aunt?', 'track'],
];
