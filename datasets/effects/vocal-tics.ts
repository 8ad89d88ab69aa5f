/**
 * The six vocal tics of the vocal_tics family, rendered offline and deterministically from a
 * seed as 16 kHz PCM that holds the sound and nothing else (no silence before or after it):
 * - um, uh: eSpeak's rendering of the words "um" and "uh", which it speaks as the fillers /ʌm/
 *   and /ʌ/ (not spelled out), in the user's voice and pitch, drawled (FILLER_RATE_WPM) and cut
 *   to the word's own timings;
 * - cough: one or two sharp broadband bursts through two formant-like band-passes, each with an
 *   attack of a few ms and an exponential decay;
 * - laugh: 3-5 "ha" pulses: breathy noise, then a voiced /a/ (a harmonic source whose pitch
 *   falls, through three formants), each pulse softer than the last;
 * - throat_clear: a low, rough rumble in one or two parts: an irregular pulse train (vocal fry,
 *   every period drawn anew so no pitch holds) and noise, band-passed low;
 * - breath: band-passed noise under one slow rise and fall.
 * Each is scaled to its nominal level (TIC_SPECS: RMS over the clip, dBFS, eSpeak's own speech
 * being about -20) plus gain_db. Lengths and levels are checked in vocal-tics.test.ts, as is
 * what the speech detector (harness/vad/speech.ts) makes of each.
 */
import { USER_SAMPLE_RATE } from '../../harness/media.ts';
import type { TicSound } from '../../harness/scenario/schema.ts';
import { createRng, type Rng } from '../prng.ts';
import type { EspeakVoice } from '../tts/espeak.ts';
import type { Synthesizer } from '../tts/cache.ts';
import { applyBiquad, bandPass, highPass, lowPass, type BiquadCoefficients } from './biquad.ts';

const RATE = USER_SAMPLE_RATE;

/**
 * Length range (ms, both ends possible) and nominal level (RMS over the clip, dBFS) of each tic.
 * The fillers' lengths are eSpeak's, measured over the seven suite voices (CORE_VOICES) at pitch
 * 30-70; other voices may fall outside.
 */
export const TIC_SPECS: Readonly<Record<TicSound, { minMs: number; maxMs: number; levelDbfs: number }>> = {
  um: { minMs: 350, maxMs: 760, levelDbfs: -22 },
  uh: { minMs: 250, maxMs: 590, levelDbfs: -22 },
  cough: { minMs: 250, maxMs: 450, levelDbfs: -24 },
  laugh: { minMs: 430, maxMs: 1030, levelDbfs: -26 },
  throat_clear: { minMs: 300, maxMs: 500, levelDbfs: -26 },
  breath: { minMs: 400, maxMs: 700, levelDbfs: -40 },
};

/** Fillers are drawled: spoken at a rate drawn from this range whatever the voice's own rate. */
const FILLER_RATE_WPM = [90, 120] as const;
const EDGE_FADE_MS = 5;

interface TicOptions {
  seed: number;
  /** The user's voice: name and pitch for the fillers (its rate is replaced by FILLER_RATE_WPM). */
  voice: EspeakVoice;
  /** Level change from the nominal level, dB (default 0). */
  gainDb?: number;
  synthesize: Synthesizer;
}

export async function renderTic(sound: TicSound, opts: TicOptions): Promise<Int16Array> {
  const rng = createRng(opts.seed);
  const x = sound === 'um' || sound === 'uh' ? await filler(sound, rng, opts) : PROCEDURAL[sound](rng);
  return atLevel(x, TIC_SPECS[sound].levelDbfs + (opts.gainDb ?? 0));
}

const samples = (ms: number) => Math.round((ms * RATE) / 1000);

async function filler(text: 'um' | 'uh', rng: Rng, opts: TicOptions): Promise<Float64Array> {
  const r = await opts.synthesize(text, { ...opts.voice, rate_wpm: rng.int(...FILLER_RATE_WPM) });
  const word = r.words[0];
  const x = Float64Array.from(r.pcm.subarray(samples(word.startMs), samples(word.endMs)), (v) => v / 32768);
  return faded(x, samples(EDGE_FADE_MS));
}

const PROCEDURAL: Record<Exclude<TicSound, 'um' | 'uh'>, (rng: Rng) => Float64Array> = { cough, laugh, throat_clear: throatClear, breath };

/** One or two bursts: 250-380 ms alone, or 140-200 ms, a 40-80 ms gap and 110-170 ms. */
function cough(rng: Rng): Float64Array {
  const formants: [BiquadCoefficients, number][] = [
    [bandPass(rng.uniform(450, 900), 1.2, RATE), 1],
    [bandPass(rng.uniform(1600, 2600), 1.5, RATE), 0.6],
    [highPass(300, RATE), 0.2],
  ];
  const burst = (ms: number, amplitude: number) => {
    const n = samples(ms);
    const source = noise(n, rng);
    const attack = samples(rng.uniform(3, 8));
    const tau = n / 4.5; // about -39 dB at the burst's end
    const y = mixFiltered(source, formants);
    return y.map((v, i) => v * amplitude * Math.min(1, i / attack) * Math.exp(-i / tau));
  };
  if (rng.next() < 0.5) return burst(rng.int(250, 380), 1);
  return concat([burst(rng.int(140, 200), 1), new Float64Array(samples(rng.int(40, 80))), burst(rng.int(110, 170), rng.uniform(0.6, 0.8))]);
}

