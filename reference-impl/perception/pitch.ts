/**
 * Fundamental frequency by normalized autocorrelation, one 20 ms frame at a time. Each frame is
 * analysed with the one before it (a 40 ms window: two periods of a 60 Hz voice), decimated to
 * 8 kHz to keep the cost small (the whole agent steps at ~2-3 ms CPU per second of audio).
 */
import { FRAME_SAMPLES, SAMPLE_RATE } from '../frames.ts';

interface PitchConfig {
  minHz: number;
  maxHz: number;
  /** Normalized autocorrelation peak needed to call a frame voiced (0..1). */
  voicedClarity: number;
}

const DEFAULT_PITCH: PitchConfig = { minHz: 60, maxHz: 400, voicedClarity: 0.6 };

interface PitchFrame {
  /** F0 in Hz, or null when the frame is not voiced. */
  hz: number | null;
  /** Height of the autocorrelation peak, 0..1. */
  clarity: number;
}

const DECIMATION = 2;
const RATE = SAMPLE_RATE / DECIMATION;
const WINDOW = (2 * FRAME_SAMPLES) / DECIMATION;

export class PitchTracker {
  private readonly window = new Float64Array(WINDOW);
  private readonly centred = new Float64Array(WINDOW);
  private readonly minLag: number;
  private readonly maxLag: number;
  private readonly corr: Float64Array;

  constructor(private readonly cfg: PitchConfig = DEFAULT_PITCH) {
    this.minLag = Math.floor(RATE / cfg.maxHz);
    this.maxLag = Math.ceil(RATE / cfg.minHz);
    this.corr = new Float64Array(this.maxLag + 2);
  }

  process(frame: Int16Array): PitchFrame {
    const w = this.window;
    const half = WINDOW / 2;
    w.copyWithin(0, half);
    // Decimate by averaging pairs (a crude low-pass that is enough for F0 <= 400 Hz).
    for (let i = 0; i < half; i++) w[half + i] = (frame[2 * i] + frame[2 * i + 1]) / 2;
    let mean = 0;
    for (let i = 0; i < WINDOW; i++) mean += w[i];
    mean /= WINDOW;
    const x = this.centred;
    for (let i = 0; i < WINDOW; i++) x[i] = w[i] - mean;

    let best = 0;
    for (let lag = this.minLag; lag <= this.maxLag + 1; lag++) {
      let xy = 0;
      let xx = 0;
      let yy = 0;
      for (let i = 0; i + lag < WINDOW; i++) {
        xy += x[i] * x[i + lag];
        xx += x[i] * x[i];
        yy += x[i + lag] * x[i + lag];
      }
      const r = xx > 0 && yy > 0 ? xy / Math.sqrt(xx * yy) : 0;
      this.corr[lag] = r;
      if (lag <= this.maxLag && r > best) best = r;
    }
    if (best < this.cfg.voicedClarity) return { hz: null, clarity: Math.max(0, best) };
    // The shortest lag that is a local peak near the best one: a voice correlates almost as
    // well at twice its period, and picking that would halve the pitch.
    for (let lag = this.minLag + 1; lag <= this.maxLag; lag++) {
      const r = this.corr[lag];
      if (r >= 0.9 * best && r >= this.corr[lag - 1] && r >= this.corr[lag + 1]) {
        return { hz: RATE / refineLag(this.corr, lag), clarity: r };
      }
    }
    return { hz: null, clarity: best };
  }
}

/** Parabolic interpolation of a peak at `lag` for a sub-sample period. */
function refineLag(c: Float64Array, lag: number): number {
  const a = c[lag - 1];
  const b = c[lag];
  const d = c[lag + 1];
  const den = a - 2 * b + d;
  return den < 0 ? lag + (0.5 * (a - d)) / den : lag;
}
