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
import { subsequenceDtw, subsequenceMatch } from '../perception/keywords/dtw.ts';
import { durationPhrases } from '../perception/keywords/durations.ts';
import { fft } from '../perception/keywords/fft.ts';
import { mfcc, MFCC_DIMS, sliceFrames } from '../perception/keywords/mfcc.ts';
import { ONSET_TEMPLATE_VOICES } from '../perception/keywords/onset-vocabulary.ts';
import type { KeywordSpotter } from '../perception/keywords/spotter.ts';
import { buildKeywordTemplates, decodeKeywordTemplates, defaultKeywordSpotter, encodeKeywordTemplates, KEYWORD_TEMPLATES_URL, missingTemplates } from '../perception/keywords/templates.ts';
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
