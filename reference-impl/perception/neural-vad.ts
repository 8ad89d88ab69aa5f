/**
 * The agent's voice activity: Silero's speech probability (with hysteresis) gated by the
 * energy detector's level above the noise floor. Silero rejects what is loud but not speech
 * (noise bursts, music beds); the energy gate ends speech on the frame the level drops, where
 * Silero's 32 ms windows and recurrent state lag by a window or two.
 */
import { DEFAULT_ENERGY_VAD, EnergyVad, type VadFrame } from './vad.ts';
import type { SileroStream } from './silero.ts';

interface NeuralVadConfig {
  /** Probability that starts speech... */
  onsetProbability: number;
  /** ...and the lower one that keeps it going. */
  holdProbability: number;
  /** Speech also needs the frame this far above the noise floor. */
  minAboveFloorDb: number;
}

const DEFAULT_NEURAL_VAD: NeuralVadConfig = { onsetProbability: 0.5, holdProbability: 0.3, minAboveFloorDb: 6 };

interface NeuralVadFrame extends VadFrame {
  /** Silero's latest speech probability, 0..1. */
  probability: number;
}

export class NeuralVad {
  private readonly energy = new EnergyVad();
  private inSpeech = false;

  constructor(
    private readonly silero: SileroStream,
    private readonly cfg: NeuralVadConfig = DEFAULT_NEURAL_VAD,
  ) {}

  async process(frame: Int16Array): Promise<NeuralVadFrame> {
    const e = this.energy.process(frame);
    const probability = await this.silero.push(frame);
    const voiced = probability >= (this.inSpeech ? this.cfg.holdProbability : this.cfg.onsetProbability);
    this.inSpeech = voiced && e.levelDbfs - e.floorDbfs >= this.cfg.minAboveFloorDb && e.levelDbfs >= DEFAULT_ENERGY_VAD.minSpeechDbfs;
    return { speech: this.inSpeech, levelDbfs: e.levelDbfs, floorDbfs: e.floorDbfs, probability };
  }
}
