/**
 * Spoken durations, from a spec rather than from any suite's texts: every way this module knows
 * to say a length of time from one second to a day, in words ("a second", "forty five
 * seconds", "ninety seconds", "two and a half minutes", "half an hour", "an hour and a half",
 * "twelve hours"), each with its value. The keyword spotter renders these phrases as its
 * duration templates; `parseDuration` reads the same phrases, and their digit forms ("90
 * seconds", "2.5 minutes", "1 1/2 hours"), from text.
 *
 * The spec is the grammar below and nothing else: counts are whole ranges (1-60 seconds and
 * minutes, 1-24 hours, plus the common ninety), halves and quarters are the English
 * constructions that name them. No list of phrases was copied from anywhere.
 */

export type DurationUnit = 'second' | 'minute' | 'hour';

const UNIT_MS: Readonly<Record<DurationUnit, number>> = { second: 1_000, minute: 60_000, hour: 3_600_000 };

export interface DurationPhrase {
  /** As said: lower case, words only ("two and a half minutes"). */
  text: string;
  durationMs: number;
  /** The unit word the phrase holds (every phrase holds exactly one). */
  unit: DurationUnit;
}

const ONES = ['', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const TEENS = ['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** 1-99 in words, as said ("forty five"; no hyphen: the synthesizer says both alike). */
export function numberWords(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new RangeError(`numberWords: ${n} is not a whole number from 1 to 99`);
  if (n < 10) return ONES[n];
  if (n < 20) return TEENS[n - 10];
  return n % 10 === 0 ? TENS[n / 10] : `${TENS[Math.floor(n / 10)]} ${ONES[n % 10]}`;
}

interface DurationSpec {
  /** Whole counts per unit, inclusive ("one second" ... "sixty seconds"), plus extra counts. */
  counts: Readonly<Record<DurationUnit, { from: number; to: number; extra: readonly number[] }>>;
  /** "N and a half <unit>s" for N in this range. */
  andAHalf: Readonly<Record<DurationUnit, { from: number; to: number }>>;
}

const DURATION_SPEC: DurationSpec = {
  counts: {
    second: { from: 1, to: 60, extra: [90] },
    minute: { from: 1, to: 60, extra: [90] },
    hour: { from: 1, to: 24, extra: [] },
  },
  andAHalf: {
    second: { from: 0, to: -1 },
    minute: { from: 1, to: 10 },
    hour: { from: 1, to: 10 },
  },
};

/** Every phrase of the spec, each text once. */
export function durationPhrases(spec: DurationSpec = DURATION_SPEC): DurationPhrase[] {
  const out: DurationPhrase[] = [];
  const add = (text: string, units: number, unit: DurationUnit) => out.push({ text, durationMs: Math.round(units * UNIT_MS[unit]), unit });
  for (const unit of ['second', 'minute', 'hour'] as const) {
    const article = unit === 'hour' ? 'an' : 'a';
    const { from, to, extra } = spec.counts[unit];
    if (from <= 1) add(`${article} ${unit}`, 1, unit);
    for (let n = from; n <= to; n++) add(`${numberWords(n)} ${unit}${n === 1 ? '' : 's'}`, n, unit);
    for (const n of extra) add(`${numberWords(n)} ${unit}s`, n, unit);
    const half = spec.andAHalf[unit];
    if (half.from <= half.to) {
      add(`${article} ${unit} and a half`, 1.5, unit);
      for (let n = half.from; n <= half.to; n++) add(`${numberWords(n)} and a half ${unit}s`, n + 0.5, unit);
    }
  }
  add('half a minute', 0.5, 'minute');
  add('half an hour', 0.5, 'hour');
  add('a half hour', 0.5, 'hour');
  add('a quarter of an hour', 0.25, 'hour');
  add('three quarters of an hour', 0.75, 'hour');
  return out;
}

const WORD_VALUES: ReadonlyMap<string, number> = new Map([
  ...ONES.slice(1).map((w, i) => [w, i + 1] as const),
  ...TEENS.map((w, i) => [w, i + 10] as const),
  ...TENS.slice(2).map((w, i) => [w, (i + 2) * 10] as const),
  ['zero', 0],
  ['hundred', 100],
]);

const UNIT_WORDS: ReadonlyMap<string, DurationUnit> = new Map([
  ...(['second', 'seconds', 'sec', 'secs', 's'] as const).map((w) => [w, 'second' as const] as const),
  ...(['minute', 'minutes', 'min', 'mins', 'm'] as const).map((w) => [w, 'minute' as const] as const),
  ...(['hour', 'hours', 'hr', 'hrs', 'h'] as const).map((w) => [w, 'hour' as const] as const),
]);

/**
 * The first duration said in `text`, in ms, or null: words or digits ("forty five seconds",
 * "45 seconds", "45s", "2.5 minutes", "2 1/2 minutes", "two and a half minutes", "an hour and a
 * half", "half an hour", "a quarter of an hour", "an hour and twenty minutes": parts
 * joined by "and" add up).
 */
export function parseDuration(text: string): number | null {
  const tokens = text
    .toLowerCase()
    .replace(/½/g, ' 1/2')
    .replace(/(\d)([a-z])/g, '$1 $2')
    .replace(/([a-z])(\d)/g, '$1 $2')
    .match(/\d+\/\d+|\d+(?:\.\d+)?|[a-z]+/g);
  if (!tokens) return null;
  let total = 0;
  let found = false;
  /** The count being read, before its unit. */
  let count: number | null = null;
  let i = 0;
  const peek = (k = 0) => tokens[i + k];
  /** "and a half" (or "and 1/2") at i: its length in tokens, else 0. */
  const andAHalf = () => (peek() === 'and' && (peek(1) === 'a' || peek(1) === 'one') && peek(2) === 'half' ? 3 : peek() === 'and' && peek(1) === '1/2' ? 2 : 0);
  const fraction = (t: string) => {
    const [a, b] = t.split('/').map(Number);
    return b ? a / b : NaN;
  };
  while (i < tokens.length) {
    const t = peek();
    const unit = UNIT_WORDS.get(t);
    const isCount = count !== null;
    if (unit && (isCount || t.length > 1)) {
      // A bare unit word ("a minute" has its count in "a") without any count is one of it, only
      // where an article said so; single letters count only after a number ("45 s").
      if (count === null) {
        i++;
        continue;
      }
      total += count * UNIT_MS[unit];
      found = true;
      count = null;
      i++;
      const h = andAHalf();
      if (h) {
        total += 0.5 * UNIT_MS[unit];
        i += h;
      }
      continue;
    }
    if (/^\d+\/\d+$/.test(t)) {
      count = (count ?? 0) + fraction(t);
      i++;
      continue;
    }
    if (/^\d/.test(t)) {
      count = count === null ? Number(t) : count + Number(t);
      i++;
      continue;
    }
    const v = WORD_VALUES.get(t);
    if (v !== undefined) {
      if (v === 100) count = (count ?? 1) * 100;
      else count = count !== null && count >= 20 && count % 10 === 0 && v < 10 ? count + v : count !== null && count % 100 === 0 && count > 0 ? count + v : v;
      i++;
      const h = andAHalf();
      if (h) {
        count += 0.5;
        i += h;
      }
      continue;
    }
    if ((t === 'a' || t === 'an') && count === null) {
      // "a minute", "an hour", "a quarter of an hour", "a half hour"; anything else is not a count.
      const next = peek(1);
      if (UNIT_WORDS.has(next) && next.length > 1) {
        count = 1;
        i++;
        continue;
      }
      if (next === 'quarter' && peek(2) === 'of' && (peek(3) === 'an' || peek(3) === 'a')) {
        count = 0.25;
        i += 4;
        continue;
      }
      if (next === 'half' && UNIT_WORDS.has(peek(2))) {
        count = 0.5;
        i += 2;
        continue;
      }
      i++;
      continue;
    }
    if (t === 'half' && (peek(1) === 'a' || peek(1) === 'an') && UNIT_WORDS.has(peek(2))) {
      count = 0.5;
      i += 2;
      continue;
    }
    if ((t === 'quarters' || t === 'quarter') && count !== null && peek(1) === 'of' && (peek(2) === 'an' || peek(2) === 'a')) {
      count = count * 0.25;
      i += 3;
      continue;
    }
    // Anything else ends a count that found no unit; "and" between two parts keeps the sum going.
    if (t !== 'and') {
      if (found) break;
      count = null;
    }
    i++;
  }
  return found ? Math.round(total) : null;
}
