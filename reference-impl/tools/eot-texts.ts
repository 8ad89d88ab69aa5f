/**
 * Training material for the end-of-turn model: texts and voices that are NOT in the core suite
 * (datasets/recipes/core-texts.ts, CORE_VOICES), so its scores on the suite are not fitted to it.
 */

export const TRAIN_TEXTS: readonly string[] = [
  'I left my umbrella on the bus this morning and now it is pouring outside.',
  'Could you tell me how to get a stain out of a white cotton shirt?',
  'My neighbor is learning the trumpet, and he practices every evening after dinner.',
  'What is the best way to store fresh strawberries so they last a few days?',
  'We painted the kitchen yellow last spring, but now I think it looks too bright.',
  'Do you think it is worth buying a bike for a short commute to work?',
  'The library has a new reading room on the second floor with big windows.',
  'How do I change the battery in a smoke alarm that keeps beeping at night?',
  'Our flight was delayed for three hours, so we missed the connection in Chicago.',
  'Can you explain why the sky looks orange when the sun goes down?',
  'I have been trying to drink more water, although I keep forgetting during the day.',
  'Where would you go for a quiet holiday near the sea in late autumn?',
  'The dentist said I should floss more often and come back in six months.',
  "Is there a simple trick for remembering people's names at a party?",
  'My grandfather built this table by hand when he was about twenty years old.',
  'Which houseplants do well in a dark room with only one small window?',
  'Yesterday the power went out for an hour, and the whole street was dark.',
  'Should I wash new towels before I use them for the first time?',
  'The concert starts at eight, but the doors open an hour earlier.',
  'What can I cook tonight with potatoes, onions and a few eggs?',
  'I signed up for a pottery class, and the first lesson is on Thursday.',
  'How often should I water a lemon tree that lives on a balcony?',
  'Our team won the match on Sunday, even though two players were sick.',
  'Would you recommend learning the piano or the guitar as a first instrument?',
  'The bakery on the corner sells the best cinnamon rolls in the neighborhood.',
  'Why does bread go stale faster in the fridge than on the counter?',
  'I need to return these shoes because they are half a size too small.',
  'Is it safe to leave a laptop charging overnight every single night?',
  'My cousin moved to Norway last year and she says the winters are very long.',
  'How can I tell whether an avocado is ripe without cutting it open?',
  'The train was so crowded that I had to stand all the way to the city.',
  "What should I say in a short speech at my best friend's wedding?",
  'We adopted a dog from the shelter, and he already knows how to sit.',
  'Can you help me plan a budget for a small garden on a terrace?',
  'The museum closes early on Fridays, so we should go in the morning.',
  'When is the best time of year to plant tulip bulbs in the garden?',
];

/**
 * Voices (language voice + variant) with no variant or pairing used in the core suite; eSpeak's
 * f2-f5 variants are left out as the suite leaves them out (they add an echo).
 */
export const TRAIN_VOICES: readonly string[] = [
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
