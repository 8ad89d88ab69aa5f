/**
 * A deterministic, speech-like voice for test agents (the scripted adapter, the vendor fakes,
 * synthetic recordings): a harmonic source whose pitch glides like intonation (declination,
 * phrase rises), shaped by three formants that move from vowel to vowel every syllable, with a
 * syllabic amplitude rhythm. The scorer's speech detector must accept it as speech: it has what
 * noise, hum, buzz and tones lack (voicing with a moving pitch AND a moving spectral envelope).
 *
 * Known-answer tests need sample-exact extents, so no sample of the voice is quieter than
 * FLOOR_AMPLITUDE (-38 dBFS, above every detector threshold): a sample that would be nearer to
 * zero is pushed out to the floor with its sign. Its audible extent is then exactly the extent
 * of the samples sent, as with the square wave it replaces (which the detector rightly calls buzz).
 */
const FLOOR_AMPLITUDE = 400;
/** Peak amplitude at the loudest point of a syllable (about -10 dBFS). */
const PEAK_AMPLITUDE = 10_000;
const SYLLABLE_MS = 190;
const TRANSITION_MS = 70;
/** F1, F2, F3 in Hz of /a/, /i/, /u/, /e/, /o/ (Peterson & Barney averages, male). */
const VOWELS: readonly (readonly [number, number, number])[] = [
  [730, 1090, 2440],
  [270, 2290, 3010],
  [300, 870, 2240],
  [530, 1840, 2480],
  [570, 840, 2410],
];
/** A fixed order that never repeats a vowel twice in a row. */
const VOWEL_ORDER = [0, 1, 2, 3, 4, 0, 3, 1, 4, 2, 0, 1, 4, 3, 2];
const BANDWIDTHS_HZ = [90, 110, 170];
const MAX_HARMONIC_HZ = 4_000;
const MIN_PITCH_HZ = 100;
/** Samples between updates of the harmonic gains. */
const GAIN_BLOCK = 32;
const SINE_SIZE = 4096;
const SINE = Float64Array.from({ length: SINE_SIZE }, (_, i) => Math.sin((2 * Math.PI * i) / SINE_SIZE));

/** Rendered voices by sample rate; a shorter voice is a prefix of a longer one, so one grows. */
const rendered = new Map<number, Int16Array>();

/** `durationMs` of the voice at `sampleRate` (a fresh copy); the same call always gives the same samples. */
export function vowelVoice(durationMs: number, sampleRate = 16_000): Int16Array {
  const n = Math.round((durationMs * sampleRate) / 1000);
  let voice = rendered.get(sampleRate);
  if (!voice || voice.length < n) {
    voice = render(Math.max(n, 2 * (voice?.length ?? 0)), sampleRate);
    rendered.set(sampleRate, voice);
  }
  return voice.slice(0, n);
}

function render(n: number, sampleRate: number): Int16Array {
  const out = new Int16Array(n);
  // Phase in table steps (a cycle = SINE_SIZE), so k harmonics cost k table reads per sample.
  let phase = 0;
  const gains = new Float64Array(Math.ceil(MAX_HARMONIC_HZ / MIN_PITCH_HZ) + 1);
  for (let i = 0; i < n; i++) {
    const tMs = (i * 1000) / sampleRate;
    const f0 = pitchHz(tMs);
    phase = (phase + (SINE_SIZE * f0) / sampleRate) % SINE_SIZE;
    // The spectral envelope moves slowly: recompute the harmonic gains once per block.
    if (i % GAIN_BLOCK === 0) {
      const formants = formantsAt(tMs);
      for (let k = 1; k < gains.length; k++) gains[k] = k * f0 < MAX_HARMONIC_HZ ? harmonicGain(k * f0, formants) / k : 0;
    }
    let x = 0;
    for (let k = 1; k < gains.length && gains[k] > 0; k++) x += gains[k] * SINE[Math.floor(k * phase) & (SINE_SIZE - 1)];
    const y = PEAK_AMPLITUDE * syllableEnvelope(tMs) * x;
    out[i] = Math.abs(y) < FLOOR_AMPLITUDE ? (y < 0 ? -FLOOR_AMPLITUDE : FLOOR_AMPLITUDE) : Math.max(-32767, Math.min(32767, Math.round(y)));
  }
  return out;
}

/** 105-165 Hz: a slow declination over 2.4 s phrases, a rise in each syllable, a slight wobble. */
function pitchHz(tMs: number): number {
  const phrase = (tMs % 2400) / 2400;
  const syllable = (tMs % SYLLABLE_MS) / SYLLABLE_MS;
  return 150 - 35 * phrase + 12 * Math.sin(Math.PI * syllable) + 3 * Math.sin((2 * Math.PI * tMs) / 73);
}

/** Formants of the syllable's vowel, glided from the previous vowel over TRANSITION_MS. */
function formantsAt(tMs: number): readonly number[] {
  const index = Math.floor(tMs / SYLLABLE_MS);
  const into = tMs - index * SYLLABLE_MS;
  const current = VOWELS[VOWEL_ORDER[index % VOWEL_ORDER.length]];
  const previous = VOWELS[VOWEL_ORDER[(index + VOWEL_ORDER.length - 1) % VOWEL_ORDER.length]];
  const w = index === 0 ? 1 : Math.min(1, into / TRANSITION_MS);
  return current.map((f, j) => previous[j] + (f - previous[j]) * w);
}

/** Sum of three resonance peaks at frequency f. */
function harmonicGain(f: number, formants: readonly number[]): number {
  let g = 0.02;
  formants.forEach((fc, j) => {
    const d = (f - fc) / BANDWIDTHS_HZ[j];
    g += (j === 0 ? 1 : j === 1 ? 0.7 : 0.4) / (1 + d * d);
  });
  return g;
}

/** Louder in the middle of each syllable (0.35 at its edges, 1 at its centre). */
function syllableEnvelope(tMs: number): number {
  const syllable = (tMs % SYLLABLE_MS) / SYLLABLE_MS;
  return 0.35 + 0.65 * Math.sin(Math.PI * syllable) ** 2;
}
