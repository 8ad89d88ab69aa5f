/**
 * Vocal tics inside one fluent rendering (`tics: [{ after_word, sound }]` on a speech): at the
 * boundary after word k a hesitation is opened exactly as pauses.ts opens a pause (the words
 * before it keep their mid-utterance prosody), gap_before_ms + the tic + gap_after_ms long,
 * and the rendered tic is laid into it. The hesitation is one of the clip's `pauses` (what a
 * partner must wait through: no_takeover judges it), the tic its own span (`tics`) inside it.
 */
import { InputError } from '../harness/errors.ts';
import type { RenderedSpeech, Word } from '../harness/media.ts';
import type { InTurnTic } from '../harness/scenario/schema.ts';
import { openPauses, type PauseRequest } from './pauses.ts';

export const TIC_GAP_BEFORE_MS = 200;
export const TIC_GAP_AFTER_MS = 600;

export function openTics(
  clip: { pcm: Int16Array; sampleRate: number; words: Word[] },
  pauses: readonly PauseRequest[],
  tics: readonly { tic: InTurnTic; pcm: Int16Array }[],
): Pick<RenderedSpeech, 'pcm' | 'words' | 'pauses' | 'tics'> {
  const { sampleRate } = clip;
  const toSample = (ms: number) => Math.round((ms * sampleRate) / 1000);
  for (const { tic } of tics) checkTic(tic, clip.words.length, pauses, tics);
  const hesitations = tics.map(({ tic, pcm }) => ({
    after_word: tic.after_word,
    ms: gapBefore(tic) + (pcm.length * 1000) / sampleRate + (tic.gap_after_ms ?? TIC_GAP_AFTER_MS),
  }));
  const opened = openPauses(clip, [...pauses, ...hesitations]);
  const placed = tics.map(({ tic, pcm }) => {
    const hesitation = opened.pauses.find((p) => p.afterWord === tic.after_word)!;
    const start = toSample(hesitation.startMs) + toSample(gapBefore(tic));
    // The hesitation is digital zero up to its last sample: the tic is copied in, not mixed.
    opened.pcm.set(pcm.subarray(0, Math.max(0, toSample(hesitation.endMs) - start)), start);
    return { startMs: (start * 1000) / sampleRate, endMs: ((start + pcm.length) * 1000) / sampleRate, sound: tic.sound };
  });
  return { ...opened, tics: placed };
}

const gapBefore = (tic: InTurnTic) => tic.gap_before_ms ?? TIC_GAP_BEFORE_MS;

function checkTic(tic: InTurnTic, words: number, pauses: readonly PauseRequest[], tics: readonly { tic: InTurnTic }[]): void {
  const k = tic.after_word;
  const field = 'tics.after_word';
  if (!Number.isInteger(k) || k < 1 || k >= words) {
    throw new InputError(`vocal tic after word ${k}, but the text has ${words} words`, {
      field,
      hint: `A tic inside a turn must fall between words: use 1..${words - 1}, or make it an action of its own (vocal_tic).`,
    });
  }
  if (pauses.some((p) => p.after_word === k) || tics.filter((t) => t.tic.after_word === k).length > 1) {
    throw new InputError(`more than one pause or tic after word ${k}`, {
      field,
      hint: 'A tic opens a hesitation of its own: give each word boundary at most one pause or tic.',
    });
  }
}
