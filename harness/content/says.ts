/**
 * A scenario's deterministic content check (`says`: keywords, numbers, pattern) against the text
 * the agent said. The free-form `judge` criterion is not decided here (metrics/content.ts asks the
 * recorded judge verdicts).
 *
 * Keywords are matched as whole words or phrases on a folded text: lower case, accents removed
 * ("città" = "citta", "ß" = "ss"), apostrophes dropped ("time's" = "times"), every other
 * non-letter a word break. Numbers are read in digits and in words (numbers.ts). The pattern is
 * a case-insensitive JavaScript regular expression over the text as transcribed.
 */
import type { Says } from '../scenario/schema.ts';
import { saysNumber } from './numbers.ts';

export interface SaysOutcome {
  ok: boolean;
  /** What was not said, for the row's note: `keyword "oven"`, `number 30`, `pattern /now/`. */
  missing: string[];
}

/** The text folded for word matching, padded with a space at each end. */
export function foldWords(text: string): string {
  const folded = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replaceAll('ß', 'ss')
    .replace(/['’ʼ]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return ` ${folded} `;
}

function saysWords(folded: string, phrase: string): boolean {
  const p = foldWords(phrase);
  return p.trim() !== '' && folded.includes(p);
}

/** The deterministic part of `says` against `text` (a check with only `judge` passes here). */
export function checkSays(says: Says, text: string): SaysOutcome {
  const missing: string[] = [];
  const folded = foldWords(text);
  if (says.keywords) {
    const said = says.keywords.filter((k) => (Array.isArray(k) ? k : [k]).some((alt) => saysWords(folded, alt)));
    const needed = Math.min(says.min_keywords ?? says.keywords.length, says.keywords.length);
    if (said.length < needed) {
      const notSaid = says.keywords.filter((k) => !said.includes(k)).map((k) => `keyword ${Array.isArray(k) ? k.map((a) => `"${a}"`).join(' or ') : `"${k}"`}`);
      missing.push(needed < says.keywords.length ? `${needed} of the keywords (said ${said.length}; not: ${notSaid.join(', ')})` : notSaid.join(', '));
    }
  }
  for (const n of says.numbers ?? []) if (!saysNumber(text, n)) missing.push(`number ${n}`);
  if (says.pattern !== undefined && !new RegExp(says.pattern, 'iu').test(text)) missing.push(`pattern /${says.pattern}/`);
  return { ok: missing.length === 0, missing };
}
