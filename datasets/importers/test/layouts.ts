/**
 * Test helper: writes sample folders in the peers' layouts with planted truth. Speech is a
 * full-scale square burst (harness/scoring/testing.ts) over a -65 dBFS noise floor, so the VAD's
 * edges land on the planted samples; each file has its own sample rate.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addNoise, writeVoiceBurst } from '../../../harness/scoring/testing.ts';
import { msToSamples } from '../../../harness/audio/units.ts';

export interface PlantedWav {
  sampleRate: number;
  durationMs: number;
  bursts: [number, number][];
}

export function writeWav(file: string, w: PlantedWav, seed = 1): void {
  const pcm = new Int16Array(msToSamples(w.durationMs, w.sampleRate));
  for (const [a, b] of w.bursts) writeVoiceBurst(pcm, msToSamples(a, w.sampleRate), msToSamples(b, w.sampleRate), w.sampleRate);
  addNoise(pcm, -65, seed);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + pcm.length * 2, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(w.sampleRate, 24);
  h.writeUInt32LE(w.sampleRate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(pcm.length * 2, 40);
  writeFileSync(file, Buffer.concat([h, Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength)]));
}

export interface PlantedSample {
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
