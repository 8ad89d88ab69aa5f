/**
 * THE speech detector of crosstalk for the played agent channel (and user clips): a detector an
 * agent cannot satisfy with content-free sound. The energy VAD (energy.ts) calls anything over
 * -45 dBFS for 100 ms speech, so noise blips, hum, a DC offset or a buzz pass it; this one asks
 * for the two things speech has and those signals lack together: VOICING (a periodic source,
 * pitch 60-500 Hz) whose SPECTRAL ENVELOPE MOVES (formants change every 50-150 ms) while the
 * PITCH GLIDES (intonation, never held to 0.07 % like an instrument, a buzz or mains hum). Its
 * edges are energy.ts's, refined to the sample by the same rule, wherever the background is
 * quiet. Deterministic (float64 in a fixed order), synchronous, ~320x real time on one core.
 *
 * The rule, per 10 ms frame (offline and streaming share one engine, so they agree exactly):
 * 1. Front end: a causal 2nd-order Butterworth high-pass at `highPassHz` (80 Hz) removes DC,
 *    DC steps (their transient is gone within ~10 ms) and rumble. It decides which frames are
 *    loud and what they are; edges are refined on the samples as played (step 7), since the
 *    filter rings for a time constant of 1/(0.707 * 2 pi * 80 Hz) = 2.8 ms and would move a
 *    loud offset later by up to ~15 ms. A 3.6 kHz low-pass
 *    (Blackman FIR) and resampling give an 8 kHz analysis copy.
 * 2. Frames: loud = RMS of the high-passed frame >= `thresholdDbfs` (as energy.ts); analysed =
 *    RMS >= `analysisFloorDbfs` (-55 dBFS). Only analysed frames cost more than a sum of squares.
 * 3. Features of an analysed frame, on the 8 kHz copy: voicing = peak normalized
 *    cross-correlation over lags 2-16.7 ms (20 ms window), pitch = the shortest lag whose local
 *    peak is within 90 % of that (no octave errors), refined by a parabola; a 256-point Hann
 *    spectrum (32 ms), from which: peak share = power within +-62 Hz of the strongest bin over
 *    94-3594 Hz (pure tones and sweeps ~1.0), and a 10-coefficient cepstrum of the log power
 *    (floored 30 dB under the mean, so valleys between harmonics do not count) = the spectral
 *    envelope, insensitive to pitch (F0 ripple sits at quefrency index >= 13).
 * 4. Evidence frame: this frame and the one `movementLagMs` (50 ms) earlier are both voiced
 *    (>= `voicingMin` 0.6) and not tonal (peak share > `peakShareMax` 0.95 with its 2nd and 3rd
 *    harmonics under -30 dB: one partial, as a tone or a sweep; a high voice's /i/ can hold 99 %
 *    in one harmonic but has the others), their cepstra
 *    differ by >= `movementMinDb` (6 dB; speech transitions 7-25 dB, vibrato/glide buzz <= 2.4,
 *    beating chords <= 6), and no frame-to-frame pitch step between them exceeds
 *    `pitchStepMaxOct` (0.25 octave; half the direct step counts too): note changes jump (a
 *    question's rise can glide 0.5 octave in 70 ms: 0.12 missed a real model's "Yes,").
 * 5. Confirmed: an evidence frame with >= `minEvidenceMs` (30 ms = 3 frames) of evidence within
 *    +-`contextMs` (200 ms), in a window where at most `steadyPitchMax` (30 %) of voiced frame
 *    pairs hold their pitch to 0.001 octave (speech <= 11 %, synthetic notes and buzz >= 74 %).
 *    A window decides, so speech over a constant hum is still found.
 * 6. Speech frame: a loud frame within `reachMs` (300 ms) of a confirmed frame, or one joined
 *    to such a frame, within `extendMs` (700 ms), through frames above the analysis floor that
 *    do not hold their pitch (held vowels, tails, the dips between pulses of a low voice).
 * 7. Runs of speech frames are refined as energy.ts does, on the samples as played, where the
 *    neighbour frame is quiet (onset: first sample >= A in the frame before or the first frame,
 *    the high-passed crossing where the played signal has none; offset: one past the last
 *    played sample >= A in the last frame or the frame after); next to a loud non-speech frame
 *    the edge is the frame boundary. Then, as energy.ts: runs closer than `mergeGapMs` are one
 *    segment, segments shorter than `minSpeechMs` are dropped. With { mergeGapMs: 0,
 *    minSpeechMs: 0 } the result is the raw runs.
 *
 * Accuracy (measured, harness/vad/speech.test.ts, bench/speech-detector.ts): on eSpeak speech
 * in six voices, -15 to -40 dBFS, over a -60 dBFS floor, the segments equal energy.ts's to
 * within one frame except where part of an utterance lies more than
 * reachMs from voiced, moving evidence (a long unvoiced release of a slow, low voice; quiet
 * tails at -35/-40 dBFS): there an end is cut or a segment split (9 of 136 test cases, the
 * largest error ~0.5 s). In a loud background (hum, noise at 10-20 dB SNR) the edges are frame
 * boundaries up to reachMs + extendMs (1 s) outside the speech. No segment at all, over -50..-6
 * dBFS, for: white/pink/brown noise (steady and 120 ms bursts), 50/60 Hz hum with harmonics,
 * tones 100 Hz-4 kHz, chirps, square and sawtooth buzz 80-300 Hz (steady, chunked, vibrato,
 * glide, intonation-like contour), DC offset, blips and steps, clicks, impulse trains, music
 * (harmonic melodies with 120/250 ms notes, 3-note chords, the project's music bed) and a mix.
 * Not claimed: music whose pitch glides (vibrato/portamento on harmonic notes changing timbre),
 * sung or other real voices, and synthesized vowel sequences ARE speech-like to this rule.
 *
 * Streaming: a frame's verdict needs the features of frames up to contextMs + reachMs +
 * extendMs (1.2 s) plus ~30 ms of analysis window after it. An onset is reported once the
 * segment is minSpeechMs long and that frame is decided: at most ~1.25 s + minSpeechMs after
 * the onset; an offset once no later run can start within mergeGapMs: at most mergeGapMs +
 * ~1.25 s after the offset. `atMs` is always the refined time, never the time of the report.
 * (The runner's reactive triggers keep energy.ts; this detector is for scoring.)
 */
