/**
 * Test helper: writes sample folders in the peers' layouts with planted truth. Speech is a
 * full-scale square burst (harness/scoring/testing/synthetic-recording.ts) over a -65 dBFS noise floor, so the VAD's
 * edges land on the planted samples; each file has its own sample rate.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addNoise, writeVoiceBurst } from '../../../harness/scoring/testing/synthetic-recording.ts';
import { msToSamples } from '../../../harness/audio/units.ts';
import { vowelVoice } from '../../../harness/audio/vowel-voice.ts';

interface PlantedWav {
  sampleRate: number;
  durationMs: number;
  bursts: [number, number][];
}

function writeWav(file: string, w: PlantedWav, seed = 1): void {
  const pcm = new Int16Array(msToSamples(w.durationMs, w.sampleRate));
  for (const [a, b] of w.bursts) writeVoiceBurst(pcm, msToSamples(a, w.sampleRate), msToSamples(b, w.sampleRate), w.sampleRate);
  addNoise(pcm, -65, seed);
  writeFileSync(file, encodePcm(pcm, w.sampleRate));
}

function encodePcm(pcm: Int16Array, sampleRate: number): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + pcm.length * 2, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(pcm.length * 2, 40);
  return Buffer.concat([h, Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength)]);
}

interface PlantedSample {
  input: PlantedWav;
  output: PlantedWav;
  /** Extra JSON files by name (pause.json, metadata.json, output.json...). */
  json?: Record<string, unknown>;
}

export function writeSample(dir: string, s: PlantedSample): string {
  mkdirSync(dir, { recursive: true });
  writeWav(join(dir, 'input.wav'), s.input, 1);
  writeWav(join(dir, 'output.wav'), s.output, 2);
  for (const [name, value] of Object.entries(s.json ?? {})) writeFileSync(join(dir, name), JSON.stringify(value));
  return dir;
}

/** A Full-Duplex-Bench v1.5 input sample: the user's own speech and the overlap event, planted. */
interface PlantedV15Sample {
  sampleRate: number;
  durationMs: number;
  /** The user's own speech (in both input.wav and clean_input.wav). */
  own: [number, number][];
  /** The overlap event, in input.wav only (mixed over the user's speech where they overlap); metadata.json's timestamps unless `metadata` says otherwise. */
  event: [number, number];
  /** Write clean_input.wav (default true): same noise as input.wav, so input - clean is the event. */
  clean?: boolean;
  /** metadata.json as written (default: context_text, current_turn_text, timestamps = the event in seconds); a string is written verbatim. */
  metadata?: unknown;
}

/**
 * The user's voice in v1.5 inputs: the vowel voice rendered for 0.8 times the file's rate, so it
 * sounds a quarter higher and faster than the scripted agent's (the same voice at its own rate),
 * which the scorer's echo check would otherwise take for the user's audio played back.
 */
function writeUserWav(file: string, sampleRate: number, durationMs: number, bursts: [number, number][]): void {
  const pcm = new Int16Array(msToSamples(durationMs, sampleRate));
  for (const [a, b] of bursts) {
    const from = msToSamples(a, sampleRate);
    const n = Math.min(msToSamples(b, sampleRate), pcm.length) - from;
    // Added, not written over: an event may be mixed over the user's own speech.
    const voice = vowelVoice((n * 1000) / (0.8 * sampleRate), Math.round(0.8 * sampleRate));
    for (let i = 0; i < n; i++) pcm[from + i] += voice[i];
  }
  addNoise(pcm, -65, 1);
  writeFileSync(file, encodePcm(pcm, sampleRate));
}

/** Writes input.wav, clean_input.wav and metadata.json as a v1.5 input folder holds them. */
export function writeV15Input(dir: string, s: PlantedV15Sample): string {
  mkdirSync(dir, { recursive: true });
  writeUserWav(join(dir, 'input.wav'), s.sampleRate, s.durationMs, [...s.own, s.event]);
  if (s.clean !== false) writeUserWav(join(dir, 'clean_input.wav'), s.sampleRate, s.durationMs, s.own);
  const meta = s.metadata ?? {
    context_text: 'What are some good places to visit in the city?',
    current_turn_text: 'Oh, and some restaurants nearby?',
    timestamps: [s.event[0] / 1000, s.event[1] / 1000],
  };
  writeFileSync(join(dir, 'metadata.json'), typeof meta === 'string' ? meta : JSON.stringify(meta));
  return dir;
}
