/**
 * WAV in and out for scenario media. Clips are strict: 16-bit PCM only (any rate, mono or
 * stereo), because every other encoding needs a decision (dither, gain, codec) that belongs in
 * a converter the author runs once, not silently here.
 */
import { readFileSync } from 'node:fs';
import wavefile from 'wavefile';
import { InputError } from '../../harness/errors.ts';

interface Pcm16 {
  pcm: Int16Array;
  sampleRate: number;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

export function encodeWav(pcm: Int16Array, sampleRate: number): Uint8Array {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, sampleRate, '16', pcm);
  return wav.toBuffer();
}

/** Decode a WAV made by `encodeWav`; throws (a plain Error) on anything else. */
export function decodeWav(bytes: Uint8Array): Pcm16 {
  const wav = new wavefile.WaveFile(bytes);
  const fmt = wav.fmt as { numChannels: number; sampleRate: number };
  if (wav.bitDepth !== '16' || fmt.numChannels !== 1) throw new Error(`expected mono 16-bit PCM, found ${fmt.numChannels} channel(s) of ${wav.bitDepth}`);
  return { pcm: wav.getSamples(false, Int16Array) as unknown as Int16Array, sampleRate: fmt.sampleRate };
}

/** A scenario clip as mono PCM16 at its own rate (stereo is averaged). InputError otherwise. */
export function readClip(file: string): Pcm16 {
  const convert = `Convert it with: ffmpeg -i "${file}" -ac 1 -ar 16000 -c:a pcm_s16le out.wav`;
  const bad = (found: string) =>
    new InputError(`unusable clip: ${found}; clips must be 16-bit PCM WAV (mono or stereo, any rate)`, { file, field: 'clip', hint: convert });
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new InputError(`cannot read clip ${file}: ${(e as Error).message}`, { file, field: 'clip', hint: 'Check the path (relative to the scenario file).' });
  }
  if (bytes.length === 0) throw bad('the file is empty');
  let wav: InstanceType<typeof wavefile.WaveFile>;
  try {
    wav = new wavefile.WaveFile(bytes);
  } catch (e) {
    throw bad(`not a WAV file (${(e as Error).message})`);
  }
  const fmt = wav.fmt as { audioFormat: number; numChannels: number; sampleRate: number; subformat?: number[] };
  const isPcm = fmt.audioFormat === WAVE_FORMAT_PCM || (fmt.audioFormat === WAVE_FORMAT_EXTENSIBLE && fmt.subformat?.[0] === WAVE_FORMAT_PCM);
  if (!isPcm || wav.bitDepth !== '16') throw bad(`found ${describeEncoding(wav.bitDepth, fmt.audioFormat)}`);
  if (fmt.numChannels < 1 || fmt.numChannels > 2) throw bad(`found ${fmt.numChannels} channels`);
  if (!(Number.isInteger(fmt.sampleRate) && fmt.sampleRate >= 1000 && fmt.sampleRate <= 384_000)) throw bad(`found a sample rate of ${fmt.sampleRate} Hz`);
  const raw = wav.getSamples(false, Int16Array) as unknown as Int16Array | Int16Array[];
  const pcm = fmt.numChannels === 1 ? (raw as Int16Array) : downmix(raw as Int16Array[]);
  if (pcm.length === 0) throw bad('the WAV holds no samples');
  return { pcm, sampleRate: fmt.sampleRate };
}

function downmix([left, right]: Int16Array[]): Int16Array {
  const out = new Int16Array(left.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.round((left[i] + right[i]) / 2);
  return out;
}

function describeEncoding(bitDepth: string, audioFormat: number): string {
  if (bitDepth === '32f' || bitDepth === '64f') return `${bitDepth.slice(0, 2)}-bit float samples`;
  if (bitDepth === '8a') return 'A-law samples';
  if (bitDepth === '8m') return 'mu-law samples';
  if (bitDepth === '4') return 'IMA-ADPCM samples';
  if (/^\d+$/.test(bitDepth))
    return `${bitDepth}-bit ${audioFormat === WAVE_FORMAT_PCM || audioFormat === WAVE_FORMAT_EXTENSIBLE ? 'integer PCM' : `samples (format tag ${audioFormat})`}`;
  return `an unsupported encoding (format tag ${audioFormat}, depth ${bitDepth})`;
}
