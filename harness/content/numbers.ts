/**
 * The numbers a transcript says, whichever way it spells them: transcripts write "20", "twenty",
 * "1,500", "one thousand five hundred" or "forty-five" for the same spoken words, so a content
 * check on numbers reads all of them. English number words only.
 *
 * Number words run together into one number while each word can follow the one before
 * ("forty five", "one hundred and five", "two thousand twenty"); a word that cannot ("twenty
 * twenty", "one two") starts the next number. "a hundred" is 100.
 */

const SMALL: Readonly<Record<string, number>> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Readonly<Record<string, number>> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const SCALES: Readonly<Record<string, number>> = { thousand: 1_000, million: 1_000_000, billion: 1_000_000_000 };

type Kind = 'unit' | 'teen' | 'tens' | 'hundred' | 'scale';

function kindOf(word: string): Kind | undefined {
  if (word in SMALL) return SMALL[word] < 10 ? 'unit' : 'teen';
  if (word in TENS) return 'tens';
  if (word === 'hundred') return 'hundred';
  if (word in SCALES) return 'scale';
  return undefined;
}

/** Which kinds may follow which inside one number ("and" only after hundred or a scale word). */
const FOLLOWS: Readonly<Record<Kind, readonly Kind[]>> = {
  unit: ['hundred', 'scale'],
  teen: ['hundred', 'scale'],
  tens: ['unit', 'scale'],
  hundred: ['unit', 'teen', 'tens', 'scale'],
  scale: ['unit', 'teen', 'tens'],
};

/** Builds one number from its words. */
class WordNumber {
  private total = 0;
  private current = 0;
  private last: Kind | undefined;

  get started(): boolean {
    return this.last !== undefined;
  }

  canTake(kind: Kind): boolean {
    return this.last === undefined || FOLLOWS[this.last].includes(kind);
  }

  canTakeAnd(): boolean {
    return this.last === 'hundred' || this.last === 'scale';
  }

  take(word: string, kind: Kind): void {
    if (kind === 'unit' || kind === 'teen') this.current += SMALL[word];
    else if (kind === 'tens') this.current += TENS[word];
    else if (kind === 'hundred') this.current = (this.current || 1) * 100;
    else {
      this.total += (this.current || 1) * SCALES[word];
      this.current = 0;
    }
    this.last = kind;
  }

  value(): number {
    return this.total + this.current;
  }
}

/** "1,500" -> 1500, "2.5" -> 2.5; a comma followed by other than three digits separates numbers. */
function digitNumbers(token: string): number[] {
  return [...token.matchAll(/\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?/g)].map((m) => Number(m[0].replaceAll(',', '')));
}

/** Every number said in `text`, in order. */
export function numbersIn(text: string): number[] {
  const out: number[] = [];
  // Hyphens join number words ("forty-five"); other punctuation ends a number, but keeps digits' commas and points.
  const tokens = text
    .toLowerCase()
    .replace(/[‐-―-]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  let n = new WordNumber();
  const close = () => {
    if (n.started) out.push(n.value());
    n = new WordNumber();
  };
  tokens.forEach((raw, i) => {
    const word = raw.replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
    const kind = kindOf(word);
    const next = tokens[i + 1]?.replace(/^[^a-z]+|[^a-z]+$/g, '');
    const nextKind = next === undefined ? undefined : kindOf(next);
    if (kind) {
      if (!n.canTake(kind)) close();
      n.take(word, kind);
    } else if (word === 'and' && n.canTakeAnd() && nextKind !== undefined && nextKind !== 'hundred' && nextKind !== 'scale') {
      return; // "one hundred and five"
    } else if (word === 'a' && !n.started && (nextKind === 'hundred' || nextKind === 'scale')) {
      n.take('one', 'unit'); // "a hundred"
    } else {
      close();
      out.push(...digitNumbers(word));
    }
    // Punctuation after a word ends the number: "five, six" is two numbers.
    if (/[^a-z0-9]$/.test(raw)) close();
  });
  close();
  return out;
}

/** Is `n` among the numbers said in `text`? */
export function saysNumber(text: string, n: number): boolean {
  return numbersIn(text).some((x) => Math.abs(x - n) < 1e-9);
}
