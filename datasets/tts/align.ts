/**
 * Forced alignment of known text to speech that came without word timings (an engine that
 * reports none; later, a human recording), by dynamic time warping against a rendering whose
 * timings are exact.
 *
 * 1. Reference: eSpeak says the same text (en-us by default), at the rate that makes its speech
 *    as long as the target's, so the warp has little to stretch. Its word timings are exact.
 * 2. Features of both, every 5 ms over 25 ms Hann windows: 12 mel-cepstral coefficients
 *    (26 mel bands, 80-7600 Hz, c0 dropped) with their utterance mean removed, plus the frame's
 *    log energy relative to the utterance peak (silence lines up with silence).
 * 3. Dynamic time warping (steps (1,0), (0,1), (1,1); Euclidean frame distance) pairs the
 *    frames; a reference word boundary moves to the mean time of the target frames paired with
 *    its frame.
 * 4. Edges refined on the target itself: a boundary within 40 ms of a silent gap (>= 15 ms
 *    below -45 dBFS, the energy detector's level) moves to the gap's edge, sample-exact; a
 *    boundary inside continuous sound moves to the quietest point (5 ms RMS) within 20 ms. The
 *    first word starts at the first loud sample, the last ends one past the last loud sample.
 *
 * Its error is measured against known answers by `npm run bench -- align` (eSpeak voices and
 * Flite, whose timings are exact) and stated in the README.
 */
import { USER_SAMPLE_RATE, type Word } from '../../harness/media.ts';
import type { SpeechVoice } from './engine.ts';
import type { Synthesized } from './espeak.ts';

const HOP = 80; // 5 ms at 16 kHz
const WINDOW = 400; // 25 ms
const FFT = 512;
const MEL_BANDS = 26;
const CEPSTRA = 12;
const LOUD = 32768 * 10 ** (-45 / 20);
const GAP_MIN_MS = 15;
const SNAP_GAP_MS = 40;
const SNAP_QUIET_MS = 20;

const ALIGN_REFERENCE: Readonly<SpeechVoice> = Object.freeze({ engine: 'espeak', name: 'en-us', rate_wpm: 175, pitch: 50 });

type Render = (text: string, voice: SpeechVoice) => Promise<Synthesized>;

/** Word timings for `text` (its whitespace tokens) in `pcm` (16 kHz). */
export async function forcedAlign(pcm: Int16Array, text: string, render: Render, reference: SpeechVoice = ALIGN_REFERENCE): Promise<Word[]> {
  const target = loudExtent(pcm);
  let ref = await render(text, reference);
  const refExtent = loudExtent(ref.pcm);
  const ratio = (refExtent.end - refExtent.start) / Math.max(1, target.end - target.start);
  const rate = Math.round(Math.min(450, Math.max(80, reference.rate_wpm * ratio)));
  if (Math.abs(rate - reference.rate_wpm) >= 5) ref = await render(text, { ...reference, rate_wpm: rate });
  return alignTo(pcm, ref);
}

/** Map the reference's word timings onto `pcm` (steps 2-4 above). */
function alignTo(pcm: Int16Array, ref: { pcm: Int16Array; words: Word[] }): Word[] {
  const a = features(ref.pcm);
  const b = features(pcm);
  const pairs = warp(a, b);
  const frameMs = (HOP * 1000) / USER_SAMPLE_RATE;
  const toTarget = (ms: number) => {
    const f = Math.min(a.length - 1, Math.max(0, Math.round(ms / frameMs)));
    return pairs[f] * frameMs;
  };
  const env = envelope(pcm);
  const gaps = silentGaps(pcm);
  const extent = loudExtent(pcm);
  const durationMs = (pcm.length * 1000) / USER_SAMPLE_RATE;
  const words = ref.words.map((w) => ({ text: w.text, startMs: toTarget(w.startMs), endMs: toTarget(w.endMs), zero: w.endMs <= w.startMs }));
  for (const [i, w] of words.entries()) {
    if (w.zero) continue;
    w.startMs = i === firstSpoken(words) ? toMs(extent.start) : snap(w.startMs, 'start', gaps, env);
    w.endMs = i === lastSpoken(words) ? toMs(extent.end) : snap(w.endMs, 'end', gaps, env);
  }
  // Monotonic, inside the clip, unspoken tokens at the end of the one before.
  let previousEnd = 0;
  return words.map((w) => {
    const startMs = Math.min(durationMs, w.zero ? previousEnd : Math.max(w.startMs, previousEnd));
    const endMs = Math.min(durationMs, w.zero ? startMs : Math.max(w.endMs, startMs));
    previousEnd = endMs;
    return { text: w.text, startMs, endMs };
  });
}

