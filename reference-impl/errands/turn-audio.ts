/**
 * The user's audio since the agent last replied, kept for the keyword spotter: at a turn's end
 * it hands over the stretch from the first to the last speech frame (plus a little edge).
 */
import { FRAME_MS, FRAME_SAMPLES } from '../frames.ts';

/** Longest turn kept: the spotter's cost grows with it. */
const MAX_TURN_MS = 12_000;
const EDGE_MS = 100;

const EDGE_FRAMES = EDGE_MS / FRAME_MS;

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

  /**
   * The last speech frame's trailing edge is complete: until speech comes again, more quiet
   * frames leave peek() as it is (unless the turn outgrows MAX_TURN_MS and loses its start).
   */
  get settled(): boolean {
    const last = this.speech.lastIndexOf(true);
    return last >= 0 && this.speech.length - 1 - last >= EDGE_FRAMES;
  }

  /** The speech of the turn so far (empty if none): from its first to its last speech frame, plus the edges. */
  peek(): Int16Array {
    const first = this.speech.indexOf(true);
    const last = this.speech.lastIndexOf(true);
    const kept = first < 0 ? [] : this.frames.slice(Math.max(0, first - EDGE_FRAMES), last + EDGE_FRAMES + 1);
    const out = new Int16Array(kept.length * FRAME_SAMPLES);
    kept.forEach((f, i) => out.set(f, i * FRAME_SAMPLES));
    return out;
  }

  /** peek(), and a fresh start for the next turn. */
  take(): Int16Array {
    const out = this.peek();
    this.frames.length = 0;
    this.speech.length = 0;
    return out;
  }
}
