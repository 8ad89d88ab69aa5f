/**
 * The user's audio since the agent last replied, kept for the keyword spotter: at a turn's end
 * it hands over the stretch from the first to the last speech frame (plus a little edge).
 */
import { FRAME_MS, FRAME_SAMPLES } from '../frames.ts';

/** Longest turn kept: the spotter's cost grows with it. */
const MAX_TURN_MS = 12_000;
const EDGE_MS = 100;

export class TurnAudio {
  private readonly frames: Int16Array[] = [];
  private readonly speech: boolean[] = [];

  push(frame: Int16Array, speech: boolean): void {
    this.frames.push(frame.slice());
    this.speech.push(speech);
    if (this.frames.length > MAX_TURN_MS / FRAME_MS) {
      this.frames.shift();
      this.speech.shift();
    }
  }

  /** The speech of the turn so far (empty if none), and a fresh start for the next turn. */
  take(): Int16Array {
    const edge = EDGE_MS / FRAME_MS;
    const first = this.speech.indexOf(true);
    const last = this.speech.lastIndexOf(true);
    const kept = first < 0 ? [] : this.frames.slice(Math.max(0, first - edge), last + edge + 1);
    this.frames.length = 0;
    this.speech.length = 0;
    const out = new Int16Array(kept.length * FRAME_SAMPLES);
    kept.forEach((f, i) => out.set(f, i * FRAME_SAMPLES));
    return out;
  }
}
