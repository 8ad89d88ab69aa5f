/**
 * The eSpeak voices tools/onset-study.ts judges the barge-in choices on (its dev set): language
 * voices and variants no core scenario pairs. Until issue 23 they were also the end-of-turn
 * model's training voices, which now come from Festival (tools/train-eot.ts). Known debt: some
 * share a language voice with a suite (en-us, en-029, en-gb-x-rp; en-gb-x-gbclan and
 * en-gb-x-gbcwmd with the held-out set), so the onset study's dev figures are not engine- or
 * voice-disjoint.
 */
export const ONSET_DEV_VOICES: readonly string[] = [
  'en-us+m3',
  'en-gb-scotland',
  'en-us-nyc',
  'en-gb-x-gbclan+m1',
  'en-us+linda',
  'en-gb+belinda',
  'en-029',
  'en-gb-x-gbcwmd+m2',
  'en-us+m6',
  'en-gb+anika',
  'en-gb-x-rp+m5',
  'en-us+Alicia',
  'en-gb-scotland+m4',
  'en-us-nyc+Andrea',
];

/** Backchannels no template, suite or held-out scenario says (reference-impl/test/onset.test.ts checks). */
export const UNSEEN_BACKCHANNELS: readonly string[] = [
  'yep',
  'cool',
  'nice',
  'hmm',
  'aha',
  'makes sense',
  'of course',
  'sounds good',
  'interesting',
  'totally',
  'gotcha',
  'right right',
  'no way',
  'great',
  'all right',
  'indeed',
  'perfect',
];
