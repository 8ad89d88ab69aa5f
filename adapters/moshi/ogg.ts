/**
 * A small Ogg muxer/demuxer for Ogg Opus streams (RFC 3533 pages, RFC 7845 Opus mapping):
 * enough for Moshi's protocol, which carries Ogg pages inside its audio messages.
 */

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    t[i] = r >>> 0;
  }
  return t;
})();

/** Ogg's CRC-32: polynomial 0x04C11DB7, initial 0, not reflected, no final xor. */
export function oggCrc32(bytes: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < bytes.length; i++) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ bytes[i]) & 0xff]) >>> 0;
  return crc;
}

const HEADER_TYPE_BOS = 0x02;
const HEADER_TYPE_EOS = 0x04;

export interface PageOptions {
  serial: number;
  sequence: number;
  /** Granule position after this page's last packet (Opus: samples at 48 kHz). */
  granule: bigint;
  bos?: boolean;
  eos?: boolean;
}

/** One page holding whole packets (each under 255 * 255 bytes in total). */
export function writePage(packets: Uint8Array[], o: PageOptions): Uint8Array {
  const lacing: number[] = [];
  for (const p of packets) {
    let n = p.length;
    while (n >= 255) {
      lacing.push(255);
      n -= 255;
    }
    lacing.push(n);
  }
  if (lacing.length > 255) throw new RangeError('Ogg page would need more than 255 lacing values');
  const bodyLen = packets.reduce((n, p) => n + p.length, 0);
  const page = new Uint8Array(27 + lacing.length + bodyLen);
  const view = new DataView(page.buffer);
  page.set([0x4f, 0x67, 0x67, 0x53]); // "OggS"
  page[4] = 0; // version
  page[5] = (o.bos ? HEADER_TYPE_BOS : 0) | (o.eos ? HEADER_TYPE_EOS : 0);
  view.setBigUint64(6, o.granule, true);
  view.setUint32(14, o.serial, true);
  view.setUint32(18, o.sequence, true);
  page[26] = lacing.length;
  page.set(lacing, 27);
  let off = 27 + lacing.length;
  for (const p of packets) {
    page.set(p, off);
    off += p.length;
  }
  view.setUint32(22, oggCrc32(page), true); // computed with the CRC field zero
  return page;
}

/** The OpusHead identification header (RFC 7845 section 5.1), mono. */
function opusHead(inputSampleRate: number, preSkip = 312): Uint8Array {
  const h = new Uint8Array(19);
  const v = new DataView(h.buffer);
  h.set(new TextEncoder().encode('OpusHead'));
  h[8] = 1; // version
  h[9] = 1; // channels
  v.setUint16(10, preSkip, true);
  v.setUint32(12, inputSampleRate, true);
  v.setInt16(16, 0, true); // output gain
  h[18] = 0; // channel mapping family
  return h;
}

/** The OpusTags comment header with a vendor string and no comments. */
function opusTags(vendor: string): Uint8Array {
  const vendorBytes = new TextEncoder().encode(vendor);
  const t = new Uint8Array(8 + 4 + vendorBytes.length + 4);
  const v = new DataView(t.buffer);
  t.set(new TextEncoder().encode('OpusTags'));
  v.setUint32(8, vendorBytes.length, true);
  t.set(vendorBytes, 12);
  v.setUint32(12 + vendorBytes.length, 0, true);
  return t;
}

/** Writes one logical Ogg Opus stream, page by page: headers first, then one packet a page. */
export class OggOpusWriter {
  private sequence = 0;
  private granule48k = 0n;
  private headersWritten = false;

  constructor(
    private readonly sampleRate: number,
    private readonly serial: number,
    private readonly vendor = 'crosstalk',
  ) {}

  /** Pages for one Opus packet of `samples` samples; the first call also returns the headers. */
  packet(opus: Uint8Array, samples: number): Uint8Array[] {
    const pages: Uint8Array[] = [];
    if (!this.headersWritten) {
      this.headersWritten = true;
      pages.push(writePage([opusHead(this.sampleRate)], { serial: this.serial, sequence: this.sequence++, granule: 0n, bos: true }));
      pages.push(writePage([opusTags(this.vendor)], { serial: this.serial, sequence: this.sequence++, granule: 0n }));
    }
    this.granule48k += BigInt(Math.round((samples * 48_000) / this.sampleRate));
    pages.push(writePage([opus], { serial: this.serial, sequence: this.sequence++, granule: this.granule48k }));
    return pages;
  }
}

export class OggError extends Error {}

/**
 * Reads Ogg bytes as they arrive (pages may be split across chunks) and returns the packets
 * completed so far, checking capture pattern, version and CRC of every page.
 */
export class OggPacketReader {
  private buffer = new Uint8Array(0);
  private partial: Uint8Array[] = [];

  push(chunk: Uint8Array): Uint8Array[] {
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer);
    joined.set(chunk, this.buffer.length);
    const packets: Uint8Array[] = [];
    let off = 0;
    for (;;) {
      if (joined.length - off < 27) break;
      const page = joined.subarray(off);
      if (page[0] !== 0x4f || page[1] !== 0x67 || page[2] !== 0x67 || page[3] !== 0x53) throw new OggError('not an Ogg page (no OggS capture pattern)');
      if (page[4] !== 0) throw new OggError(`unsupported Ogg version ${page[4]}`);
      const segments = page[26];
      if (page.length < 27 + segments) break;
      const lacing = page.subarray(27, 27 + segments);
      const bodyLen = lacing.reduce((n, l) => n + l, 0);
      const pageLen = 27 + segments + bodyLen;
      if (page.length < pageLen) break;
      const copy = page.slice(0, pageLen);
      const crc = new DataView(copy.buffer).getUint32(22, true);
      copy.fill(0, 22, 26);
      if (oggCrc32(copy) !== crc) throw new OggError('Ogg page CRC mismatch');
      let bodyOff = 27 + segments;
      for (const l of lacing) {
        this.partial.push(page.subarray(bodyOff, bodyOff + l));
        bodyOff += l;
        if (l < 255) {
          packets.push(concatBytes(this.partial));
          this.partial = [];
        }
      }
      off += pageLen;
    }
    this.buffer = joined.slice(off);
    return packets;
  }
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Whether a packet is one of the Ogg Opus headers rather than audio. */
export function isOpusHeader(packet: Uint8Array): boolean {
  const magic = new TextDecoder().decode(packet.subarray(0, 8));
  return magic === 'OpusHead' || magic === 'OpusTags';
}