import { InputError } from '../errors.ts';
import { Fft, HighPass, lowPassFir } from './dsp.ts';
import { samplesToMs } from '../audio/units.ts';
import { checkFrameSettings, type SpeechSegmentMs, type VadChange } from './energy.ts';

export type { SpeechSegmentMs, VadChange } from './energy.ts';

export interface SpeechDetectorSettings {
  /** Analysis frame (hop) length, as in energy.ts. */
  frameMs: number;
  /** Frame RMS and sample threshold (dBFS, 0 dBFS = RMS of a full-scale square), on the high-passed signal. */
  thresholdDbfs: number;
  /** Segments shorter than this (after merging) are dropped. */
  minSpeechMs: number;
  /** Runs closer than this are one segment. */
  mergeGapMs: number;
  /** Corner of the 2nd-order Butterworth high-pass applied first (removes DC, steps, mains hum below it). */
  highPassHz: number;
  /** A frame is voiced when its normalized cross-correlation peak (pitch 60-500 Hz) is at least this. */
  voicingMin: number;
  /** A frame's spectral envelope moved when its low-order cepstrum is this far (dB) from the frame `movementLagMs` earlier. */
  movementMinDb: number;
  /** How far apart the two frames compared for envelope movement are. */
  movementLagMs: number;
  /** A frame is tonal (one partial: a tone, a sweep) when this share of its 94-3600 Hz power lies within +-62 Hz of one peak. */
  peakShareMax: number;
  /** Evidence needs a pitch that glides: no frame-to-frame step over the movement span larger than this (octaves). */
  pitchStepMaxOct: number;
  /**
   * A context window is instrument-like (notes, buzz, hum) when more than this share of its
   * voiced frame pairs hold the pitch to within STEADY_OCT; such a window confirms nothing.
   */
  steadyPitchMax: number;
  /** Half-width of the context window in which evidence is counted. */
  contextMs: number;
  /** Evidence needed in the context window: this much time of voiced, moving, non-tonal frames. */
  minEvidenceMs: number;
  /** Loud frames within this distance of confirmed evidence are speech (unvoiced consonants, soft onsets and tails). */
  reachMs: number;
  /**
   * Beyond the reach, speech goes on through contiguous loud, voiced frames whose pitch moves
   * (held vowels and nasals at a phrase end), for at most this long.
   */
  extendMs: number;
  /** Frames down to this level (dBFS) are analysed (the frame `movementLagMs` earlier of a quiet word's vowel is often softer than thresholdDbfs). */
  analysisFloorDbfs: number;
}

export const DEFAULT_SPEECH_DETECTOR: Readonly<SpeechDetectorSettings> = Object.freeze({
  frameMs: 10,
  thresholdDbfs: -45,
  minSpeechMs: 100,
  mergeGapMs: 300,
  highPassHz: 80,
  voicingMin: 0.6,
  movementMinDb: 6,
  movementLagMs: 50,
  peakShareMax: 0.95,
  pitchStepMaxOct: 0.25,
  steadyPitchMax: 0.3,
  contextMs: 200,
  minEvidenceMs: 30,
  reachMs: 300,
  extendMs: 700,
  analysisFloorDbfs: -55,
});

