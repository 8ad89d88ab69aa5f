/**
 * What the onset classifier (onset-words.ts) knows: the backchannels users say, the words
 * that open a bid for the turn and ordinary words that do neither, in voices none of the
 * generated suites or the end-of-turn training set uses. The agent's own choice, not read from any scenario. Rendering all of it
 * takes about 3 minutes, so the result is stored (onset-model.ts, built by
 * reference-impl/tools/build-onset-templates.ts).
 */
import type { AgentVoice } from '../../voice-bank.ts';
import { AGENT_LANGUAGES, AGENT_VARIANTS, BACKGROUND_TEXTS, TEMPLATE_VOICES } from './vocabulary.ts';
import type { OnsetVocabulary } from './onset-words.ts';

export const ONSET_VOCABULARY: OnsetVocabulary = {
  backchannels: ['mm-hmm', 'mhm', 'uh-huh', 'yeah', 'yes', 'okay', 'right', 'I see', 'sure', 'got it'],
  openers: [
    'Wait,',
    'Hold on,',
    'Hang on,',
    'Sorry,',
    'Stop,',
    'Actually,',
    'Excuse me,',
    'No,',
    'But',
    'Listen,',
    'Just a second,',
    'One moment,',
    'Hey,',
    'Can I',
    'What about',
    'Let me',
  ],
  // Common words of every kind (nouns, numbers, days, adverbs, a greeting), written as a
  // general list, none a backchannel or an opener. Five voices of them cut backchannels no
  // template has heard as bids from 56 % to 36 % (eSpeak) and 63 % to 51 % (Festival) at 280 ms
  // on the onset study's unseen set; twenty voices did no better (README, "Onset ear").
  others: [
    'apple',
    'morning',
    'seven',
    'garden',
    'hello',
    'music',
    'because',
    'maybe',
    'thanks',
    'lovely',
    'probably',
    'honestly',
    'good',
    'fine',
    'nothing',
    'something',
    'there',
    'today',
    'water',
    'people',
    'only',
    'other',
    'many',
    'little',
    'number',
    'money',
    'window',
    'yellow',
    'family',
    'ninety',
    'summer',
    'holiday',
    'doctor',
    'teacher',
    'monday',
    'animal',
    'basket',
    'careful',
    'simple',
    'london',
  ],
  othersVoices: 5,
  carrier: 'I have another question.',
  statsTexts: BACKGROUND_TEXTS,
};

/**
 * The spotter's 4 voices plus the other 16 pairs of the agent's languages and its first ten
 * variants (vocabulary.ts): no suite uses any of these languages or variants. (Until issue 23
 * the 16 were pairs such as en-us+m1 and en-gb+f1, 18 of 20 sharing a language or a variant with
 * a suite voice.)
 */
export const ONSET_TEMPLATE_VOICES: readonly AgentVoice[] = [
  ...TEMPLATE_VOICES,
  ...AGENT_LANGUAGES.flatMap((language) => AGENT_VARIANTS.slice(0, 10).map((variant) => (variant ? `${language}+${variant}` : language)))
    .filter((name) => !TEMPLATE_VOICES.some((v) => v.name === name))
    .map((name, i) => ({ name, rate_wpm: 160 + (i % 4) * 10, pitch: 40 + (i % 3) * 10 })),
];
