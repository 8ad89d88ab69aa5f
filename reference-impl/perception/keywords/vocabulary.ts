/**
 * What the keyword spotter listens for, and in whose voices its templates are rendered. The
 * agent's own choice: none of it is read from scenario files. Template voices are eSpeak
 * voices (language + variant) that the generated suites do not use (their list:
 * datasets/recipes/core-suite.ts CORE_VOICES), so the suites test it on voices it has not heard.
 */
import type { AgentVoice } from '../../voice-bank.ts';

/** Spoken durations: a number word and its unit, said together. */
export const DURATION_PHRASES: readonly { text: string; durationMs: number }[] = [
  { text: 'five seconds', durationMs: 5_000 },
  { text: 'ten seconds', durationMs: 10_000 },
  { text: 'twelve seconds', durationMs: 12_000 },
  { text: 'fifteen seconds', durationMs: 15_000 },
  { text: 'twenty seconds', durationMs: 20_000 },
  { text: 'thirty seconds', durationMs: 30_000 },
  { text: 'forty seconds', durationMs: 40_000 },
  { text: 'forty five seconds', durationMs: 45_000 },
  { text: 'sixty seconds', durationMs: 60_000 },
  { text: 'one minute', durationMs: 60_000 },
  { text: 'two minutes', durationMs: 120_000 },
  { text: 'twenty minutes', durationMs: 1_200_000 },
];

/** Words that ask for something slow (a lookup the agent runs in the background). */
export const TASK_CUES: readonly string[] = ['look up', 'check', 'find', 'search', 'work out'];

export const TEMPLATE_VOICES: readonly AgentVoice[] = [
  { name: 'en-us+m3', rate_wpm: 170, pitch: 45 },
  { name: 'en-gb-scotland', rate_wpm: 165, pitch: 50 },
  { name: 'en-us+linda', rate_wpm: 175, pitch: 55 },
  { name: 'en-gb+belinda', rate_wpm: 180, pitch: 50 },
];

/**
 * Ordinary sentences with none of the keywords, said in the template voices at startup: how
 * well each template matches speech that does not hold it sets that template's yardstick (some
 * templates match any speech closely, some none).
 */
export const BACKGROUND_TEXTS: readonly string[] = [
  'My sister planted tomatoes along the fence, and the birds ate most of them.',
  'Would you rather have pancakes or eggs on a rainy Sunday morning?',
  'The old bridge was painted green, although nobody remembers why.',
  'We could walk along the river if the weather holds until the evening.',
  'How do people keep their houseplants alive through a long winter?',
  'He borrowed my ladder in the spring and never brought it back.',
];
