/**
 * Something the agent says, played 20 ms at a time: a phrase rendered at startup (the voice
 * bank), or a response synthesized as it is spoken, sentence by sentence, so its first audio
 * leaves as soon as the first sentence is rendered while the rest is still being made.
 */
import { FRAME_SAMPLES } from '../frames.ts';
import type { Phrase } from '../voice-bank.ts';
import type { TtsThread } from './tts-thread.ts';

export interface Utterance {
  readonly text: string;
  /** The next 20 ms frame; null once it is all said. Awaits speech still being synthesized. */
  nextFrame(): Promise<Int16Array | null>;
  /**
   * The text of what has been handed out whole so far: a phrase once its last frame is out; a
   * streamed line sentence by sentence. A sentence cut off midway is not in it (never words that
   * were not played, at the cost of the few that were).
   */
  said(): string;
  /** True once its last frame has been handed out. */
  readonly finished: boolean;
}

/** Frames of silence between streamed sentences (under the 300 ms a listener's VAD splits at). */
export const SENTENCE_GAP_FRAMES = 6;

/** One piece of PCM played frame by frame. */
class Frames {
  private pos = 0;
  constructor(private readonly pcm: Int16Array) {}
  get done(): boolean {
    return this.pos >= this.pcm.length;
  }
  next(): Int16Array | null {
    if (this.pos >= this.pcm.length) return null;
    const out = this.pcm.subarray(this.pos, this.pos + FRAME_SAMPLES);
    this.pos += FRAME_SAMPLES;
    return out;
  }
}

export function phraseUtterance(phrase: Phrase): Utterance {
  const frames = new Frames(phrase.pcm);
  return {
    text: phrase.text,
    nextFrame: async () => frames.next(),
    said: () => (frames.done ? phrase.text : ''),
    get finished() {
      return frames.done;
    },
  };
}

/** Sentences: split after . ! ? followed by a space (a lone sentence stays whole). */
export function sentencesOf(text: string): string[] {
  return text.split(/(?<=[.!?])\s+/).filter((s) => s.trim().length > 0);
}

/**
 * `text` synthesized by `tts` as it is spoken: every sentence is requested at once (the thread
 * renders them in order), the first frame waits only for the first sentence.
 */
export function streamedUtterance(text: string, tts: Pick<TtsThread, 'render'>): Utterance {
  const sentences = sentencesOf(text);
  const pending = sentences.map((s) => tts.render(s));
  let current: Frames | null = null;
  let started = 0;
  let gap = 0;
  return {
    text,
    said: () => sentences.slice(0, current === null ? 0 : current.done ? started : started - 1).join(' '),
    get finished() {
      return pending.length === 0 && current !== null && current.done;
    },
    async nextFrame() {
      for (;;) {
        if (gap > 0) {
          gap--;
          return new Int16Array(FRAME_SAMPLES);
        }
        const frame = current?.next() ?? null;
        if (frame) return frame;
        const next = pending.shift();
        if (!next) return null;
        if (current) gap = SENTENCE_GAP_FRAMES;
        current = new Frames(await next);
        started++;
      }
    },
  };
}
