/**
 * English closed-class words that do not end a sentence: articles and other determiners, subject
 * and possessive pronouns, prepositions, conjunctions, auxiliaries and modals, from a grammar's
 * word classes (not from any suite). Object pronouns ("her" too), "this"/"that" and "there" are
 * left out: "Can you fix it?" ends on one. A turn whose last word is one of these is not over
 * ("I was going to the ..."), whatever its prosody says.
 */
const CLOSED_CLASS = new Set(
  `a an the my your his its our their some any no every each either neither these those
  i he she we they who whom whose which
  to of in on at by for with from into onto about over under after before during through between among without within than as like
  and or but so because although though if when while unless until since whereas nor
  is am are was were be been being have has had do does did will would shall should can could may might must
  not very just`
    .split(/\s+/)
    .filter(Boolean),
);

/** Whether a word (as a recognizer or a script spells it, any case and punctuation) is closed-class. */
export function isClosedClass(word: string): boolean {
  return CLOSED_CLASS.has(word.toLowerCase().replace(/[^a-z']/g, ''));
}
