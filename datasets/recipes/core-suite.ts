/**
 * The recipe for scenarios/core/: 62 scenarios over the five families, every choice (text,
 * voice, rate, pitch, pause places and lengths, noise floor, timing) drawn from one seeded
 * generator, so the suite is varied yet identical on every run.
 *
 *   npx tsx datasets/recipes/core-suite.ts     # rewrites scenarios/core/*.yaml
 *
 * The expectation semantics of each family are fixed here; change the recipe, never the
 * generated files.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Document, isMap, isScalar, isSeq, visit } from 'yaml';
import type { Action, CoreFamily as Family, Scenario } from '../../harness/scenario/schema.ts';
import { createRng, type Rng } from '../prng.ts';
import { FOLLOW_UPS, INTERRUPTIONS, LONG_ANSWER_REQUESTS, MONOLOGUES, PAUSE_TEXTS, QUESTIONS, USER_BACKCHANNELS } from './core-texts.ts';

export const CORE_SUITE_SEED = 20_261_125;
export const CORE_SUITE_DIR = fileURLToPath(new URL('../../scenarios/core/', import.meta.url));

export const CORE_FAMILY_COUNTS: Readonly<Record<Family, number>> = {
  turn_taking: 14,
  pause: 14,
  backchannel: 10,
  interruption: 12,
  user_backchannel: 12,
};

/**
 * Voices with no synthetic echo: eSpeak's f2-f5 variants add a 120-140 ms echo that keeps
 * sounding after a word's end, which would blur the planted turn end.
 */
export const CORE_VOICES: readonly { name: string; tags: readonly string[] }[] = [
  { name: 'en-us', tags: ['male', 'american'] },
  { name: 'en-gb', tags: ['male', 'british'] },
  { name: 'en-us+f1', tags: ['female', 'american'] },
  { name: 'en-gb+steph', tags: ['female', 'british'] },
  { name: 'en-us+Annie', tags: ['female', 'american'] },
  { name: 'en-gb-x-rp+m3', tags: ['male', 'british'] },
  { name: 'en-029+m7', tags: ['male', 'caribbean'] },
];

const DESCRIPTIONS: Record<Family, string> = {
  turn_taking: 'The user asks and stops. A good partner takes the turn promptly once the question has ended.',
  pause: 'The user hesitates mid-sentence, inside one fluent utterance. A good partner waits, then answers when the turn really ends.',
  backchannel: 'The user tells a long story with short pauses at clause boundaries. A good partner may backchannel but does not take over, and answers when the story ends.',
  interruption: 'The user asks for a long answer, then barges in with a new request. A good partner stops quickly and answers the new request.',
  user_backchannel: 'The user asks for a long answer and says a short backchannel while the agent talks. A good partner keeps talking.',
};

/** A text with `|` marks: the spoken text and the 1-based word indices the marks follow. */
export function parseMarks(marked: string): { text: string; marks: number[] } {
  const marks: number[] = [];
  let words = 0;
  for (const part of marked.split('|')) {
    words += part.trim().split(/\s+/).filter(Boolean).length;
    marks.push(words);
  }
  marks.pop(); // the end of the text is not a mark
  return { text: marked.replace(/\s*\|\s*/g, ' ').trim(), marks };
}

function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Takes items in a seeded order, reshuffling when the pool runs out. */
function dealer<T>(rng: Rng, items: readonly T[]): () => T {
  let deck: T[] = [];
  return () => {
    if (deck.length === 0) deck = shuffled(rng, items);
    return deck.pop()!;
  };
}

const round = (x: number, step: number) => Math.round(x / step) * step;

function headline(text: string): string {
  const words = text.split(/\s+/);
  return words.length <= 7 ? text : `${words.slice(0, 7).join(' ')}…`;
}

