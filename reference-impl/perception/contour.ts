/**
 * The pitch contour of the user's current utterance, summarised where it matters for turn
 * taking: at its (so far) last voiced frames. A statement ends on a fall to the bottom of the
 * speaker's range; a speaker holding the turn in a hesitation stays level or rises.
 */

export type ContourShape = 'falling' | 'level' | 'rising' | 'unknown';

export interface ContourSummary {
  shape: ContourShape;
  /** Final pitch relative to the utterance's typical pitch, semitones (negative = lower). */
  finalChangeSt: number;
  /** Voiced frames the summary rests on. */
  voicedFrames: number;
}

export interface ContourConfig {
  /** Voiced frames that make up "the end" of the utterance. */
  finalFrames: number;
  /** Fewer voiced frames before the end than this and the shape is `unknown`. */
  minReferenceFrames: number;
  /** A change at least this large (semitones) is a fall or a rise. */
  changeSt: number;
}

export const DEFAULT_CONTOUR: ContourConfig = { finalFrames: 8, minReferenceFrames: 15, changeSt: 2 };

export class ContourTracker {
  private semitones: number[] = [];

  constructor(private readonly cfg: ContourConfig = DEFAULT_CONTOUR) {}

  /** Add one voiced frame's F0. */
  addVoiced(hz: number): void {
    this.semitones.push(12 * Math.log2(hz / 100));
  }

  reset(): void {
    this.semitones = [];
  }

  get voicedFrames(): number {
    return this.semitones.length;
  }

  summary(): ContourSummary {
    const all = this.semitones;
    const n = all.length;
    const { finalFrames, minReferenceFrames, changeSt } = this.cfg;
    if (n < finalFrames + minReferenceFrames) return { shape: 'unknown', finalChangeSt: 0, voicedFrames: n };
    const finalSt = median(all.slice(n - finalFrames));
    const referenceSt = median(all.slice(0, n - finalFrames));
    const change = finalSt - referenceSt;
    const shape: ContourShape = change <= -changeSt ? 'falling' : change >= changeSt ? 'rising' : 'level';
    return { shape, finalChangeSt: change, voicedFrames: n };
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