const toMs = (sample: number) => (sample * 1000) / USER_SAMPLE_RATE;
const toSample = (ms: number) => Math.round((ms * USER_SAMPLE_RATE) / 1000);
const firstSpoken = (ws: { zero: boolean }[]) => ws.findIndex((w) => !w.zero);
const lastSpoken = (ws: { zero: boolean }[]) => ws.length - 1 - [...ws].reverse().findIndex((w) => !w.zero);

function snap(ms: number, edge: 'start' | 'end', gaps: { start: number; end: number }[], env: Float64Array): number {
  const s = toSample(ms);
  const reach = toSample(SNAP_GAP_MS);
  // The nearest gap edge of the right kind: a word starts where a gap ends, ends where one starts.
  let best: number | undefined;
  for (const g of gaps) {
    const e = edge === 'start' ? g.end : g.start;
    if (Math.abs(e - s) <= reach && (best === undefined || Math.abs(e - s) < Math.abs(best - s))) best = e;
  }
  if (best !== undefined) return toMs(best);
  // Inside sound: the quietest millisecond nearby.
  const c = Math.round(ms);
  let q = c;
  for (let t = Math.max(0, c - SNAP_QUIET_MS); t <= Math.min(env.length - 1, c + SNAP_QUIET_MS); t++) if (env[t] < env[q]) q = t;
  return q;
}

/** First loud sample and one past the last (whole clip when none is loud). */
export function loudExtent(pcm: Int16Array): { start: number; end: number } {
  let start = 0;
  while (start < pcm.length && Math.abs(pcm[start]) < LOUD) start++;
  let end = pcm.length;
  while (end > start && Math.abs(pcm[end - 1]) < LOUD) end--;
  return start < end ? { start, end } : { start: 0, end: pcm.length };
}

/** Runs of at least GAP_MIN_MS with no sample at or above -45 dBFS: [start, end) in samples. */
function silentGaps(pcm: Int16Array): { start: number; end: number }[] {
  const min = toSample(GAP_MIN_MS);
  const gaps: { start: number; end: number }[] = [];
  let runStart = -1;
  for (let i = 0; i <= pcm.length; i++) {
    const quiet = i < pcm.length && Math.abs(pcm[i]) < LOUD;
    if (quiet && runStart < 0) runStart = i;
    if (!quiet && runStart >= 0) {
      if (i - runStart >= min && runStart > 0 && i < pcm.length) gaps.push({ start: runStart, end: i });
      runStart = -1;
    }
  }
  return gaps;
}

/** RMS over 5 ms centred on each millisecond. */
function envelope(pcm: Int16Array): Float64Array {
  const perMs = USER_SAMPLE_RATE / 1000;
  const n = Math.ceil(pcm.length / perMs);
  const out = new Float64Array(n);
  const half = (5 * perMs) / 2;
  for (let t = 0; t < n; t++) {
    const c = t * perMs;
    let sum = 0;
    let count = 0;
    for (let i = Math.max(0, c - half); i < Math.min(pcm.length, c + half); i++) {
      sum += pcm[i] * pcm[i];
      count++;
    }
    out[t] = Math.sqrt(sum / Math.max(1, count));
  }
  return out;
}

let melBank: Float64Array[] | undefined;
let hann: Float64Array | undefined;