/** Analysis rate of the classifier: the high-passed signal low-passed to 3.6 kHz. */
const ANALYSIS_RATE = 8000;
const LOWPASS_HZ = 3600;
const FFT_SIZE = 256;
/** Pitch search, in analysis samples: 500 Hz .. 60 Hz. */
const LAG_MIN = 16;
const LAG_MAX = 133;
/** Cross-correlation window (20 ms). */
const NCCF_WINDOW = 160;
/** A frame with one dominant partial is still speech when its 2nd and 3rd harmonics hold this share of its power (-30 dB). */
const HARMONIC_MIN_RATIO = 1e-3;
/** Spectral band for envelope and peak share: bins 3..115 of 31.25 Hz (94-3594 Hz). */
const BIN_LO = 3;
const BIN_HI = 115;
const CEPSTRUM_ORDER = 10;
/** A shorter lag's peak at this share of the best one is taken as the period. */
const OCTAVE_PEAK_SHARE = 0.9;
/** Two voiced frames hold the pitch when it moved less than this (octaves; 0.07 %). */
const STEADY_OCT = 0.001;
/** Log-spectrum floor relative to the band's mean power (-30 dB): valleys between harmonics do not count as movement. */
const LOG_FLOOR = 1e-3;

interface Resolved {
  sampleRate: number;
  frameLength: number;
  amplitude: number;
  minSpeechSamples: number;
  mergeGapSamples: number;
  highPassHz: number;
  voicingMin: number;
  movementMinDb: number;
  movementLag: number;
  peakShareMax: number;
  pitchStepMaxOct: number;
  steadyPitchMax: number;
  context: number;
  minEvidence: number;
  reach: number;
  extend: number;
  floorAmplitude: number;
}

function resolve(sampleRate: number, overrides: Partial<SpeechDetectorSettings> | undefined): Resolved {
  const s: SpeechDetectorSettings = { ...DEFAULT_SPEECH_DETECTOR, ...overrides };
  const fail = (field: string, message: string): never => {
    throw new InputError(message, { field: `speechDetector.${field}`, hint: `Defaults: ${JSON.stringify(DEFAULT_SPEECH_DETECTOR)}.` });
  };
  if (!Number.isInteger(sampleRate) || sampleRate < ANALYSIS_RATE)
    fail('sampleRate', `sample rate must be an integer >= ${ANALYSIS_RATE} Hz, got ${sampleRate}`);
  checkFrameSettings(s, fail);
  if (!(s.highPassHz > 0 && s.highPassHz < sampleRate / 4)) fail('highPassHz', `highPassHz must be in (0, ${sampleRate / 4}), got ${s.highPassHz}`);
  if (!(s.voicingMin > 0 && s.voicingMin < 1)) fail('voicingMin', `voicingMin must be in (0, 1), got ${s.voicingMin}`);
  if (!(s.movementMinDb >= 0)) fail('movementMinDb', `movementMinDb must be >= 0, got ${s.movementMinDb}`);
  if (!(s.pitchStepMaxOct > 0)) fail('pitchStepMaxOct', `pitchStepMaxOct must be > 0, got ${s.pitchStepMaxOct}`);
  if (!(s.steadyPitchMax >= 0 && s.steadyPitchMax <= 1)) fail('steadyPitchMax', `steadyPitchMax must be in [0, 1], got ${s.steadyPitchMax}`);
  if (!(s.peakShareMax > 0 && s.peakShareMax <= 1)) fail('peakShareMax', `peakShareMax must be in (0, 1], got ${s.peakShareMax}`);
  for (const f of ['movementLagMs', 'contextMs', 'minEvidenceMs', 'reachMs', 'extendMs'] as const) if (!(s[f] >= 0)) fail(f, `${f} must be >= 0, got ${s[f]}`);
  const frameLength = Math.round((s.frameMs * sampleRate) / 1000);
  if (frameLength < 1) fail('frameMs', `frameMs ${s.frameMs} is shorter than one sample at ${sampleRate} Hz`);
  const frameMs = (frameLength * 1000) / sampleRate;
  return {
    sampleRate,
    frameLength,
    amplitude: 32768 * 10 ** (s.thresholdDbfs / 20),
    minSpeechSamples: (s.minSpeechMs * sampleRate) / 1000,
    mergeGapSamples: (s.mergeGapMs * sampleRate) / 1000,
    highPassHz: s.highPassHz,
    voicingMin: s.voicingMin,
    movementMinDb: s.movementMinDb,
    movementLag: Math.max(1, Math.round(s.movementLagMs / frameMs)),
    peakShareMax: s.peakShareMax,
    pitchStepMaxOct: s.pitchStepMaxOct,
    steadyPitchMax: s.steadyPitchMax,
    context: Math.round(s.contextMs / frameMs),
    minEvidence: Math.max(1, Math.round(s.minEvidenceMs / frameMs)),
    reach: Math.round(s.reachMs / frameMs),
    extend: Math.round(s.extendMs / frameMs),
    floorAmplitude: 32768 * 10 ** (Math.min(s.analysisFloorDbfs, s.thresholdDbfs) / 20),
  };
}

