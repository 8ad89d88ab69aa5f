/**
 * Test support: a MediaSource with no synthesizer. Each word is a steady 250 ms tone with a
 * 100 ms gap after it, so the planted truth (word and pause times) is known by construction
 * and runner tests do not depend on TTS. Side talk and background voices are tone speech
 * scaled by their gain (no filters), a sound bed is a steady 440 Hz tone for its length, a vocal
 * tic TONE_TIC_MS of 300 Hz, and frames are fakeJpeg bytes, so runner tests know every extent by construction.
 */
import type { MediaSource, NoiseStream, RenderedSpeech, Word } from '../../media.ts';
import type { Speech } from '../../scenario/schema.ts';

export const TONE_WORD_MS = 250;
export const TONE_GAP_MS = 100;
const TONE_TIC_MS = 400;

/** User speech as tones: TONE_WORD_MS per word, TONE_GAP_MS between words, pauses added. */
function toneSpeech(speech: Speech, sampleRate: number): RenderedSpeech {
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
}

/** Bytes standing in for a JPEG (start and end markers around the frame index and cue flag). */
function fakeJpeg(index: number, cue: boolean): Uint8Array {
  return Uint8Array.of(0xff, 0xd8, index & 0xff, (index >> 8) & 0xff, cue ? 1 : 0, 0xff, 0xd9);
}

const scaled = (pcm: Int16Array, gainDb: number) => pcm.map((x) => Math.round(x * 10 ** (gainDb / 20)));

export function toneMediaSource(sampleRate = 16_000): MediaSource {
  return {
    renderSpeech: async (speech) => toneSpeech(speech, sampleRate),
    noise(): NoiseStream {
      return { next: (n: number) => new Float32Array(n) };
    },
    async renderSideTalk(spec) {
      const r = toneSpeech(spec, sampleRate);
      return { ...r, pcm: scaled(r.pcm, spec.gain_db ?? -8) };
    },
    async renderBackground(spec, defaults) {
      if (spec.noise === undefined) {
        const r = toneSpeech(spec, sampleRate);
        return { ...r, pcm: scaled(r.pcm, spec.gain_db ?? -15) };
      }
      const n = Math.round((spec.ms! * sampleRate) / 1000);
      const amplitude = 32768 * Math.SQRT2 * 10 ** ((defaults.userSpeechDbfs - spec.snr_db!) / 20);
      const pcm = new Int16Array(n).map((_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * 440 * i) / sampleRate)));
      return { pcm, sampleRate, words: [], speechStartMs: 0, speechEndMs: spec.ms!, pauses: [] };
    },
    async renderVocalTic(spec) {
      const n = Math.round((TONE_TIC_MS * sampleRate) / 1000);
      const pcm = new Int16Array(n).map((_, i) => Math.round(4000 * 10 ** ((spec.gain_db ?? 0) / 20) * Math.sin((2 * Math.PI * 300 * i) / sampleRate)));
      return { pcm, sampleRate, words: [], speechStartMs: 0, speechEndMs: TONE_TIC_MS, pauses: [] };
    },
    async openVideo() {
      return { frame: (index, cue) => fakeJpeg(index, cue !== null) };
    },
  };
}
