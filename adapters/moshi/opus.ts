/**
 * Opus at 24 kHz mono through `opusscript` (libopus compiled to WebAssembly: installs with no
 * download and no native build). One encoder or decoder per stream; `free` releases its memory.
 */
import OpusScript from 'opusscript';

export const OPUS_RATE = 24_000;

export class OpusEncoder {
  private readonly enc = new OpusScript(OPUS_RATE, 1, OpusScript.Application.VOIP);

  /** Encode one frame (2.5-120 ms of samples; Moshi's clients use 20 ms = 480 samples). */
  encode(pcm: Int16Array): Uint8Array {
    // opusscript takes the PCM as little-endian bytes.
    return new Uint8Array(this.enc.encode(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength), pcm.length));
  }

  free(): void {
    this.enc.delete();
  }
}

export class OpusDecoder {
  private readonly dec = new OpusScript(OPUS_RATE, 1, OpusScript.Application.VOIP);

  decode(packet: Uint8Array): Int16Array {
    const bytes = this.dec.decode(Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength));
    const pcm = new Int16Array(bytes.length / 2);
    new Uint8Array(pcm.buffer).set(bytes);
    return pcm;
  }

  free(): void {
    this.dec.delete();
  }
}