/**
 * The one engine behind both entry points: samples in (any chunking), VadChanges out. Every
 * computation is a function of the samples alone, in a fixed order, so the offline function
 * (one push of the whole signal) and any chunking of the stream give the same changes.
 */
class Engine {
  private readonly r: Resolved;
  private readonly hp: HighPass;
  /** Decimation to ANALYSIS_RATE: FIR taps, and the high-passed input history they read. */
  private readonly fir: Float64Array | null;
  private readonly ratio: number;
  private readonly inRing: Float64Array;
  private readonly inMask: number;
  private inCount = 0;
  /** Analysis-rate signal (ring), and how many samples of it exist. */
  private readonly aRing: Float64Array;
  private readonly aMask: number;
  private aCount = 0;
  /** Energy state of the frame being filled. */
  private frameSum = 0;
  private frameFill = 0;
  private frameFirst = -1;
  /** The same on the signal as it was played (before the high-pass), which edges prefer: see push(). */
  private rawFirst = -1;
  private rawLast = -1;

  /** Per-frame state, in rings indexed by frame number. */
  private readonly fMask: number;
  private readonly loud: Uint8Array;
  /** Frame RMS at least analysisFloorDbfs: features are computed. */
  private readonly analysed: Uint8Array;
  /** A confirmed frame lies within the reach. */
  private readonly near: Uint8Array;
  private readonly first: Float64Array;
  private readonly last: Float64Array;
  private readonly voicing: Float64Array;
  private readonly pitch: Float64Array;
  private readonly share: Float64Array;
  /** One partial and no harmonics (a tone, a sweep): see features(). */
  private readonly tonal: Uint8Array;
  private readonly cep: Float64Array;
  private readonly moveDb: Float64Array;
  private readonly evidence: Uint8Array;
  /** 1: this frame and the one before are voiced; 2: and hold the pitch. */
  private readonly pair: Uint8Array;
  private readonly confirmed: Uint8Array;
  private readonly speech: Uint8Array;
  /** Frontiers: frames with energy info, with features, with confirmation, with a decision. */
  private nFrames = 0;
  private nFeat = 0;
  private nConf = 0;
  private nNear = 0;
  private nDecided = 0;
  private finished = false;
  /** Total frames, known once finished. */
  private total = Infinity;

  /** Segment state (as energy.ts's streaming detector). */
  private open: { start: number; end: number; confirmed: boolean } | null = null;

  /** Scratch for features. */
  private readonly fft = new Fft(FFT_SIZE);
  private readonly re = new Float64Array(FFT_SIZE);
  private readonly im = new Float64Array(FFT_SIZE);
  private readonly hann = new Float64Array(FFT_SIZE);
  private readonly buf = new Float64Array(FFT_SIZE / 2 + NCCF_WINDOW / 2 + LAG_MAX + 1);
  private readonly power = new Float64Array(FFT_SIZE / 2 + 1);
  private readonly nccf = new Float64Array(LAG_MAX + 1);
  private readonly cepBasis: Float64Array;

