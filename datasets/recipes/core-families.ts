/**
 * The five core families' timelines (turn taking, pause, backchannel, interruption, user
 * backchannel), built once for every suite that has them: scenarios/core and the frozen
 * held-out set differ only in their texts, voices, counts and the ranges their times are drawn
 * from. The order of draws is part of each suite's identity (a suite is its seed): change it
 * and the generated files change, which the held-out test's hash refuses.
 */
import type { Action, CoreFamily } from '../../harness/scenario/schema.ts';
import type { Rng } from '../prng.ts';
import { headline, parseMarks, round, shuffled } from './deal.ts';

/** The texts a suite deals from, each a seeded dealer. */
interface CoreTexts {
  question: () => string;
  followUp: () => string;
  pauseText: () => string;
  monologue: () => string;
  longRequest: () => string;
  interruption: () => string;
  backchannel: () => string;
}

/** Ranges times are drawn from, ms, [min, max]. */
export interface CoreRanges {
  followUpDelayMs: readonly [number, number];
  pauseMs: readonly [number, number];
  storyPauseMs: readonly [number, number];
  bargeDelayMs: readonly [number, number];
  userBackchannelDelayMs: readonly [number, number];
  /** Which turn-taking scenarios (1-based index parity) ask a follow-up question. */
  followUpOn: 'even' | 'odd';
}

interface BuiltTimeline {
  family: CoreFamily;
  index: number;
  title: string;
  timeline: Action[];
  tags: string[];
}

/**
 * Every core-family timeline, family by family; `each` makes the scenario around it (drawing its
 * voice and shell) before the next timeline is drawn.
 */
export function buildCoreFamilies(
  rng: Rng,
  texts: CoreTexts,
  ranges: CoreRanges,
  counts: Readonly<Record<CoreFamily, number>>,
  startMs: () => number,
  each: (t: BuiltTimeline) => void,
): void {
  const draw = ([min, max]: readonly [number, number]) => round(rng.int(min, max), 10);

  for (let i = 1; i <= counts.turn_taking; i++) {
    const text = texts.question();
    const timeline: Action[] = [{ id: 'ask', at_ms: startMs(), speak: { text }, expect: [{ take_turn: { within_ms: 1500 } }] }];
    const twoQuestions = i % 2 === (ranges.followUpOn === 'even' ? 0 : 1);
    if (twoQuestions) {
      timeline.push({
        id: 'follow_up',
        after: { event: 'agent_speech_end', delay_ms: draw(ranges.followUpDelayMs), timeout_ms: 15_000 },
        speak: { text: texts.followUp() },
        expect: [{ take_turn: { within_ms: 1500 } }],
      });
    }
    each({ family: 'turn_taking', index: i, title: `Turn taking: "${headline(text)}"`, timeline, tags: twoQuestions ? ['two-questions'] : [] });
  }

  for (let i = 1; i <= counts.pause; i++) {
    const { text, marks } = parseMarks(texts.pauseText());
    const count = Math.min(rng.int(1, 2), marks.length);
    const places = shuffled(rng, marks)
      .slice(0, count)
      .sort((a, b) => a - b);
    const pauses = places.map((after_word) => ({ after_word, ms: draw(ranges.pauseMs) }));
    const tags = [...(pauses.some((p) => p.ms >= 1500) ? ['long-pause'] : []), ...(count === 2 ? ['two-pauses'] : [])];
    const timeline: Action[] = [{ id: 'ask', at_ms: startMs(), speak: { text, pauses }, expect: [{ no_takeover: {} }, { take_turn: { within_ms: 1500 } }] }];
    each({ family: 'pause', index: i, title: `Mid-turn pause: "${headline(text)}"`, timeline, tags });
  }

  for (let i = 1; i <= counts.backchannel; i++) {
    const { text, marks } = parseMarks(texts.monologue());
    const count = Math.min(rng.int(2, 4), marks.length);
    const places = shuffled(rng, marks)
      .slice(0, count)
      .sort((a, b) => a - b);
    const pauses = places.map((after_word) => ({ after_word, ms: draw(ranges.storyPauseMs) }));
    const timeline: Action[] = [
      {
        id: 'story',
        at_ms: startMs(),
        speak: { text, pauses },
        expect: [{ backchannel_opportunity: {} }, { no_takeover: {} }, { take_turn: { within_ms: 2000 } }],
      },
    ];
    each({ family: 'backchannel', index: i, title: `Monologue: "${headline(text)}"`, timeline, tags: ['monologue'] });
  }

  for (let i = 1; i <= counts.interruption; i++) {
    const text = texts.longRequest();
    const delayMs = draw(ranges.bargeDelayMs);
    const timeline: Action[] = [
      { id: 'ask', at_ms: startMs(), speak: { text }, expect: [{ take_turn: { within_ms: 2000 } }] },
      {
        id: 'barge',
        after: { event: 'agent_speech_start', delay_ms: delayMs, timeout_ms: 10_000 },
        speak: { text: texts.interruption() },
        expect: [{ stop: { within_ms: 1500 } }, { answer: { within_ms: 2500 } }],
      },
    ];
    each({
      family: 'interruption',
      index: i,
      title: `Barge-in during: "${headline(text)}"`,
      timeline,
      tags: delayMs < 1200 ? ['early-barge'] : delayMs > 2000 ? ['late-barge'] : [],
    });
  }

  for (let i = 1; i <= counts.user_backchannel; i++) {
    const text = texts.longRequest();
    const word = texts.backchannel();
    const timeline: Action[] = [
      { id: 'ask', at_ms: startMs(), speak: { text }, expect: [{ take_turn: { within_ms: 2000 } }] },
      {
        id: 'mhm',
        after: { event: 'agent_speech_start', delay_ms: draw(ranges.userBackchannelDelayMs), timeout_ms: 10_000 },
        backchannel: { text: word },
        expect: [{ keep_talking: {} }],
      },
    ];
    each({ family: 'user_backchannel', index: i, title: `User says "${word}" during: "${headline(text)}"`, timeline, tags: [] });
  }
}
