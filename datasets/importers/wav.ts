/**
 * WAV files of other benchmarks, read as they are: any sample rate (48 kHz input beside 16 kHz
 * output in one sample is normal), 8/16/24/32-bit integer or 32/64-bit float, any channel
 * count (mixed down to mono by averaging). Nothing assumes 16 kHz.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import wavefile from 'wavefile';
import { InputError } from '../../harness/errors.ts';

export interface WavInfo {
  file: string;
  sampleRate: number;
  channels: number;
  frames: number;
  durationS: number;
}

interface MonoAudio {
  sampleRate: number;
  pcm: Int16Array;
}

const HEADER_PROBE_BYTES = 65_536;

/** Rate, channels and length from the header alone (cheap for thousands of files). */
export function readWavInfo(file: string): WavInfo {
  const fd = openSync(file, 'r');
  let buf: Buffer;
  try {
    buf = Buffer.alloc(HEADER_PROBE_BYTES);
    buf = buf.subarray(0, readSync(fd, buf, 0, HEADER_PROBE_BYTES, 0));
  } finally {
    closeSync(fd);
  }
  const bad = (why: string) => new InputError(`not a readable WAV file: ${why}`, { file, hint: 'Export it as RIFF/WAVE (PCM or float).' });
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') throw bad('no RIFF/WAVE header');
  let sampleRate = 0;
  let channels = 0;
  let blockAlign = 0;
  for (let pos = 12; pos + 8 <= buf.length;) {
    const id = buf.toString('ascii', pos, pos + 4);
    const size = buf.readUInt32LE(pos + 4);
    if (id === 'fmt ') {
      channels = buf.readUInt16LE(pos + 10);
      sampleRate = buf.readUInt32LE(pos + 12);
      blockAlign = buf.readUInt16LE(pos + 20);
    } else if (id === 'data') {
      if (!sampleRate || !blockAlign) throw bad('data chunk before fmt chunk');
      const frames = Math.floor(size / blockAlign);
      return { file, sampleRate, channels, frames, durationS: frames / sampleRate };
    }
    pos += 8 + size + (size % 2);
  }
  throw bad('no data chunk in the first 64 KiB');
}

/** Decode to mono PCM16 at the file's own rate. */
export function readMonoWav(file: string): MonoAudio {
  let wav: InstanceType<typeof wavefile.WaveFile>;
  try {
    wav = new wavefile.WaveFile(readFileSync(file));
    wav.toBitDepth('32f');
  } catch (e) {
    throw new InputError(`not a readable WAV file: ${(e as Error).message}`, { file, hint: 'Export it as RIFF/WAVE (PCM or float).' });
  }
  const fmt = wav.fmt as { sampleRate: number; numChannels: number };
  const raw = wav.getSamples(false, Float64Array) as unknown as Float64Array | Float64Array[];
  const chans = fmt.numChannels > 1 ? (raw as Float64Array[]) : [raw as Float64Array];
  const n = chans[0].length;
  const pcm = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (const c of chans) s += c[i];
    pcm[i] = Math.max(-32768, Math.min(32767, Math.round((s / chans.length) * 32768)));
  }
  return { sampleRate: fmt.sampleRate, pcm };
}