  constructor(sampleRate: number, settings: Partial<SpeechDetectorSettings> | undefined) {
    this.r = resolve(sampleRate, settings);
    this.hp = new HighPass(this.r.highPassHz, sampleRate);
    this.ratio = sampleRate / ANALYSIS_RATE;
    if (sampleRate === ANALYSIS_RATE) {
      this.fir = null;
    } else {
      const taps = 2 * Math.round((this.ratio * 48) / 4) + 1;
      this.fir = lowPassFir(LOWPASS_HZ, sampleRate, taps);
    }
    const inSize = nextPow2((this.fir?.length ?? 1) + 4);
    this.inRing = new Float64Array(inSize);
    this.inMask = inSize - 1;
    this.aRing = new Float64Array(4096);
    this.aMask = 4095;
    const span =
      this.r.context +
      2 * this.r.reach +
      this.r.extend +
      this.r.movementLag +
      16 +
      Math.ceil((LAG_MAX + NCCF_WINDOW) / ((this.r.frameLength * ANALYSIS_RATE) / sampleRate));
    const fSize = nextPow2(2 * span + 64);
    this.fMask = fSize - 1;
    this.loud = new Uint8Array(fSize);
    this.analysed = new Uint8Array(fSize);
    this.near = new Uint8Array(fSize);
    this.first = new Float64Array(fSize);
    this.last = new Float64Array(fSize);
    this.voicing = new Float64Array(fSize);
    this.pitch = new Float64Array(fSize);
    this.share = new Float64Array(fSize);
    this.tonal = new Uint8Array(fSize);
    this.cep = new Float64Array(fSize * CEPSTRUM_ORDER);
    this.moveDb = new Float64Array(fSize);
    this.evidence = new Uint8Array(fSize);
    this.pair = new Uint8Array(fSize);
    this.confirmed = new Uint8Array(fSize);
    this.speech = new Uint8Array(fSize);
    for (let i = 0; i < FFT_SIZE; i++) this.hann[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / FFT_SIZE);
    const n = BIN_HI - BIN_LO + 1;
    this.cepBasis = new Float64Array(CEPSTRUM_ORDER * n);
    for (let c = 0; c < CEPSTRUM_ORDER; c++) for (let k = 0; k < n; k++) this.cepBasis[c * n + k] = (2 / n) * Math.cos((Math.PI * (c + 1) * (k + 0.5)) / n);
  }

  push(pcm: Int16Array, changes: VadChange[]): void {
    const r = this.r;
    const L = r.frameLength;
    const A = r.amplitude;
    for (let i = 0; i < pcm.length; i++) {
      const y = this.hp.step(pcm[i]);
      this.inRing[this.inCount & this.inMask] = y;
      const index = this.inCount++;
      this.decimate();
      this.frameSum += y * y;
      if (y >= A || -y >= A) {
        if (this.frameFirst < 0) this.frameFirst = index;
      }
      // Edges are refined on the played samples where they cross the threshold: the causal
      // high-pass rings on after an offset (up to ~8 ms above the threshold after a loud word),
      // which would move every offset later than what was heard. An onset falls back to the
      // high-passed crossing where the raw signal has none (a loud frame always has one).
      const x = pcm[i];
      if (x >= A || -x >= A) {
        if (this.rawFirst < 0) this.rawFirst = index;
        this.rawLast = index;
      }
      if (++this.frameFill === L) {
        this.endFrame();
        this.advance(changes);
      }
    }
  }

  finish(changes: VadChange[]): void {
    if (this.finished) return;
    if (this.frameFill > 0) this.endFrame();
    this.finished = true;
    this.total = this.nFrames;
    this.advance(changes);
    this.close(changes);
  }

  /** Produce analysis-rate samples whose input neighbourhood is complete. */
  private decimate(): void {
    if (!this.fir) {
      this.aRing[this.aCount & this.aMask] = this.inRing[(this.inCount - 1) & this.inMask];
      this.aCount++;
      return;
    }
    for (;;) {
      const pos = this.aCount * this.ratio;
      const i0 = Math.floor(pos);
      const frac = pos - i0;
      if (i0 + (frac > 0 ? 1 : 0) >= this.inCount) return;
      let v = this.firAt(i0);
      if (frac > 0) v += frac * (this.firAt(i0 + 1) - v);
      this.aRing[this.aCount & this.aMask] = v;
      this.aCount++;
    }
  }

  private firAt(index: number): number {
    const h = this.fir!;
    let sum = 0;
    const n = Math.min(h.length, index + 1);
    for (let j = 0; j < n; j++) sum += h[j] * this.inRing[(index - j) & this.inMask];
    return sum;
  }

  private endFrame(): void {
    const f = this.nFrames & this.fMask;
    const n = this.frameFill;
    this.loud[f] = this.frameSum >= n * this.r.amplitude * this.r.amplitude ? 1 : 0;
    this.analysed[f] = this.frameSum >= n * this.r.floorAmplitude * this.r.floorAmplitude ? 1 : 0;
    this.first[f] = this.rawFirst >= 0 ? this.rawFirst : this.frameFirst;
    this.last[f] = this.rawLast;
    this.nFrames++;
    this.frameSum = 0;
    this.frameFill = 0;
    this.frameFirst = -1;
    this.rawFirst = -1;
    this.rawLast = -1;
  }

  /** Centre of frame f on the analysis-rate grid. */
  private centre(f: number): number {
    return Math.round(((f + 0.5) * this.r.frameLength * ANALYSIS_RATE) / this.r.sampleRate);
  }

