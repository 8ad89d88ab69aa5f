/**
 * Content-free signals an agent could play instead of speech: the known-answer set the speech
 * detector (speech.ts) must reject, shared by its tests and its benchmark. Deterministic from
 * a seed. Levels are RMS in dBFS (0 dBFS = RMS 32768, the convention of energy.ts); signals
 * whose peaks would pass full scale are clipped, as a sound card would.
 */
import { seededRandom } from '../stats.ts';
import { pinkFilter } from '../audio/pink-filter.ts';

/** Synthesizer voices (eSpeak NG: name, words per minute, pitch 0-99) the detector's speech is checked on, low to high. */
export const SPEECH_CHECK_VOICES: readonly { name: string; rate_wpm: number; pitch: number }[] = [
  { name: 'en-us', rate_wpm: 170, pitch: 50 },
  { name: 'en-gb+f3', rate_wpm: 150, pitch: 70 },
  { name: 'en-us+m7', rate_wpm: 200, pitch: 20 },
  { name: 'en-029', rate_wpm: 130, pitch: 90 },
  { name: 'en-us+f2', rate_wpm: 250, pitch: 99 },
  { name: 'en-gb', rate_wpm: 140, pitch: 15 },
];

export interface NonSpeechSignal {
  name: string;
  pcm: Int16Array;
}

const TAU = 2 * Math.PI;

/** Scale float samples to an RMS level (over the non-zero stretch when `activeOnly`) and quantize. */
export function toLevel(x: Float64Array, levelDbfs: number, activeOnly = false): Int16Array {
  let sum = 0;
  let n = 0;
  for (const v of x) {
    if (activeOnly && v === 0) continue;
    sum += v * v;
    n++;
  }
  const rms = Math.sqrt(sum / Math.max(1, n));
  const gain = rms > 0 ? (32768 * 10 ** (levelDbfs / 20)) / rms : 0;
  return Int16Array.from(x, (v) => Math.max(-32768, Math.min(32767, Math.round(v * gain))));
}

function gaussian(rand: () => number): () => number {
  return () => {
    const u = Math.max(1e-12, rand());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(TAU * rand());
  };
}

export function noise(kind: 'white' | 'pink' | 'brown', n: number, seed: number): Float64Array {
  const g = gaussian(seededRandom(seed));
  const out = new Float64Array(n);
  const pink = pinkFilter();
  let y = 0;
  for (let i = 0; i < n; i++) {
    const x = g();
    if (kind === 'white') out[i] = x;
    else if (kind === 'pink') out[i] = pink(x);
    else {
      y = 0.992 * y + x;
      out[i] = y;
    }
  }
  return out;
}

/** Keep `onMs` of every `periodMs` (from `phaseMs`), zero elsewhere. */
export function gate(x: Float64Array, sampleRate: number, onMs: number, periodMs: number, phaseMs = 200): Float64Array {
  return x.map((v, i) => {
    const t = ((i * 1000) / sampleRate - phaseMs + 10 * periodMs) % periodMs;
    return t < onMs ? v : 0;
  });
}

/** A periodic waveform with instantaneous frequency f(t) (Hz). */
function periodic(n: number, sampleRate: number, f: (t: number) => number, shape: (phase: number) => number): Float64Array {
  const out = new Float64Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    out[i] = shape(phase);
    phase = (phase + f(i / sampleRate) / sampleRate) % 1;
  }
  return out;
}
const sine = (p: number) => Math.sin(TAU * p);
const square = (p: number) => (p < 0.5 ? 1 : -1);
const saw = (p: number) => 2 * p - 1;

function harmonics(n: number, sampleRate: number, f0: number, amps: number[]): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let h = 0; h < amps.length; h++) v += amps[h] * Math.sin((TAU * f0 * (h + 1) * i) / sampleRate);
    out[i] = v;
  }
  return out;
}

/** Harmonic notes (decaying, 1/h partials) of `noteMs` each from a pentatonic scale; chords when `voices` > 1. */
export function music(n: number, sampleRate: number, seed: number, noteMs: number, voices: number): Float64Array {
  const rand = seededRandom(seed);
  const scale = [196, 220, 262, 294, 330, 392, 440, 523, 587, 659];
  const out = new Float64Array(n);
  const note = Math.round((noteMs * sampleRate) / 1000);
  for (let start = 0; start < n; start += note) {
    for (let v = 0; v < voices; v++) {
      const f = scale[Math.floor(rand() * scale.length)];
      for (let i = 0; i < note && start + i < n; i++) {
        const t = i / sampleRate;
        const env = Math.min(1, i / 160) * Math.exp(-3 * t);
        let s = 0;
        for (let h = 1; h <= 6 && f * h < sampleRate / 2; h++) s += Math.sin(TAU * f * h * t) / h;
        out[start + i] += env * s;
      }
    }
  }
  return out;
}