export function buildCoreSuite(seed = CORE_SUITE_SEED): Scenario[] {
  const rng = createRng(seed);
  const voice = dealer(rng, CORE_VOICES);
  const deal = {
    question: dealer(rng, QUESTIONS),
    followUp: dealer(rng, FOLLOW_UPS),
    pauseText: dealer(rng, PAUSE_TEXTS),
    monologue: dealer(rng, MONOLOGUES),
    longRequest: dealer(rng, LONG_ANSWER_REQUESTS),
    interruption: dealer(rng, INTERRUPTIONS),
    backchannel: dealer(rng, USER_BACKCHANNELS),
  };

  const scenario = (family: Family, index: number, title: string, timeline: Action[], extraTags: string[]): Scenario => {
    const v = voice();
    const rate = rng.int(140, 210);
    const noise = { kind: rng.pick(['room_tone', 'pink'] as const), level_dbfs: rng.int(-62, -50) };
    const tags = ['core', family, ...v.tags, ...(rate >= 190 ? ['fast'] : rate <= 155 ? ['slow'] : []), ...(noise.level_dbfs >= -54 ? ['noisy'] : []), ...extraTags];
    return {
      version: 1,
      id: `${family.replace('_', '-')}-${String(index).padStart(2, '0')}`,
      family,
      title,
      description: DESCRIPTIONS[family],
      tags,
      seed: rng.int(1, 2 ** 31 - 1),
      voice: { name: v.name, rate_wpm: rate, pitch: rng.int(30, 70) },
      noise,
      tail_ms: round(rng.int(3000, 5000), 100),
      timeline,
    };
  };
  const startMs = () => round(rng.int(500, 1500), 10);
  const out: Scenario[] = [];

  for (let i = 1; i <= CORE_FAMILY_COUNTS.turn_taking; i++) {
    const text = deal.question();
    const timeline: Action[] = [{ id: 'ask', at_ms: startMs(), speak: { text }, expect: [{ take_turn: { within_ms: 1500 } }] }];
    const twoQuestions = i % 2 === 0;
    if (twoQuestions) {
      timeline.push({
        id: 'follow_up',
        after: { event: 'agent_speech_end', delay_ms: round(rng.int(500, 900), 10), timeout_ms: 15_000 },
        speak: { text: deal.followUp() },
        expect: [{ take_turn: { within_ms: 1500 } }],
      });
    }
    out.push(scenario('turn_taking', i, `Turn taking: "${headline(text)}"`, timeline, twoQuestions ? ['two-questions'] : []));
  }

  for (let i = 1; i <= CORE_FAMILY_COUNTS.pause; i++) {
    const { text, marks } = parseMarks(deal.pauseText());
    const count = Math.min(rng.int(1, 2), marks.length);
    const places = shuffled(rng, marks).slice(0, count).sort((a, b) => a - b);
    const pauses = places.map((after_word) => ({ after_word, ms: round(rng.int(500, 2500), 10) }));
    const tags = [...(pauses.some((p) => p.ms >= 1500) ? ['long-pause'] : []), ...(count === 2 ? ['two-pauses'] : [])];
    const timeline: Action[] = [{ id: 'ask', at_ms: startMs(), speak: { text, pauses }, expect: [{ no_takeover: {} }, { take_turn: { within_ms: 1500 } }] }];
    out.push(scenario('pause', i, `Mid-turn pause: "${headline(text)}"`, timeline, tags));
  }

  for (let i = 1; i <= CORE_FAMILY_COUNTS.backchannel; i++) {
    const { text, marks } = parseMarks(deal.monologue());
    const count = Math.min(rng.int(2, 4), marks.length);
    const places = shuffled(rng, marks).slice(0, count).sort((a, b) => a - b);
    const pauses = places.map((after_word) => ({ after_word, ms: round(rng.int(400, 1200), 10) }));
    const timeline: Action[] = [
      { id: 'story', at_ms: startMs(), speak: { text, pauses }, expect: [{ backchannel_opportunity: {} }, { no_takeover: {} }, { take_turn: { within_ms: 2000 } }] },
    ];
    out.push(scenario('backchannel', i, `Monologue: "${headline(text)}"`, timeline, ['monologue']));
  }

  for (let i = 1; i <= CORE_FAMILY_COUNTS.interruption; i++) {
    const text = deal.longRequest();
    const delayMs = round(rng.int(800, 2500), 10);
    const timeline: Action[] = [
      { id: 'ask', at_ms: startMs(), speak: { text }, expect: [{ take_turn: { within_ms: 2000 } }] },
      {
        id: 'barge',
        after: { event: 'agent_speech_start', delay_ms: delayMs, timeout_ms: 10_000 },
        speak: { text: deal.interruption() },
        expect: [{ stop: { within_ms: 1500 } }, { answer: { within_ms: 2500 } }],
      },
    ];
    out.push(scenario('interruption', i, `Barge-in during: "${headline(text)}"`, timeline, delayMs < 1200 ? ['early-barge'] : delayMs > 2000 ? ['late-barge'] : []));
  }

  for (let i = 1; i <= CORE_FAMILY_COUNTS.user_backchannel; i++) {
    const text = deal.longRequest();
    const word = deal.backchannel();
    const timeline: Action[] = [
      { id: 'ask', at_ms: startMs(), speak: { text }, expect: [{ take_turn: { within_ms: 2000 } }] },
      {
        id: 'mhm',
        after: { event: 'agent_speech_start', delay_ms: round(rng.int(1000, 2500), 10), timeout_ms: 10_000 },
        backchannel: { text: word },
        expect: [{ keep_talking: {} }],
      },
    ];
    out.push(scenario('user_backchannel', i, `User says "${word}" during: "${headline(text)}"`, timeline, []));
  }
  return out;
}

const FLOW_MAPS = new Set(['voice', 'noise', 'after', 'take_turn', 'no_takeover', 'backchannel_opportunity', 'stop', 'answer', 'keep_talking', 'pauses']);

export function toYaml(s: Scenario, seed = CORE_SUITE_SEED): string {
  const doc = new Document(s);
  doc.commentBefore = ` Generated by datasets/recipes/core-suite.ts (seed ${seed}): edit the recipe and re-run it, not this file.`;
  visit(doc, {
    Pair(_, pair) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (FLOW_MAPS.has(key) && (isMap(pair.value) || isSeq(pair.value))) pair.value.flow = true;
      if (key === 'tags' && isSeq(pair.value)) pair.value.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

export function writeCoreSuite(dir = CORE_SUITE_DIR, seed = CORE_SUITE_SEED): string[] {
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) if (f.endsWith('.yaml')) rmSync(join(dir, f));
  return buildCoreSuite(seed).map((s) => {
    const file = join(dir, `${s.id}.yaml`);
    writeFileSync(file, toYaml(s, seed));
    return file;
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const files = writeCoreSuite();
  console.log(`wrote ${files.length} scenarios to ${CORE_SUITE_DIR}`);
}
