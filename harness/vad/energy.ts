/**
 * The energy voice-activity detector: sound above a level, deterministic, sample-exact at the
 * edges. It does not tell speech from noise, hum, a DC offset or a buzz, so the scorer and clip
 * trimming use the speech detector (speech.ts), which refines its edges by this same rule. This
 * one serves what needs "the agent made a sound" at once: the runner's online detector for
 * reactive triggers (a speech decision needs up to ~1.3 s of context; a trigger on a sound that
 * is not speech only places the user's action, and the scorer then judges what was heard), the
 * peer rules that are energy-based, and level measurement.
 *
 * The rule, in four steps (offline and streaming give identical segments):
 * 1. Frames: consecutive `frameMs` frames from sample 0 (the last one may be shorter). A frame
 *    is loud when its RMS is at least `thresholdDbfs` (0 dBFS = RMS of a full-scale square wave,
 *    32768). The same level, as an amplitude A = 32768 * 10^(thresholdDbfs / 20), is the
 *    sample threshold below.
 * 2. Runs of consecutive loud frames are refined to the sample: onset = the first sample with
 *    |x| >= A in the frame before the run or the run's first frame; offset = one past the last
 *    sample with |x| >= A in the run's last frame or the frame after. A loud frame always holds
 *    such a sample (its peak is at least its RMS), so the edges always exist. Hence audio that
 *    starts at sample n with |x| >= A is measured at exactly n / sampleRate * 1000 ms.
 * 3. Runs whose refined gap (next onset - previous offset) is shorter than `mergeGapMs` are
 *    one segment.
 * 4. Segments shorter than `minSpeechMs` (refined offset - onset) are dropped.
 *
 * The streaming detector reports a change as soon as it is certain, at the end of a frame: an
 * onset once the open segment reaches `minSpeechMs` (within a frame of that), an offset once no
 * later onset can fall within `mergeGapMs` of it (`mergeGapMs` plus at most two frames after
 * the offset). `atMs` is always the refined time, never the time of the report.
 */
import { InputError } from '../errors.ts';
import { samplesToMs } from '../audio/units.ts';

export interface VadSettings {
  /** Analysis frame length. 10 ms: fine enough that refinement scans few samples. */
  frameMs: number;
  /**
   * Frame RMS (and sample amplitude) threshold in dBFS. -45 dBFS sits about 20-25 dB below
   * the active level of synthesized or model speech (-20 to -26 dBFS) and 20 dB above a
   * -65 dBFS noise or codec floor, so weak consonants count and a quiet floor does not.
   */
  thresholdDbfs: number;
  /** Shorter segments are dropped (clicks, pops, codec bursts); a short "yeah" is ~200 ms. */
  minSpeechMs: number;
  /**
   * Segments closer than this are one: stop closures and breaths inside a turn stay inside
   * it, while a stop followed by a restart (a real yield) is usually longer than 300 ms.
   */
  mergeGapMs: number;
}

export const DEFAULT_VAD: Readonly<VadSettings> = Object.freeze({
  frameMs: 10,
  thresholdDbfs: -45,
  minSpeechMs: 100,
  mergeGapMs: 300,
});

export interface SpeechSegmentMs {
  startMs: number;
  endMs: number;
}

export type VadChange = { type: 'onset'; atMs: number } | { type: 'offset'; atMs: number };

/** The settings in samples, validated once. */
interface Resolved {
  sampleRate: number;
  frameLength: number;
  amplitude: number;
  minSpeechSamples: number;
  mergeGapSamples: number;
}

/** The frame, level and merge settings both detectors share (speech.ts too), checked the same way. */
export function checkFrameSettings(s: VadSettings, fail: (field: string, message: string) => void): void {
  if (!(s.frameMs > 0)) fail('frameMs', `frameMs must be > 0, got ${s.frameMs}`);
  if (!(s.thresholdDbfs < 0)) fail('thresholdDbfs', `thresholdDbfs must be < 0 dBFS, got ${s.thresholdDbfs}`);
  if (!(s.minSpeechMs >= 0)) fail('minSpeechMs', `minSpeechMs must be >= 0, got ${s.minSpeechMs}`);
  if (!(s.mergeGapMs >= 0)) fail('mergeGapMs', `mergeGapMs must be >= 0, got ${s.mergeGapMs}`);
}

function resolve(sampleRate: number, overrides: Partial<VadSettings> | undefined): Resolved {
  const s: VadSettings = { ...DEFAULT_VAD, ...overrides };
  const fail = (field: string, message: string) => {
    throw new InputError(message, { field: `vad.${field}`, hint: `Defaults: ${JSON.stringify(DEFAULT_VAD)}.` });
  };
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) fail('sampleRate', `sample rate must be a positive integer, got ${sampleRate}`);
  checkFrameSettings(s, fail);
  const frameLength = Math.round((s.frameMs * sampleRate) / 1000);
  if (frameLength < 1) fail('frameMs', `frameMs ${s.frameMs} is shorter than one sample at ${sampleRate} Hz`);
  return {
    sampleRate,
    frameLength,
    amplitude: 32768 * 10 ** (s.thresholdDbfs / 20),
    minSpeechSamples: (s.minSpeechMs * sampleRate) / 1000,
    mergeGapSamples: (s.mergeGapMs * sampleRate) / 1000,
  };
}

/** One frame's verdict: loud or not, and its first and last sample with |x| >= A (-1: none). */
interface FrameInfo {
  loud: boolean;
  first: number;
  last: number;
}