  private advance(changes: VadChange[]): void {
    const r = this.r;
    // Features: need the analysis signal up to the end of the cross-correlation span.
    while (this.nFeat < this.nFrames && (this.finished || this.centre(this.nFeat) + NCCF_WINDOW / 2 + LAG_MAX < this.aCount)) this.features(this.nFeat++);
    // Confirmation: evidence known over the whole context window.
    while (this.nConf < this.nFeat && (this.nConf + r.context < this.nFeat || this.nFeat === this.total)) this.confirm(this.nConf++);
    // Near: confirmation known over the reach.
    while (this.nNear < this.nConf && (this.nNear + r.reach < this.nConf || this.nConf === this.total)) this.markNear(this.nNear++);
    // Decision: nearness known over the extension.
    while (this.nDecided < this.nNear && (this.nDecided + r.extend < this.nNear || this.nNear === this.total)) this.decide(this.nDecided++, changes);
  }

  private features(f: number): void {
    const r = this.r;
    const slot = f & this.fMask;
    this.voicing[slot] = 0;
    this.pitch[slot] = 0;
    this.share[slot] = 1;
    this.tonal[slot] = 1;
    this.moveDb[slot] = -1;
    this.evidence[slot] = 0;
    this.pair[slot] = 0;
    if (this.analysed[slot]) {
      this.analyse(f, slot);
      const p = (f - 1) & this.fMask;
      if (f > 0 && this.analysed[p] && this.voicing[slot] >= r.voicingMin && this.voicing[p] >= r.voicingMin) {
        this.pair[slot] = Math.abs(Math.log2(this.pitch[slot] / this.pitch[p])) <= STEADY_OCT ? 2 : 1;
      }
      const g = f - r.movementLag;
      if (g >= 0 && this.analysed[g & this.fMask]) {
        let d = 0;
        const a = slot * CEPSTRUM_ORDER;
        const b = (g & this.fMask) * CEPSTRUM_ORDER;
        for (let c = 0; c < CEPSTRUM_ORDER; c++) d += (this.cep[a + c] - this.cep[b + c]) ** 2;
        this.moveDb[slot] = Math.sqrt(d);
        const gs = g & this.fMask;
        this.evidence[slot] =
          this.voicing[slot] >= r.voicingMin &&
          this.voicing[gs] >= r.voicingMin &&
          !this.tonal[slot] &&
          !this.tonal[gs] &&
          this.moveDb[slot] >= r.movementMinDb &&
          this.pitchJump(g, f) <= r.pitchStepMaxOct
            ? 1
            : 0;
      }
    }
  }

