/**
 * The seeded drawing every suite recipe uses: shuffles, a dealer that takes texts in a seeded
 * order, rounding of drawn times, the `|` pause marks of a text, and the short headline of a
 * text for a scenario's title. Pure functions of the generator they are given.
 */
import type { Rng } from '../prng.ts';

export const round = (x: number, step: number) => Math.round(x / step) * step;

export function headline(text: string): string {
  const words = text.split(/\s+/);
  return words.length <= 7 ? text : `${words.slice(0, 7).join(' ')}…`;
}

/** A text with `|` marks: the spoken text and the 1-based word indices the marks follow. */
export function parseMarks(marked: string): { text: string; marks: number[] } {
  const marks: number[] = [];
  let words = 0;
  for (const part of marked.split('|')) {
    words += part.trim().split(/\s+/).filter(Boolean).length;
    marks.push(words);
  }
  marks.pop(); // the end of the text is not a mark
  return { text: marked.replace(/\s*\|\s*/g, ' ').trim(), marks };
}

export function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Takes items in a seeded order, reshuffling when the pool runs out. */
export function dealer<T>(rng: Rng, items: readonly T[]): () => T {
  let deck: T[] = [];
  return () => {
    if (deck.length === 0) deck = shuffled(rng, items);
    return deck.pop()!;
  };
}
