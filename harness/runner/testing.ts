/**
 * Test support: a MediaSource with no synthesizer. Each word is a steady 250 ms tone with a
 * 100 ms gap after it, so the planted truth (word and pause times) is known by construction
 * and runner tests do not depend on TTS.
 */
import type { MediaSource, NoiseStream, RenderedSpeech, Word } from '../media.ts';
import type { Speech } from '../scenario/schema.ts';

export const TONE_WORD_MS = 250;
export const TONE_GAP_MS = 100;

export function toneMediaSource(sampleRate = 16_000): MediaSource {
  return {
    async renderSpeech(speech: Speech): Promise<RenderedSpeech> {
      const words = (speech.text ?? 'clip').trim().split(/\s+/);
      const pauseAfter = new Map((speech.pauses ?? []).map((p) => [p.after_word, p.ms]));
      const timed: Word[] = [];
      const pauses: RenderedSpeech['pauses'] = [];
      let t = 0;
      words.forEach((w, i) => {
        timed.push({ text: w, startMs: t, endMs: t + TONE_WORD_MS });
        t += TONE_WORD_MS;
        const extra = pauseAfter.get(i + 1);
        if (extra !== undefined) {
          pauses.push({ startMs: t, endMs: t + TONE_GAP_MS + extra, afterWord: i + 1 });
          t += extra;
        }
        if (i < words.length - 1) t += TONE_GAP_MS;
      });
      const pcm = new Int16Array(Math.round((t * sampleRate) / 1000));
      for (const w of timed) {
        const a = Math.round((w.startMs * sampleRate) / 1000);
        const b = Math.round((w.endMs * sampleRate) / 1000);
        for (let s = a; s < b; s++) pcm[s] = Math.round(8000 * Math.sin((2 * Math.PI * 220 * (s - a)) / sampleRate));
      }
      return { pcm, sampleRate, words: timed, speechStartMs: 0, speechEndMs: t, pauses };
    },
    noise(): NoiseStream {
      return { next: (n: number) => new Float32Array(n) };
    },
  };
}
