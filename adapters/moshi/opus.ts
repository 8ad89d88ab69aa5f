/**
 * Opus at 24 kHz mono through `@evan/opus`: libopus with prebuilt native bindings shipped in
 * the npm tarball (and a WebAssembly fallback), no download and no build at install. One
 * encoder or decoder per stream. (opusscript was tried first: its WebAssembly heap is fixed,
 * and about 40 encoder/decoder pairs in one process overflowed it; 300 pairs run here.)
 */
import { Encoder, Decoder } from '@evan/opus';

const OPUS_RATE = 24_000;

export class OpusEncoder {
  private enc: Encoder | undefined = new Encoder({ channels: 1, sample_rate: OPUS_RATE, application: 'voip' });

  /** Encode one frame (2.5-120 ms of samples; Moshi's clients use 20 ms = 480 samples). */
  encode(pcm: Int16Array): Uint8Array {
    if (!this.enc) throw new Error('Opus encoder used after free()');
    return this.enc.encode(pcm);
  }

  /** Release it now (the native state is otherwise freed when garbage collected). */
  free(): void {
    this.enc = undefined;
  }
}

export class OpusDecoder {
  private dec: Decoder | undefined = new Decoder({ channels: 1, sample_rate: OPUS_RATE });

  decode(packet: Uint8Array): Int16Array {
    if (!this.dec) throw new Error('Opus decoder used after free()');
    const bytes = this.dec.decode(packet);
    return new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }

  free(): void {
    this.dec = undefined;
  }
}
