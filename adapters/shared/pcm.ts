/** PCM16 (little-endian, mono) helpers shared by the vendor adapters and their fakes. */

/** PCM16 samples -> base64 of their little-endian bytes (the wire form of OpenAI and Gemini). */
export function pcm16ToBase64(pcm: Int16Array): string {
  return Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).toString('base64');
}

/** Little-endian PCM16 bytes -> samples (copied, so any byte alignment is fine). */
function bytesToPcm16(bytes: Uint8Array): Int16Array {
  if (bytes.byteLength % 2 !== 0) throw new RangeError(`PCM16 needs an even number of bytes, got ${bytes.byteLength}`);
  const pcm = new Int16Array(bytes.byteLength / 2);
  new Uint8Array(pcm.buffer).set(bytes);
  return pcm;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Base64 -> PCM16 samples. Throws on text that is not base64 or an odd byte count. */
export function base64ToPcm16(b64: string): Int16Array {
  if (b64.length % 4 !== 0 || !BASE64.test(b64)) throw new RangeError('audio is not valid base64');
  return bytesToPcm16(Buffer.from(b64, 'base64'));
}

export function pcmDurationMs(samples: number, sampleRate: number): number {
  return (samples / sampleRate) * 1000;
}

/** Root-mean-square level in dBFS (full scale = 32768); -Infinity for digital silence. */
export function rmsDbfs(pcm: Int16Array): number {
  if (pcm.length === 0) return -Infinity;
  let sum = 0;
  for (let i = 0; i < pcm.length; i++) sum += pcm[i] * pcm[i];
  return 20 * Math.log10(Math.sqrt(sum / pcm.length) / 32768);
}
