/** The reference agent thinks in 20 ms frames of 16 kHz mono PCM16. */
export const SAMPLE_RATE = 16_000;
export const FRAME_MS = 20;
export const FRAME_SAMPLES = (SAMPLE_RATE * FRAME_MS) / 1000;

/**
 * Cuts audio arriving in arbitrary pieces into whole frames, keeping the remainder for the
 * next push. Frames are copies: callers may reuse their buffers.
 */
export class FrameChunker {
  private pending = new Int16Array(FRAME_SAMPLES);
  private filled = 0;

  push(pcm: Int16Array): Int16Array[] {
    const frames: Int16Array[] = [];
    let i = 0;
    while (i < pcm.length) {
      const n = Math.min(FRAME_SAMPLES - this.filled, pcm.length - i);
      this.pending.set(pcm.subarray(i, i + n), this.filled);
      this.filled += n;
      i += n;
      if (this.filled === FRAME_SAMPLES) {
        frames.push(this.pending);
        this.pending = new Int16Array(FRAME_SAMPLES);
        this.filled = 0;
      }
    }
    return frames;
  }
}

/** RMS level of a frame in dBFS (full scale = 32768); digital silence gives -120. */
export function levelDbfs(frame: Int16Array): number {
  let sum = 0;
  for (let i = 0; i < frame.length; i++) sum += frame[i] * frame[i];
  const rms = Math.sqrt(sum / Math.max(1, frame.length)) / 32768;
  return rms > 1e-6 ? 20 * Math.log10(rms) : -120;
}
