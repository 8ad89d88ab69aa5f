/**
 * What the onset classifier (onset-words.ts) knows: the backchannels users say and the words
 * that open a bid for the turn, in voices none of the generated suites or the end-of-turn
 * training set uses. The agent's own choice, not read from any scenario. Rendering all of it
 * takes about 3 minutes, so the result is stored (onset-model.ts, built by
 * reference-impl/tools/build-onset-templates.ts).
 */
import type { AgentVoice } from '../../voice-bank.ts';
import { BACKGROUND_TEXTS, TEMPLATE_VOICES } from './vocabulary.ts';
import type { OnsetVocabulary } from './onset-words.ts';

export const ONSET_VOCABULARY: OnsetVocabulary = {
  backchannels: ['mm-hmm', 'mhm', 'uh-huh', 'yeah', 'yes', 'okay', 'right', 'I see', 'sure', 'got it'],
  openers: ['Wait,', 'Hold on,', 'Hang on,', 'Sorry,', 'Stop,', 'Actually,', 'Excuse me,', 'No,', 'But', 'Listen,', 'Just a second,', 'One moment,', 'Hey,', 'Can I', 'What about', 'Let me'],
  carrier: 'I have another question.',
  statsTexts: BACKGROUND_TEXTS,
};

/** The spotter's 4 voices plus 16 language+variant pairs (4 -> 20 voices: backchannels kept 88 -> 96 %, bids caught 83 -> 86 % at 280 ms on the dev voices). */
export const ONSET_TEMPLATE_VOICES: readonly AgentVoice[] = [
  ...TEMPLATE_VOICES,
  ...['en-us+m1', 'en-us+m8', 'en-us+Andy', 'en-us+belinda', 'en-gb+m1', 'en-gb+m6', 'en-gb+f1', 'en-gb+linda', 'en-gb-scotland+f1', 'en-gb-scotland+Alicia', 'en-us-nyc+m7', 'en-us-nyc+steph', 'en-029+f1', 'en-029+m4', 'en-gb-x-rp+f1', 'en-gb-x-gbclan+Annie'].map(
    (name, i) => ({ name, rate_wpm: 160 + (i % 4) * 10, pitch: 40 + (i % 3) * 10 }),
  ),
];