/** Analyze pcm[from, to); `offset` turns indices into absolute sample positions. */
function analyzeFrame(pcm: Int16Array, from: number, to: number, offset: number, amplitude: number): FrameInfo {
  let sumSquares = 0;
  let first = -1;
  let last = -1;
  for (let i = from; i < to; i++) {
    const x = pcm[i];
    sumSquares += x * x;
    if (x >= amplitude || -x >= amplitude) {
      if (first < 0) first = i;
      last = i;
    }
  }
  return {
    loud: sumSquares >= (to - from) * amplitude * amplitude,
    first: first < 0 ? -1 : first + offset,
    last: last < 0 ? -1 : last + offset,
  };
}

/** Offline: the speech segments of a whole signal, in ms from sample 0. */
export function speechSegments(pcm: Int16Array, sampleRate: number, settings?: Partial<VadSettings>): SpeechSegmentMs[] {
  const r = resolve(sampleRate, settings);
  const frames: FrameInfo[] = [];
  for (let from = 0; from < pcm.length; from += r.frameLength) {
    frames.push(analyzeFrame(pcm, from, Math.min(from + r.frameLength, pcm.length), 0, r.amplitude));
  }

  // Step 2: runs of loud frames, refined to the sample.
  const runs: { start: number; end: number }[] = [];
  for (let i = 0; i < frames.length; i++) {
    if (!frames[i].loud || (i > 0 && frames[i - 1].loud)) continue;
    let last = i;
    while (last + 1 < frames.length && frames[last + 1].loud) last++;
    const before = i > 0 ? frames[i - 1].first : -1;
    const after = last + 1 < frames.length ? frames[last + 1].last : -1;
    runs.push({ start: before >= 0 ? before : frames[i].first, end: (after >= 0 ? after : frames[last].last) + 1 });
    i = last;
  }

  // Steps 3 and 4: merge close runs, drop short segments.
  const merged: { start: number; end: number }[] = [];
  for (const run of runs) {
    const prev = merged[merged.length - 1];
    if (prev && run.start - prev.end < r.mergeGapSamples) prev.end = Math.max(prev.end, run.end);
    else merged.push({ ...run });
  }
  return merged
    .filter((s) => s.end - s.start >= r.minSpeechSamples)
    .map((s) => ({ startMs: samplesToMs(s.start, sampleRate), endMs: samplesToMs(s.end, sampleRate) }));
}

/**
 * Online: push PCM in chunks of any size; each call returns the changes that became certain.
 * Call flush() at the end of the stream to close a segment still open (after flush, push throws).
 */
export class StreamingVad {
  private readonly r: Resolved;
  /** Samples of the frame being filled. */
  private readonly pending: Int16Array;
  private pendingLength = 0;
  /** Frames analyzed so far (the next frame's index). */
  private frameIndex = 0;
  private previous: FrameInfo | null = null;
  /** The open segment, in absolute samples; `end` grows as loud samples arrive. */
  private open: { start: number; end: number; confirmed: boolean } | null = null;
  private flushed = false;

  constructor(sampleRate: number, settings?: Partial<VadSettings>) {
    this.r = resolve(sampleRate, settings);
    this.pending = new Int16Array(this.r.frameLength);
  }

  push(pcm: Int16Array): VadChange[] {
    if (this.flushed) throw new Error('StreamingVad: push after flush; make a new detector for a new stream');
    const changes: VadChange[] = [];
    let i = 0;
    while (i < pcm.length) {
      const take = Math.min(this.r.frameLength - this.pendingLength, pcm.length - i);
      this.pending.set(pcm.subarray(i, i + take), this.pendingLength);
      this.pendingLength += take;
      i += take;
      if (this.pendingLength === this.r.frameLength) this.analyzePending(changes);
    }
    return changes;
  }

  flush(): VadChange[] {
    if (this.flushed) return [];
    const changes: VadChange[] = [];
    if (this.pendingLength > 0) this.analyzePending(changes);
    this.close(changes);
    this.flushed = true;
    return changes;
  }

  private analyzePending(changes: VadChange[]): void {
    const offset = this.frameIndex * this.r.frameLength;
    const frame = analyzeFrame(this.pending, 0, this.pendingLength, offset, this.r.amplitude);
    this.step(frame, offset, changes);
    this.previous = frame;
    this.frameIndex++;
    this.pendingLength = 0;
  }

  /** One frame of the offline rule, applied as it arrives; `frameStart` is its first sample. */
  private step(frame: FrameInfo, frameStart: number, changes: VadChange[]): void {
    const previousLoud = this.previous?.loud ?? false;
    if (frame.loud && !previousLoud) {
      // A run starts here: refine its onset over the frame before and this one.
      const before = this.previous?.first ?? -1;
      const onset = before >= 0 ? before : frame.first;
      if (this.open && onset - this.open.end >= this.r.mergeGapSamples) this.close(changes);
      this.open ??= { start: onset, end: onset, confirmed: false };
    }
    // The run's refined offset: its last frame or the frame after it.
    if (this.open && frame.last >= 0 && (frame.loud || previousLoud)) this.open.end = Math.max(this.open.end, frame.last + 1);

    if (this.open && !this.open.confirmed && this.open.end - this.open.start >= this.r.minSpeechSamples) {
      this.open.confirmed = true;
      changes.push({ type: 'onset', atMs: samplesToMs(this.open.start, this.r.sampleRate) });
    }
    // A later run's onset is refined into the frame before it, so it cannot come earlier than
    // this frame's start: once that is a merge gap past the offset, the offset is certain.
    if (this.open && !frame.loud && frameStart - this.open.end >= this.r.mergeGapSamples) this.close(changes);
  }

  private close(changes: VadChange[]): void {
    if (this.open?.confirmed) changes.push({ type: 'offset', atMs: samplesToMs(this.open.end, this.r.sampleRate) });
    this.open = null;
  }
}