  /** Voicing, pitch, peak share and cepstrum of one loud frame. */
  private analyse(f: number, slot: number): void {
    const m = this.centre(f);
    const from = m - FFT_SIZE / 2;
    const buf = this.buf;
    for (let i = 0; i < buf.length; i++) {
      const k = from + i;
      buf[i] = k >= 0 && k < this.aCount ? this.aRing[k & this.aMask] : 0;
    }
    // Normalized cross-correlation over a 20 ms window centred on the frame.
    const w0 = FFT_SIZE / 2 - NCCF_WINDOW / 2;
    let e0 = 0;
    for (let n = 0; n < NCCF_WINDOW; n++) e0 += buf[w0 + n] * buf[w0 + n];
    let et = 0;
    for (let n = 0; n < NCCF_WINDOW; n++) et += buf[w0 + LAG_MIN + n] * buf[w0 + LAG_MIN + n];
    let best = 0;
    let bestLag = 0;
    const tiny = 1e-9 + e0 * 1e-12;
    const r = this.nccf;
    for (let lag = LAG_MIN; lag <= LAG_MAX; lag++) {
      let num = 0;
      for (let n = 0; n < NCCF_WINDOW; n++) num += buf[w0 + n] * buf[w0 + lag + n];
      const v = num / Math.sqrt(e0 * et + tiny);
      r[lag] = v;
      if (v > best) {
        best = v;
        bestLag = lag;
      }
      const out = buf[w0 + lag];
      const inn = buf[w0 + lag + NCCF_WINDOW];
      et += inn * inn - out * out;
    }
    this.voicing[slot] = best;
    // The pitch is the shortest lag whose local peak comes close to the best (a period's
    // multiples correlate nearly as well; this avoids octave errors).
    for (let lag = LAG_MIN + 1; lag < bestLag; lag++) {
      if (r[lag] >= OCTAVE_PEAK_SHARE * best && r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1]) {
        bestLag = lag;
        break;
      }
    }
    // Sub-sample lag by a parabola through the peak and its neighbours (pitch continuity needs
    // better than the 2-4 % steps of integer lags).
    let lag = bestLag;
    if (bestLag > LAG_MIN && bestLag < LAG_MAX) {
      const a = r[bestLag - 1];
      const b = r[bestLag];
      const c = r[bestLag + 1];
      const denom = a - 2 * b + c;
      if (denom < 0) lag = bestLag + Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / denom));
    }
    this.pitch[slot] = bestLag > 0 ? ANALYSIS_RATE / lag : 0;

    // Spectrum of a 32 ms Hann window centred on the frame.
    for (let i = 0; i < FFT_SIZE; i++) {
      this.re[i] = buf[i] * this.hann[i];
      this.im[i] = 0;
    }
    this.fft.transform(this.re, this.im);
    const P = this.power;
    let total = 0;
    for (let k = BIN_LO; k <= BIN_HI; k++) {
      P[k] = this.re[k] * this.re[k] + this.im[k] * this.im[k];
      total += P[k];
    }
    const around = (k: number) => {
      let s = 0;
      for (let j = Math.max(BIN_LO, k - 2); j <= Math.min(BIN_HI, k + 2); j++) s += P[j];
      return s;
    };
    let peak = 0;
    let peakBin = BIN_LO;
    for (let k = BIN_LO; k <= BIN_HI; k++) {
      const s = around(k);
      if (s > peak) [peak, peakBin] = [s, k];
    }
    this.share[slot] = total > 0 ? peak / total : 1;
    // Tonal: nearly all power in one partial, and no harmonics of it. A high voice's /i/ or
    // nasal can put 99 % of its power in one harmonic, but its 2nd and 3rd are still there
    // (-30 dB or more); a tone or a sweep has none.
    const harmonics = [2, 3].reduce((sum, h) => sum + (h * peakBin + 2 <= BIN_HI ? around(h * peakBin) : 0), 0);
    this.tonal[slot] = this.share[slot] > this.r.peakShareMax && harmonics < peak * HARMONIC_MIN_RATIO ? 1 : 0;
    const n = BIN_HI - BIN_LO + 1;
    const floor = (LOG_FLOOR * total) / n + 1e-9;
    const base = slot * CEPSTRUM_ORDER;
    for (let c = 0; c < CEPSTRUM_ORDER; c++) this.cep[base + c] = 0;
    for (let k = 0; k < n; k++) {
      const l = 10 * Math.log10(P[BIN_LO + k] + floor);
      for (let c = 0; c < CEPSTRUM_ORDER; c++) this.cep[base + c] += l * this.cepBasis[c * n + k];
    }
  }

  /** Largest frame-to-frame pitch step (octaves) over (from, to], voiced pairs only. */
  private pitchJump(from: number, to: number): number {
    let worst = 0;
    for (let u = from + 1; u <= to; u++) {
      const a = u & this.fMask;
      const b = (u - 1) & this.fMask;
      if (!this.analysed[a] || !this.analysed[b] || this.voicing[a] < this.r.voicingMin || this.voicing[b] < this.r.voicingMin) continue;
      worst = Math.max(worst, Math.abs(Math.log2(this.pitch[a] / this.pitch[b])));
    }
    const a = to & this.fMask;
    const b = from & this.fMask;
    if (this.voicing[a] >= this.r.voicingMin && this.voicing[b] >= this.r.voicingMin) {
      worst = Math.max(worst, Math.abs(Math.log2(this.pitch[a] / this.pitch[b])) / 2);
    }
    return worst;
  }

  private confirm(f: number): void {
    const r = this.r;
    let ok = 0;
    if (this.evidence[f & this.fMask]) {
      let count = 0;
      let pairs = 0;
      let steady = 0;
      for (let u = Math.max(0, f - r.context); u <= f + r.context && u < this.nFeat; u++) {
        const slot = u & this.fMask;
        count += this.evidence[slot];
        if (this.pair[slot] > 0) pairs++;
        if (this.pair[slot] === 2) steady++;
      }
      ok = count >= r.minEvidence && steady <= r.steadyPitchMax * pairs ? 1 : 0;
    }
    this.confirmed[f & this.fMask] = ok;
  }

  private markNear(h: number): void {
    const r = this.r;
    let near = 0;
    for (let f = Math.max(0, h - r.reach); f <= h + r.reach && f < this.nConf; f++) {
      if (this.confirmed[f & this.fMask]) {
        near = 1;
        break;
      }
    }
    this.near[h & this.fMask] = near;
  }

  /**
   * Above the analysis floor and not holding its pitch (hum, buzz, a note): a frame speech may
   * extend through (dips below the threshold between pitch pulses of a low voice included).
   */
  private extendable(h: number): boolean {
    const slot = h & this.fMask;
    return this.analysed[slot] === 1 && this.pair[slot] !== 2;
  }

  private decide(g: number, changes: VadChange[]): void {
    const r = this.r;
    const slot = g & this.fMask;
    let speech = 0;
    if (this.loud[slot]) {
      if (this.near[slot]) speech = 1;
      else if (this.extendable(g)) {
        // Walk through extendable frames towards a loud frame near confirmed evidence.
        for (const dir of [-1, 1]) {
          for (let k = 1; k <= r.extend; k++) {
            const h = g + dir * k;
            if (h < 0 || h >= this.nNear) break;
            const hs = h & this.fMask;
            if (this.loud[hs] && this.near[hs]) {
              speech = 1;
              break;
            }
            if (!this.extendable(h)) break;
          }
          if (speech) break;
        }
      }
    }
    this.speech[slot] = speech;
    this.segmentStep(g, changes);
  }

  /** Runs of speech frames, refined to the sample, merged and confirmed as energy.ts does. */
  private segmentStep(g: number, changes: VadChange[]): void {
    const r = this.r;
    const L = r.frameLength;
    const slot = g & this.fMask;
    const prev = g > 0 ? (g - 1) & this.fMask : -1;
    const speech = this.speech[slot] === 1;
    const prevSpeech = prev >= 0 && this.speech[prev] === 1;
    if (speech && !prevSpeech) {
      // Onset: quiet frame before -> its first sample over the threshold, else this frame's;
      // loud non-speech before -> this frame's start.
      let start: number;
      if (prev >= 0 && this.loud[prev]) start = g * L;
      else start = prev >= 0 && this.first[prev] >= 0 ? this.first[prev] : this.first[slot];
      if (this.open && start - this.open.end >= r.mergeGapSamples) this.close(changes);
      this.open ??= { start, end: start, confirmed: false };
    }
    if (speech && this.open) this.open.end = Math.max(this.open.end, this.last[slot] + 1);
    if (!speech && prevSpeech && this.open) {
      // Offset: quiet frame after -> its last sample over the threshold, else the run's;
      // loud non-speech after -> this frame's start.
      const end = this.loud[slot] ? g * L : this.last[slot] >= 0 ? this.last[slot] + 1 : this.last[prev] + 1;
      this.open.end = Math.max(this.open.end, end);
    }
    if (this.open && !this.open.confirmed && this.open.end - this.open.start >= r.minSpeechSamples) {
      this.open.confirmed = true;
      changes.push({ type: 'onset', atMs: samplesToMs(this.open.start, r.sampleRate) });
    }
    // A later run starts no earlier than this frame's start.
    if (this.open && !speech && g * L - this.open.end >= r.mergeGapSamples) this.close(changes);
  }

  private close(changes: VadChange[]): void {
    if (this.open?.confirmed) changes.push({ type: 'offset', atMs: samplesToMs(this.open.end, this.r.sampleRate) });
    this.open = null;
  }
}

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p <<= 1;
  return p;
}