/**
 * The rejection set at one level: every signal `durationMs` long. Levels near full scale clip
 * the peaky ones (clicks, square waves stay square).
 */
export function nonSpeechSignals(levelDbfs: number, sampleRate: number, durationMs: number, seed = 1): NonSpeechSignal[] {
  const n = Math.round((durationMs * sampleRate) / 1000);
  const out: NonSpeechSignal[] = [];
  const add = (name: string, x: Float64Array, activeOnly = false) => out.push({ name, pcm: toLevel(x, levelDbfs, activeOnly) });
  for (const kind of ['white', 'pink', 'brown'] as const) {
    add(`${kind} noise`, noise(kind, n, seed));
    add(`${kind} noise, 120 ms bursts every 1 s`, gate(noise(kind, n, seed + 1), sampleRate, 120, 1000), true);
  }
  add('50 Hz hum + harmonics', harmonics(n, sampleRate, 50, [1, 0.6, 0.5, 0.3, 0.25, 0.15, 0.1]));
  add('60 Hz hum + harmonics', harmonics(n, sampleRate, 60, [1, 0.3, 0.6, 0.2, 0.3, 0.1, 0.15]));
  for (const f of [100, 250, 440, 1000, 2000, 4000])
    add(
      `tone ${f} Hz`,
      periodic(n, sampleRate, () => f, sine),
    );
  add(
    'chirp 100-4000 Hz (log, 2 s)',
    periodic(n, sampleRate, (t) => 100 * 40 ** ((t % 2) / 2), sine),
  );
  add(
    'chirp 200-1200 Hz up/down every 300 ms',
    periodic(n, sampleRate, (t) => 700 + 500 * Math.sin((TAU * t) / 0.6), sine),
  );
  for (const [shapeName, shape] of [
    ['square', square],
    ['sawtooth', saw],
  ] as const) {
    for (const f of [80, 150, 300])
      add(
        `${shapeName} ${f} Hz`,
        periodic(n, sampleRate, () => f, shape),
      );
    add(
      `${shapeName} 120 Hz, 300 ms chunks`,
      gate(
        periodic(n, sampleRate, () => 120, shape),
        sampleRate,
        300,
        500,
      ),
      true,
    );
    add(
      `${shapeName} 150 Hz, vibrato 5.5 Hz +-4 %`,
      periodic(n, sampleRate, (t) => 150 * (1 + 0.04 * Math.sin(TAU * 5.5 * t)), shape),
    );
    add(
      `${shapeName} glide 80-300 Hz`,
      periodic(n, sampleRate, (t) => 80 + (220 * t) / (durationMs / 1000), shape),
    );
    add(
      `${shapeName} 110 Hz, intonation contour 200-400 ms`,
      periodic(n, sampleRate, (t) => 110 * (1 + 0.25 * Math.sin(TAU * 2.5 * t) ** 2), shape),
    );
  }
  {
    const dc = new Float64Array(n).fill(1);
    out.push({ name: 'DC offset', pcm: toLevel(dc, levelDbfs) });
    out.push({ name: 'DC blips 120 ms every 1 s', pcm: toLevel(gate(dc, sampleRate, 120, 1000), levelDbfs, true) });
    out.push({ name: 'DC steps every 400 ms', pcm: toLevel(gate(dc, sampleRate, 400, 800), levelDbfs, true) });
  }
  {
    const rand = seededRandom(seed + 7);
    const clicks = new Float64Array(n);
    for (let i = 0; i < n; i++) if (rand() < 4 / sampleRate) clicks[i] = rand() < 0.5 ? 1 : -1;
    add('random clicks (4/s)', clicks, true);
    const train = new Float64Array(n);
    for (let i = 0; i < n; i += sampleRate / 100) train[Math.floor(i)] = 1;
    add('impulse train 100 Hz', train, true);
    add('impulse train 100 Hz, 300 ms chunks', gate(train, sampleRate, 300, 500), true);
  }
  add('music: melody, 250 ms notes', music(n, sampleRate, seed, 250, 1));
  add('music: chords of 3, 500 ms', music(n, sampleRate, seed + 2, 500, 3));
  add('music: melody, 120 ms notes', music(n, sampleRate, seed + 3, 120, 1));
  {
    const mix = noise('pink', n, seed + 9);
    const hum = harmonics(n, sampleRate, 50, [1, 0.5, 0.3]);
    const buzz = gate(
      periodic(n, sampleRate, (t) => 150 * (1 + 0.04 * Math.sin(TAU * 5 * t)), saw),
      sampleRate,
      300,
      700,
    );
    const tone = gate(
      periodic(n, sampleRate, () => 1000, sine),
      sampleRate,
      120,
      450,
    );
    for (let i = 0; i < n; i++) mix[i] = 0.2 * mix[i] + 0.5 * hum[i] + buzz[i] + 0.5 * tone[i];
    add('mix: pink + hum + gated vibrato saw + tone blips', mix);
  }
  return out;
}
