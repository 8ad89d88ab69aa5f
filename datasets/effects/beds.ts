/**
 * Sound beds for the background family, deterministic from a seed, at 16 kHz, at an arbitrary
 * level (the caller sets the level from snr_db):
 * - babble: BABBLE_TALKERS synthesized voices talking at once, each a chain of sentences;
 * - music: music-like tones, a chord of three partials every CHORD_MS from a pentatonic scale,
 *   with a soft attack and decay;
 * - white, pink, brown: the seeded noise floors of datasets/noise.ts.
 */
import { USER_SAMPLE_RATE } from '../../harness/media.ts';
import type { BedKind, Speech } from '../../harness/scenario/schema.ts';
import { createNoise } from '../noise.ts';
import { createRng } from '../prng.ts';
import { renderSpeech } from '../speech.ts';
import type { Synthesizer } from '../tts/cache.ts';

const BABBLE_TALKERS = 4;
const CHORD_MS = 500;

const BABBLE_VOICES = ['en-us', 'en-gb', 'en-us+f1', 'en-gb+steph', 'en-029+m7', 'en-gb-x-rp+m3'];
const BABBLE_SENTENCES = [
  'Did you see the game last night, it went on for ages.',
  'I think the meeting moved to Thursday afternoon.',
  'We should order more paper for the printer downstairs.',
  'My sister is visiting next week with the kids.',
  'The coffee machine on the third floor is broken again.',
  'They said the train would be twenty minutes late.',
  'Can you pass me the report when you are done with it?',
  'Honestly the new office is much quieter than the old one.',
];
const PENTATONIC_HZ = [196, 220, 262, 294, 330, 392, 440, 523, 587, 659];

export async function renderBed(kind: BedKind, durationMs: number, seed: number, synthesize: Synthesizer): Promise<Int16Array> {
  const n = Math.round((durationMs * USER_SAMPLE_RATE) / 1000);
  switch (kind) {
    case 'babble':
      return babble(n, seed, synthesize);
    case 'music':
      return music(n, seed);
    default: {
      const x = createNoise({ kind, level_dbfs: -20 }, seed).next(n);
      return Int16Array.from(x, (v) => Math.round(v * 32767));
    }
  }
}

async function babble(n: number, seed: number, synthesize: Synthesizer): Promise<Int16Array> {
  const rng = createRng(seed);
  const mix = new Float64Array(n);
  for (let talker = 0; talker < BABBLE_TALKERS; talker++) {
    const voice = { name: rng.pick(BABBLE_VOICES), rate_wpm: rng.int(150, 200), pitch: rng.int(30, 70) };
    // Each talker starts at a different point so the voices do not pause together.
    let at = -rng.int(0, USER_SAMPLE_RATE * 2);
    while (at < n) {
      const speech: Speech = { text: rng.pick(BABBLE_SENTENCES), voice };
      const r = await renderSpeech(speech, { seed }, 'babble', synthesize);
      for (let i = 0; i < r.pcm.length; i++) if (at + i >= 0 && at + i < n) mix[at + i] += r.pcm[i];
      at += r.pcm.length + rng.int(0, USER_SAMPLE_RATE / 4);
    }
  }
  return Int16Array.from(mix, (v) => Math.max(-32768, Math.min(32767, Math.round(v / 2))));
}

function music(n: number, seed: number): Int16Array {
  const rng = createRng(seed);
  const out = new Int16Array(n);
  const chord = Math.round((CHORD_MS * USER_SAMPLE_RATE) / 1000);
  for (let start = 0; start < n; start += chord) {
    const notes = [rng.pick(PENTATONIC_HZ), rng.pick(PENTATONIC_HZ), rng.pick(PENTATONIC_HZ)];
    for (let i = 0; i < chord && start + i < n; i++) {
      const t = i / USER_SAMPLE_RATE;
      const envelope = Math.min(1, i / 160) * Math.exp(-3 * t); // 10 ms attack, decay over the chord
      const v = notes.reduce((sum, f) => sum + Math.sin(2 * Math.PI * f * t), 0) / notes.length;
      out[start + i] = Math.round(8000 * envelope * v);
    }
  }
  return out;
}
