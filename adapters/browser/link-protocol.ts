/**
 * The wire format between the harness and the injected page script (page/inject.js), over
 * one loopback WebSocket per session. Binary messages carry audio and video with a small
 * header; text messages are JSON events. Keep in step with page/inject.js and the worklets.
 */

/** Binary message kinds (first byte). */
export const MIC_FRAME = 1;
export const VIDEO_FRAME = 2;
export const PLAYED_AUDIO = 3;

/**
 * Harness -> page: one user frame [u8 kind, 3 pad, u32 seq, f64 sentPageMs, PCM16 mono], where
 * sentPageMs is the harness's send time on the page clock (the page schedules it from that).
 */
export function encodeMicFrame(seq: number, sentPageMs: number, pcm: Int16Array): Buffer {
  const buf = Buffer.alloc(16 + pcm.byteLength);
  buf.writeUInt8(MIC_FRAME, 0);
  buf.writeUInt32LE(seq >>> 0, 4);
  buf.writeDoubleLE(sentPageMs, 8);
  Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).copy(buf, 16);
  return buf;
}

/** Harness -> page: one JPEG frame [u8 kind, 3 pad, u32 index, JPEG bytes]. */
export function encodeVideoFrame(index: number, jpeg: Uint8Array): Buffer {
  const buf = Buffer.alloc(8 + jpeg.byteLength);
  buf.writeUInt8(VIDEO_FRAME, 0);
  buf.writeUInt32LE(index >>> 0, 4);
  buf.set(jpeg, 8);
  return buf;
}

/** Page -> harness: audio the page played, mono PCM16, stamped with page time. */
export interface PlayedChunk {
  sourceId: number;
  sampleRate: number;
  /** performance.now() in the page when the first sample reaches the page's audio output. */
  pageMs: number;
  pcm: Int16Array;
}

/** [u8 kind, u8 pad, u16 sourceId, u32 sampleRate, f64 pageMs, PCM16...]; null if not played audio. */
export function decodePlayed(data: Buffer): PlayedChunk | null {
  if (data.byteLength < 16 || data.readUInt8(0) !== PLAYED_AUDIO || (data.byteLength - 16) % 2 !== 0) return null;
  // A copy, aligned for Int16Array (the page and this host are both little-endian).
  const pcm = new Int16Array(data.buffer.slice(data.byteOffset + 16, data.byteOffset + data.byteLength));
  return { sourceId: data.readUInt16LE(2), sampleRate: data.readUInt32LE(4), pageMs: data.readDoubleLE(8), pcm };
}

/** Text messages from the page. */
export type PageMessage =
  | { type: 'pong'; id: number; pageMs: number }
  | { type: 'gum.request'; audio: boolean; video: boolean }
  | { type: 'gum.granted'; audio: boolean; video: boolean }
  | { type: 'gum.refused'; name: string; message: string }
  /**
   * The first sample of user frame `seq` entered the page's microphone stream at pageMs.
   * Counters so far: frames that came after their slot, the samples they lost, schedule moves.
   */
  | { type: 'mic.frame'; seq: number; pageMs: number; lateFrames: number; lostSamples: number; reanchors: number }
  /** User frame `seq` reached the microphone stream after its slot: its first lateMs of audio were lost. */
  | { type: 'mic.late'; seq: number; lateMs: number }
  /** The microphone's schedule was moved at frame `seq`: the frames before it had gone in movedMs early (< 0) or late. */
  | { type: 'mic.moved'; seq: number; movedMs: number }
  | { type: 'capture.source'; sourceId: number; sampleRate: number }
  | { type: 'warning'; message: string };

export function parsePageMessage(text: string): PageMessage | null {
  try {
    const m = JSON.parse(text) as unknown;
    return m !== null && typeof m === 'object' && typeof (m as { type?: unknown }).type === 'string' ? (m as PageMessage) : null;
  } catch {
    return null;
  }
}
