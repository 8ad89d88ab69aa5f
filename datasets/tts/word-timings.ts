/**
 * Word timings from the synthesizer's own event stream, so they are sample-exact rather than
 * estimated from the audio.
 *
 * A word starts at its word event. It ends where its last sounding phoneme ends, that is at
 * the first event of any kind after that phoneme (a pause phoneme, the next word, the clause
 * end), or at the end of the audio. Pause phonemes carry no name, which is how they are told
 * from sounding ones.
 *
 * Words are the text's whitespace-separated tokens (the unit of `pauses.after_word`). A token
 * the synthesizer reads as several words ("1500") spans all of them; a token it does not
 * speak at all (a lone dash) gets zero length at the end of the token before it.
 */
import { USER_SAMPLE_RATE, type Word } from '../../harness/media.ts';

export interface SynthEvent {
  kind: 'word' | 'phoneme' | 'other';
  /** 1-based code-point index into the text (espeak's text_position). */
  textPosition: number;
  /** Audio position in samples of the synthesizer's own rate. */
  sample: number;
  /** Phoneme name; empty for a pause. */
  phoneme?: string;
}

interface TokenSpan {
  text: string;
  startSample: number;
  endSample: number;
}

/** A time in seconds from a synthesizer's own clock, in ms on the 16 kHz sample grid. */
export function onSampleGridMs(seconds: number): number {
  return Math.round(seconds * USER_SAMPLE_RATE) / (USER_SAMPLE_RATE / 1000);
}

/**
 * The words of a rendering from each text token's span (undefined: not spoken), in order and
 * inside the audio: a token starts no earlier than the one before it ends, and one not spoken
 * gets zero length where the one before it ends.
 */
export function wordsFromSpans(
  tokens: readonly { text: string }[],
  spans: readonly ({ startMs: number; endMs: number } | undefined)[],
  durationMs: number,
): Word[] {
  let previousEnd = 0;
  return tokens.map((t, i) => {
    const span = spans[i];
    const startMs = Math.min(Math.max(span?.startMs ?? previousEnd, previousEnd), durationMs);
    const endMs = Math.min(Math.max(span?.endMs ?? startMs, startMs), durationMs);
    previousEnd = endMs;
    return { text: t.text, startMs, endMs };
  });
}

/** Whitespace tokens of `text` with their code-point ranges [start, end). */
export function tokenize(text: string): { text: string; start: number; end: number }[] {
  const chars = Array.from(text);
  const tokens: { text: string; start: number; end: number }[] = [];
  let start = -1;
  for (let i = 0; i <= chars.length; i++) {
    const space = i === chars.length || /\s/.test(chars[i]);
    if (!space && start < 0) start = i;
    if (space && start >= 0) {
      tokens.push({ text: chars.slice(start, i).join(''), start, end: i });
      start = -1;
    }
  }
  return tokens;
}

export function wordTimings(text: string, events: SynthEvent[], totalSamples: number): TokenSpan[] {
  const tokens = tokenize(text);
  const start: (number | undefined)[] = tokens.map(() => undefined);
  const end: (number | undefined)[] = tokens.map(() => undefined);
  const tokenAt = (textPosition: number): number => {
    const cp = textPosition - 1;
    let found = 0;
    tokens.forEach((t, i) => {
      if (t.start <= cp) found = i;
    });
    return found;
  };

  let current = -1;
  let sounding = -1; // the token whose phoneme is playing, until the next event
  for (const ev of events) {
    if (sounding >= 0) end[sounding] = ev.sample;
    sounding = -1;
    if (ev.kind === 'word') {
      current = tokenAt(ev.textPosition);
      start[current] ??= ev.sample;
      end[current] ??= ev.sample;
    } else if (ev.kind === 'phoneme' && ev.phoneme && current >= 0) {
      sounding = current;
    }
  }
  if (sounding >= 0) end[sounding] = totalSamples;

  let previousEnd = 0;
  return tokens.map((t, i) => {
    const s = start[i] ?? previousEnd;
    const e = Math.max(end[i] ?? s, s);
    previousEnd = e;
    return { text: t.text, startSample: s, endSample: e };
  });
}