/** One feature vector per 5 ms frame (see the header). */
function features(pcm: Int16Array): Float64Array[] {
  hann ??= Float64Array.from({ length: WINDOW }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (WINDOW - 1)));
  melBank ??= makeMelBank();
  const frames = Math.max(1, Math.ceil(pcm.length / HOP));
  const out: Float64Array[] = [];
  const re = new Float64Array(FFT);
  const im = new Float64Array(FFT);
  const energies: number[] = [];
  for (let f = 0; f < frames; f++) {
    re.fill(0);
    im.fill(0);
    const start = f * HOP - WINDOW / 2;
    let energy = 0;
    for (let i = 0; i < WINDOW; i++) {
      const x = start + i >= 0 && start + i < pcm.length ? pcm[start + i] / 32768 : 0;
      re[i] = x * hann[i];
      energy += re[i] * re[i];
    }
    fft(re, im);
    const logMel = melBank.map((w) => {
      let s = 0;
      for (let k = 0; k < w.length; k++) if (w[k]) s += w[k] * (re[k] * re[k] + im[k] * im[k]);
      return Math.log(s + 1e-10);
    });
    const c = new Float64Array(CEPSTRA + 1);
    for (let q = 1; q <= CEPSTRA; q++) {
      let s = 0;
      for (let m = 0; m < MEL_BANDS; m++) s += logMel[m] * Math.cos((Math.PI * q * (m + 0.5)) / MEL_BANDS);
      c[q - 1] = s;
    }
    energies.push(Math.log10(energy + 1e-10));
    out.push(c);
  }
  const peak = Math.max(...energies);
  const mean = new Float64Array(CEPSTRA);
  for (const c of out) for (let q = 0; q < CEPSTRA; q++) mean[q] += c[q] / out.length;
  out.forEach((c, f) => {
    for (let q = 0; q < CEPSTRA; q++) c[q] -= mean[q];
    // Energy in units of 10 dB below the peak, floored at -6 (60 dB), weighted like a cepstrum.
    c[CEPSTRA] = 3 * Math.max(-6, energies[f] - peak);
  });
  return out;
}

function makeMelBank(): Float64Array[] {
  const mel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
  const hz = (m: number) => 700 * (10 ** (m / 2595) - 1);
  const lo = mel(80);
  const hi = mel(7600);
  const centres = Array.from({ length: MEL_BANDS + 2 }, (_, i) => (hz(lo + ((hi - lo) * i) / (MEL_BANDS + 1)) * FFT) / USER_SAMPLE_RATE);
  return Array.from({ length: MEL_BANDS }, (_, m) => {
    const w = new Float64Array(FFT / 2 + 1);
    for (let k = 0; k <= FFT / 2; k++) {
      const [l, c, r] = [centres[m], centres[m + 1], centres[m + 2]];
      if (k > l && k <= c) w[k] = (k - l) / (c - l);
      else if (k > c && k < r) w[k] = (r - k) / (r - c);
    }
    return w;
  });
}

/** In-place radix-2 FFT. */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = Math.cos(ang * k);
        const wi = Math.sin(ang * k);
        const xr = re[i + k + len / 2] * wr - im[i + k + len / 2] * wi;
        const xi = re[i + k + len / 2] * wi + im[i + k + len / 2] * wr;
        re[i + k + len / 2] = re[i + k] - xr;
        im[i + k + len / 2] = im[i + k] - xi;
        re[i + k] += xr;
        im[i + k] += xi;
      }
    }
  }
}

/** DTW of reference frames `a` against target frames `b`: for each frame of `a`, the mean index of the `b` frames paired with it. */
function warp(a: Float64Array[], b: Float64Array[]): Float64Array {
  const n = a.length;
  const m = b.length;
  const acc = new Float32Array(n * m);
  const dist = (i: number, j: number) => {
    let s = 0;
    for (let q = 0; q < a[i].length; q++) s += (a[i][q] - b[j][q]) ** 2;
    return Math.sqrt(s);
  };
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const d = dist(i, j);
      if (i === 0 && j === 0) acc[0] = d;
      else {
        let best = Infinity;
        if (i > 0) best = Math.min(best, acc[(i - 1) * m + j]);
        if (j > 0) best = Math.min(best, acc[i * m + j - 1]);
        if (i > 0 && j > 0) best = Math.min(best, acc[(i - 1) * m + j - 1]);
        acc[i * m + j] = d + best;
      }
    }
  }
  const sum = new Float64Array(n);
  const count = new Float64Array(n);
  let i = n - 1;
  let j = m - 1;
  for (;;) {
    sum[i] += j;
    count[i]++;
    if (i === 0 && j === 0) break;
    const diag = i > 0 && j > 0 ? acc[(i - 1) * m + j - 1] : Infinity;
    const up = i > 0 ? acc[(i - 1) * m + j] : Infinity;
    const left = j > 0 ? acc[i * m + j - 1] : Infinity;
    if (diag <= up && diag <= left) {
      i--;
      j--;
    } else if (up <= left) i--;
    else j--;
  }
  return sum.map((s, k) => s / count[k]);
}
