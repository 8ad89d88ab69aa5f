/**
 * The recording's stereo PCM16 WAV, written as it is played (memory stays bounded in long
 * sessions) and read back. The header's sizes are patched on close; a file cut short by a
 * crash is still readable (the data size is taken from the file length).
 */
import { openSync, writeSync, closeSync, readFileSync } from 'node:fs';
import { endianness } from 'node:os';

// Samples are interleaved through a typed view, which has the machine's byte order; WAV is little-endian.
if (endianness() !== 'LE') throw new Error('crosstalk writes recordings on little-endian machines only (x64, arm64)');

const HEADER_BYTES = 44;

function header(sampleRate: number, channels: number, dataBytes: number): Buffer {
  const b = Buffer.alloc(HEADER_BYTES);
  b.write('RIFF', 0, 'ascii');
  b.writeUInt32LE(36 + dataBytes, 4);
  b.write('WAVE', 8, 'ascii');
  b.write('fmt ', 12, 'ascii');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(channels, 22);
  b.writeUInt32LE(sampleRate, 24);
  b.writeUInt32LE(sampleRate * channels * 2, 28);
  b.writeUInt16LE(channels * 2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36, 'ascii');
  b.writeUInt32LE(dataBytes, 40);
  return b;
}

export class StereoWavWriter {
  private fd: number;
  private dataBytes = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    readonly path: string,
    readonly sampleRate: number,
  ) {
    this.fd = openSync(path, 'w');
    writeSync(this.fd, header(sampleRate, 2, 0));
  }

  /** Append frames: left and right must have the same length. */
  write(left: Int16Array, right: Int16Array): void {
    if (left.length !== right.length) throw new Error(`stereo write: ${left.length} left vs ${right.length} right samples`);
    const b = Buffer.alloc(left.length * 4);
    const frames = new Int16Array(b.buffer, b.byteOffset, left.length * 2);
    for (let i = 0; i < left.length; i++) {
      frames[2 * i] = left[i];
      frames[2 * i + 1] = right[i];
    }
    this.pending.push(b);
    this.pendingBytes += b.length;
    // About half a second per write call at 16 kHz: few syscalls, little lost in a crash.
    if (this.pendingBytes >= 32_000) this.flush();
  }

  flush(): void {
    if (this.pendingBytes === 0) return;
    const b = Buffer.concat(this.pending, this.pendingBytes);
    writeSync(this.fd, b, 0, b.length, HEADER_BYTES + this.dataBytes);
    this.dataBytes += b.length;
    this.pending = [];
    this.pendingBytes = 0;
  }

  close(): void {
    this.flush();
    writeSync(this.fd, header(this.sampleRate, 2, this.dataBytes), 0, HEADER_BYTES, 0);
    closeSync(this.fd);
  }
}

export interface StereoPcm {
  sampleRate: number;
  left: Int16Array;
  right: Int16Array;
}

/** Read a PCM16 WAV written by StereoWavWriter (or any canonical PCM16 stereo WAV). */
export function readStereoWav(path: string): StereoPcm {
  const buf = readFileSync(path);
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error(`${path}: not a WAV file`);
  }
  let off = 12;
  let sampleRate = 0;
  let channels = 0;
  let bits = 0;
  let format = 0;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    let size = buf.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'fmt ') {
      format = buf.readUInt16LE(body);
      channels = buf.readUInt16LE(body + 2);
      sampleRate = buf.readUInt32LE(body + 4);
      bits = buf.readUInt16LE(body + 14);
    } else if (id === 'data') {
      if (format !== 1 || bits !== 16 || channels !== 2) {
        throw new Error(`${path}: expected PCM16 stereo, found format ${format}, ${bits} bit, ${channels} channels`);
      }
      // A crash before close leaves size 0: trust the file length instead.
      if (size === 0 || body + size > buf.length) size = buf.length - body;
      const frames = Math.floor(size / 4);
      const left = new Int16Array(frames);
      const right = new Int16Array(frames);
      for (let i = 0; i < frames; i++) {
        left[i] = buf.readInt16LE(body + i * 4);
        right[i] = buf.readInt16LE(body + i * 4 + 2);
      }
      return { sampleRate, left, right };
    }
    off = body + size + (size % 2);
  }
  throw new Error(`${path}: no data chunk`);
}
