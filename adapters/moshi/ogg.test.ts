import { describe, expect, it } from 'vitest';
import { rmsDbfs } from '../shared/pcm.ts';
import { tone } from '../shared/testing/signals.ts';
import { isOpusHeader, oggCrc32, OggError, OggOpusWriter, OggPacketReader, writePage } from './ogg.ts';
import { OpusDecoder, OpusEncoder } from './opus.ts';

describe('Ogg', () => {
  it('CRC-32 is the Ogg variant (poly 0x04C11DB7, init 0, no reflection, no final xor)', () => {
    // Check value of that parameter set for "123456789" (CRC-32/CKSUM before its final xor).
    expect(oggCrc32(new TextEncoder().encode('123456789'))).toBe(0x89a1897f);
  });

  it('pages round-trip through the reader, split at any byte, packets of 255 multiples included', () => {
    const packets = [new Uint8Array(10).fill(1), new Uint8Array(255).fill(2), new Uint8Array(600).fill(3)];
    const page = writePage(packets, { serial: 7, sequence: 0, granule: 960n, bos: true });
    expect(page[5]).toBe(0x02);
    const reader = new OggPacketReader();
    const got: Uint8Array[] = [];
    for (let i = 0; i < page.length; i += 13) got.push(...reader.push(page.subarray(i, i + 13)));
    expect(got.map((p) => [p.length, p[0]])).toEqual([
      [10, 1],
      [255, 2],
      [600, 3],
    ]);
  });

  it('rejects a corrupted page', () => {
    const page = writePage([new Uint8Array([1, 2, 3])], { serial: 1, sequence: 0, granule: 0n });
    page[page.length - 1] ^= 0xff;
    expect(() => new OggPacketReader().push(page)).toThrow(OggError);
  });

  it('an Ogg Opus stream of a 20 ms-framed tone decodes back to the tone', () => {
    const writer = new OggOpusWriter(24_000, 42);
    const enc = new OpusEncoder();
    const dec = new OpusDecoder();
    const input = tone(400, 24_000, -20, 440);
    const reader = new OggPacketReader();
    const out: Int16Array[] = [];
    const packets: Uint8Array[] = [];
    for (let i = 0; i < input.length; i += 480) {
      for (const page of writer.packet(enc.encode(input.subarray(i, i + 480)), 480)) packets.push(...reader.push(page));
    }
    expect(isOpusHeader(packets[0]) && isOpusHeader(packets[1])).toBe(true);
    for (const p of packets.slice(2)) out.push(dec.decode(p));
    enc.free();
    dec.free();
    expect(out).toHaveLength(20);
    expect(out.every((o) => o.length === 480)).toBe(true);
    // After the codec's start-up, the level matches the input's -20 dBFS within 1 dB.
    expect(Math.abs(rmsDbfs(out[10]) - -20)).toBeLessThan(1);
  });
});