/** 3-5 pulses every 170-220 ms, each 25-40 ms of breath then 70-110 ms of voiced /a/. */
function laugh(rng: Rng): Float64Array {
  const pulses = rng.int(3, 5);
  const periodMs = rng.int(170, 220);
  const f0Hz = rng.uniform(170, 260);
  const formants: [BiquadCoefficients, number][] = [
    [bandPass(rng.uniform(700, 850), 5, RATE), 1],
    [bandPass(rng.uniform(1100, 1300), 7, RATE), 0.5],
    [bandPass(rng.uniform(2400, 2800), 9, RATE), 0.25],
  ];
  const breathy = bandPass(1500, 0.8, RATE);
  const parts: Float64Array[] = [];
  for (let p = 0; p < pulses; p++) {
    const h = applyBiquad(noise(samples(rng.int(25, 40)), rng), breathy).map((v, i, a) => 0.3 * v * (i / a.length));
    const n = samples(rng.int(70, 110));
    // The pitch falls within each pulse and from pulse to pulse, as a laugh's does.
    const voiced = harmonicSource(n, (i) => f0Hz * (1 - 0.06 * p) * (1 - (0.12 * i) / n));
    const breath = noise(n, rng);
    const a = mixFiltered(voiced, formants).map((v, i) => (v + 0.15 * breath[i]) * 0.5 * (1 - Math.cos((2 * Math.PI * i) / n)));
    const pulse = concat([h, a]).map((v) => v * 0.8 ** p);
    parts.push(pulse);
    if (p < pulses - 1) parts.push(new Float64Array(samples(periodMs) - pulse.length));
  }
  return concat(parts);
}

/** One part of 300-480 ms, or 150-240 ms, a 30-60 ms gap and 120-200 ms. */
function throatClear(rng: Rng): Float64Array {
  const body = bandPass(rng.uniform(250, 400), 1, RATE);
  const dull = lowPass(900, RATE);
  const part = (ms: number) => {
    const n = samples(ms);
    const source = new Float64Array(n);
    // Vocal fry: pulses 9-18 ms apart, each period and strength drawn anew (rough, no held pitch).
    for (let i = 0; i < n; i += samples(rng.uniform(9, 18))) source[i] = rng.uniform(0.5, 1);
    const hiss = noise(n, rng);
    const y = applyBiquad(
      applyBiquad(
        source.map((v, i) => v + 0.05 * hiss[i]),
        body,
      ),
      dull,
    );
    const attack = samples(30);
    const release = samples(80);
    return y.map((v, i) => v * Math.min(1, i / attack, (n - i) / release));
  };
  if (rng.next() < 0.5) return part(rng.int(300, 480));
  return concat([part(rng.int(150, 240)), new Float64Array(samples(rng.int(30, 60))), part(rng.int(120, 200))]);
}

/** 400-700 ms of noise, high-passed at 300 Hz and band-passed around 0.9-1.6 kHz, under sin². */
function breath(rng: Rng): Float64Array {
  const n = samples(rng.int(400, 700));
  const y = applyBiquad(applyBiquad(noise(n, rng), highPass(300, RATE)), bandPass(rng.uniform(900, 1600), 0.6, RATE));
  return y.map((v, i) => v * Math.sin((Math.PI * i) / n) ** 2);
}

function noise(n: number, rng: Rng): Float64Array {
  return Float64Array.from({ length: n }, () => rng.uniform(-1, 1));
}

/** Sum of the harmonics under 3.8 kHz, each 1/k (a band-limited sawtooth), following the pitch track. */
function harmonicSource(n: number, f0At: (i: number) => number): Float64Array {
  const out = new Float64Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const f0 = f0At(i);
    for (let k = 1; k * f0 < 3800; k++) out[i] += Math.sin(k * phase) / k;
    phase += (2 * Math.PI * f0) / RATE;
  }
  return out;
}

/** The source through parallel filters, each with its gain. */
function mixFiltered(source: Float64Array, filters: readonly [BiquadCoefficients, number][]): Float64Array {
  const out = new Float64Array(source.length);
  for (const [c, gain] of filters) applyBiquad(source, c).forEach((v, i) => (out[i] += gain * v));
  return out;
}

function concat(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Linear fades over the first and last n samples (the cut of a filler out of its utterance must not click). */
function faded(x: Float64Array, n: number): Float64Array {
  const m = Math.min(n, Math.floor(x.length / 2));
  for (let i = 0; i < m; i++) {
    x[i] *= i / m;
    x[x.length - 1 - i] *= i / m;
  }
  return x;
}

/** Scaled so that its RMS over the whole clip is levelDbfs (0 dBFS: RMS of a full-scale square). */
function atLevel(x: Float64Array, levelDbfs: number): Int16Array {
  const rms = Math.sqrt(x.reduce((s, v) => s + v * v, 0) / Math.max(1, x.length));
  const k = rms > 0 ? 10 ** (levelDbfs / 20) / rms : 0;
  return Int16Array.from(x, (v) => Math.max(-32768, Math.min(32767, Math.round(v * k * 32768))));
}