function pair(changes: VadChange[]): SpeechSegmentMs[] {
  const out: SpeechSegmentMs[] = [];
  for (let i = 0; i + 1 < changes.length; i += 2) out.push({ startMs: changes[i].atMs, endMs: changes[i + 1].atMs });
  return out;
}

/** Offline: the speech segments of a whole signal, in ms from sample 0. */
export function speechSegments(pcm: Int16Array, sampleRate: number, settings?: Partial<SpeechDetectorSettings>): SpeechSegmentMs[] {
  const engine = new Engine(sampleRate, settings);
  const changes: VadChange[] = [];
  engine.push(pcm, changes);
  engine.finish(changes);
  return pair(changes);
}

/**
 * Online: push PCM in chunks of any size; each call returns the changes that became certain.
 * Call flush() at the end of the stream (after flush, push throws).
 */
export class StreamingSpeechDetector {
  private readonly engine: Engine;
  private flushed = false;

  constructor(sampleRate: number, settings?: Partial<SpeechDetectorSettings>) {
    this.engine = new Engine(sampleRate, settings);
  }

  push(pcm: Int16Array): VadChange[] {
    if (this.flushed) throw new Error('StreamingSpeechDetector: push after flush; make a new detector for a new stream');
    const changes: VadChange[] = [];
    this.engine.push(pcm, changes);
    return changes;
  }

  flush(): VadChange[] {
    if (this.flushed) return [];
    this.flushed = true;
    const changes: VadChange[] = [];
    this.engine.finish(changes);
    return changes;
  }
}
