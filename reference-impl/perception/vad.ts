/**
 * Energy voice activity with an adaptive noise floor, one 20 ms frame at a time. The agent
 * uses it for levels and the floor, and as the fast gate on Silero's decision (neural-vad.ts).
 */
import { levelDbfs } from '../frames.ts';

export interface VadFrame {
  /** This frame holds speech. */
  speech: boolean;
  /** Frame level, dBFS. */
  levelDbfs: number;
  /** Current noise floor estimate, dBFS. */
  floorDbfs: number;
}

interface EnergyVadConfig {
  /** Frames of level history the floor is estimated from. */
  floorWindowFrames: number;
  /** The floor is this quantile of that history: low enough that speech rarely sets it. */
  floorQuantile: number;
  /**
   * The floor never rises above this. A user talking from the first frame would otherwise be
   * taken for the floor; real rooms sit far below it (suites use -62..-50 dBFS).
   */
  floorCeilingDbfs: number;
  /** A frame this far above the floor starts speech... */
  onsetAboveFloorDb: number;
  /** ...and speech continues while frames stay this far above it (hysteresis). */
  holdAboveFloorDb: number;
  /** Nothing quieter than this is speech, however low the floor (clicks in digital silence). */
  minSpeechDbfs: number;
}

export const DEFAULT_ENERGY_VAD: EnergyVadConfig = {
  floorWindowFrames: 80,
  floorQuantile: 0.2,
  floorCeilingDbfs: -40,
  onsetAboveFloorDb: 16,
  holdAboveFloorDb: 8,
  minSpeechDbfs: -60,
};

/**
 * Energy detector with an adaptive floor: the floor is a low quantile of the last 1.6 s of
 * frame levels (minimum statistics), so it follows a noise floor that steps up or down within
 * a window, and speech (which always has quieter gaps between syllables) does not drag it up.
 *
 * The onset margin is set by the most restless floor the suites use: 20 ms frames of brown
 * noise and room tone wander up to ~13.5 dB above that quantile (60 s of each, 3 seeds), so
 * onset is 16 dB; speech at a normal level sits 20-35 dB above a -50 dBFS floor.
 */
export class EnergyVad {
  private readonly history: Float64Array;
  private readonly scratch: Float64Array;
  private count = 0;
  private inSpeech = false;

  constructor(private readonly cfg: EnergyVadConfig = DEFAULT_ENERGY_VAD) {
    this.history = new Float64Array(cfg.floorWindowFrames);
    this.scratch = new Float64Array(cfg.floorWindowFrames);
  }

  process(frame: Int16Array): VadFrame {
    const level = levelDbfs(frame);
    this.history[this.count % this.history.length] = level;
    this.count++;
    const floor = Math.min(this.floorEstimate(), this.cfg.floorCeilingDbfs);
    const above = level - floor;
    const threshold = this.inSpeech ? this.cfg.holdAboveFloorDb : this.cfg.onsetAboveFloorDb;
    this.inSpeech = above >= threshold && level >= this.cfg.minSpeechDbfs;
    return { speech: this.inSpeech, levelDbfs: level, floorDbfs: floor };
  }

  private floorEstimate(): number {
    const n = Math.min(this.count, this.history.length);
    const s = this.scratch.subarray(0, n);
    s.set(this.history.subarray(0, n));
    s.sort();
    return s[Math.floor(this.cfg.floorQuantile * (n - 1))];
  }
}
