/**
 * Open mid-turn pauses inside one fluent rendering (DESIGN.md: scenario media must not give
 * the answer away). The utterance is synthesized whole, so the words before a pause keep
 * their mid-utterance prosody; then, at the boundary after word k taken from the
 * synthesizer's word timings, the audio is cut and silence inserted.
 *
 * The silence between word k and word k+1 becomes exactly `ms` (rounded to the sample): any
 * short gap the synthesizer left there (after a comma, say) is replaced, not added to. The
 * last and first FADE_MS of the words beside the cut get a raised-cosine fade, so the cut
 * makes no click; everything before that fade is the fluent rendering, sample for sample.
 * The silence is digital zero: the runner lays the scenario's noise floor over everything.
 */
import { InputError } from '../harness/errors.ts';
import type { RenderedSpeech, Word } from '../harness/media.ts';

export const FADE_MS = 5;

export interface PauseRequest {
  /** 1-based index of the word the pause follows. */
  after_word: number;
  ms: number;
}

export function openPauses(
  clip: { pcm: Int16Array; sampleRate: number; words: Word[] },
  requests: PauseRequest[],
): Pick<RenderedSpeech, 'pcm' | 'words' | 'pauses'> {
  const { pcm, sampleRate } = clip;
  const words = clip.words.map((w) => ({ ...w }));
  const toSample = (ms: number) => Math.round((ms * sampleRate) / 1000);
  const sorted = [...requests].sort((a, b) => a.after_word - b.after_word);
  sorted.forEach((p, i) => checkRequest(p, words, sorted[i - 1]));

  const pieces: Int16Array[] = [];
  const pauses: RenderedSpeech['pauses'] = [];
  const fade = toSample(FADE_MS);
  let from = 0;
  let shiftMs = 0; // added to every word after the pauses opened so far
  for (const p of sorted) {
    const k = p.after_word; // words[k - 1] is before the pause, words[k] after it
    const cutStart = toSample(clip.words[k - 1].endMs);
    const cutEnd = toSample(clip.words[k].startMs);
    const silence = toSample(p.ms);
    const before = pcm.slice(from, cutStart);
    if (from > 0) fadeIn(before, Math.min(fade, before.length));
    fadeOut(before, Math.min(fade, before.length));
    pieces.push(before, new Int16Array(silence));
    const startMs = words[k - 1].endMs;
    shiftMs += ((silence - (cutEnd - cutStart)) * 1000) / sampleRate;
    for (let j = k; j < words.length; j++) {
      words[j].startMs = clip.words[j].startMs + shiftMs;
      words[j].endMs = clip.words[j].endMs + shiftMs;
    }
    pauses.push({ startMs, endMs: words[k].startMs, afterWord: k });
    from = cutEnd;
  }
  const rest = pcm.slice(from);
  if (from > 0) fadeIn(rest, Math.min(fade, rest.length));
  pieces.push(rest);
  const out = new Int16Array(pieces.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return { pcm: out, words, pauses };
}

function checkRequest(p: PauseRequest, words: Word[], previous: PauseRequest | undefined): void {
  const k = p.after_word;
  const field = 'pauses.after_word';
  if (!Number.isInteger(k) || k < 1 || k >= words.length) {
    throw new InputError(`pause after word ${k}, but the text has ${words.length} words`, {
      field,
      hint: `A mid-turn pause must fall between words: use 1..${words.length - 1}.`,
    });
  }
  if (previous?.after_word === k) throw new InputError(`two pauses after word ${k}`, { field, hint: 'Give each word boundary at most one pause.' });
  if (!(p.ms > 0)) throw new InputError(`pause length must be positive, got ${p.ms} ms`, { field: 'pauses.ms' });
  // A word with no timing of its own was spoken as one unit with a neighbour ("I am", "of a"):
  // the synthesizer gives no boundary there to cut at.
  const joined = [words[k - 1], words[k]].find((w) => w.endMs <= w.startMs);
  if (joined) {
    throw new InputError(
      `cannot pause after word ${k} ("${words[k - 1].text}"): the synthesizer speaks "${joined.text}" as one unit with the word beside it, so there is no boundary to cut`,
      { field, hint: 'Move the pause one or two words along (content words such as nouns and verbs have their own boundaries).' },
    );
  }
}

function fadeOut(x: Int16Array, n: number): void {
  for (let i = 0; i < n; i++) x[x.length - n + i] = Math.round(x[x.length - n + i] * ramp(n - 1 - i, n));
}

function fadeIn(x: Int16Array, n: number): void {
  for (let i = 0; i < n; i++) x[i] = Math.round(x[i] * ramp(i, n));
}

/** Raised cosine from 0 (i = 0) towards 1 (i = n). */
function ramp(i: number, n: number): number {
  return 0.5 - 0.5 * Math.cos((Math.PI * (i + 0.5)) / n);
}
