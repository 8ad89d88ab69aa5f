/**
 * What the keyword spotter listens for, and in whose voices its templates are rendered. The
 * agent's own choice, from a spec, never from a suite: durations are every phrase of the
 * duration grammar (durations.ts: one second to a day, in words), task cues a general list of
 * the verbs people use to hand an assistant slow work, written without reading any suite.
 *
 * Template voices: eSpeak language voices and variants that no scenario folder uses, neither the
 * language nor the variant (the suites speak en-us, en-gb, en-gb-x-rp and en-029, with the
 * variants f1, Annie, m3, m7 and steph; the held-out suite keeps to en-gb-x-gbclan and
 * en-gb-x-gbcwmd and variants of its own). The agent's side of eSpeak is en-gb-scotland and
 * en-us-nyc with AGENT_VARIANTS; reference-impl/test/keywords.test.ts checks every scenario file
 * against it.
 */
import type { AgentVoice } from '../../voice-bank.ts';
import { durationPhrases, type DurationPhrase } from './durations.ts';

/** Spoken durations: every phrase of the spec (DURATION_SPEC), with its value. */
export const DURATION_PHRASES: readonly DurationPhrase[] = durationPhrases();

/** Verbs (and verb phrases) that hand an assistant something slow to do, to be done in the background. */
export const TASK_CUES: readonly string[] = [
  'look up',
  'check',
  'find',
  'search',
  'book',
  'order',
  'reserve',
  'calculate',
  'work out',
  'figure out',
  'translate',
  'summarize',
  'compare',
  'schedule',
  'remind',
  'research',
  'download',
  'track',
  'convert',
];

/** eSpeak language voices only the agent uses (no suite speaks with them). */
export const AGENT_LANGUAGES: readonly string[] = ['en-gb-scotland', 'en-us-nyc'];
/**
 * eSpeak variants only the agent uses ('': the language's own voice): its templates use the
 * first ten (none adds an echo); the onset study's dev voices (tools/onset-dev-voices.ts) also use the
 * rest. No suite uses any of them.
 */
export const AGENT_VARIANTS: readonly string[] = ['', 'm1', 'm4', 'm5', 'm6', 'm8', 'Andy', 'linda', 'belinda', 'anika', 'Andrea', 'Alicia', 'm2'];

export const TEMPLATE_VOICES: readonly AgentVoice[] = [
  { name: 'en-gb-scotland', rate_wpm: 170, pitch: 45 },
  { name: 'en-us-nyc+linda', rate_wpm: 165, pitch: 50 },
  { name: 'en-us-nyc+m4', rate_wpm: 175, pitch: 55 },
  { name: 'en-gb-scotland+belinda', rate_wpm: 180, pitch: 50 },
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
