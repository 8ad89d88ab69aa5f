/**
 * crosstalk-ws v1 in code: message shapes, close codes, parsing and the PCM wire format.
 * PROTOCOL.md beside it is the specification; keep the two in step. Shared by both sides: the
 * generic client (adapter.ts) and the reference server (reference-impl/server*.ts, the one
 * place reference-impl imports from adapters). It imports nothing itself.
 */

export const PROTOCOL_NAME = 'crosstalk-ws/1';

/** Close codes and the `error.code` each is announced with (PROTOCOL.md "Close codes"). */
export const CLOSE = {
  normal: 1000,
  shutdown: 1001,
  unsupportedFormat: 1003,
  protocolViolation: 1008,
  messageTooBig: 1009,
  internal: 1011,
  tooManySessions: 1013,
  idleTimeout: 4408,
} as const;
export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];

export type ErrorCode =
  | 'shutdown'
  | 'unsupported_format'
  | 'bad_message'
  | 'not_started'
  | 'message_too_big'
  | 'internal'
  | 'too_many_sessions'
  | 'idle_timeout'
  | 'unknown_type'
  | 'bad_video_frame';

export interface SessionStart {
  type: 'session.start';
  sampleRate: number;
  encoding: 'pcm_s16le';
  /** Opaque per-session nonce from the client, for logs only (PROTOCOL.md); never the scenario. */
  session?: string;
  options?: Record<string, unknown>;
}

/** What a server that takes video says in `session.ready` (PROTOCOL.md "Video"). */
export interface VideoOffer {
  encoding: 'jpeg';
  /** Largest JPEG it takes, in bytes before base64: what fits its message size limit. */
  maxBytes: number;
}

export interface SessionReady {
  type: 'session.ready';
  /** Absent: the server takes no video, and the client sends none. */
  video?: VideoOffer;
}

/** Bytes a `video.frame` message adds around its base64 (`{"type":"video.frame","jpeg":""}` is 32). */
const VIDEO_ENVELOPE_BYTES = 64;

/** The largest JPEG whose `video.frame` message stays within `maxMessageBytes`. */
export function maxJpegBytes(maxMessageBytes: number): number {
  return Math.floor((maxMessageBytes - VIDEO_ENVELOPE_BYTES) / 4) * 3;
}

/** A JPEG frame as its `video.frame` text message. */
export function videoFrameMessage(jpeg: Uint8Array): string {
  return JSON.stringify({ type: 'video.frame', jpeg: Buffer.from(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength).toString('base64') });
}

/** The JPEG bytes of a `video.frame`, or what is wrong with the message. */
export function checkVideoFrame(m: TextMessage): Uint8Array | string {
  if (typeof m.jpeg !== 'string' || m.jpeg.length === 0) return 'video.frame needs "jpeg": the JPEG bytes in base64';
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(m.jpeg)) return 'video.frame "jpeg" is not base64 (A-Z a-z 0-9 + / and = padding)';
  return new Uint8Array(Buffer.from(m.jpeg, 'base64'));
}

/** The video offer of a `session.ready`, if it makes a well-formed one. */
export function videoOfferOf(ready: TextMessage): VideoOffer | undefined {
  const v = ready.video as Partial<VideoOffer> | undefined;
  if (v === null || typeof v !== 'object' || v.encoding !== 'jpeg') return undefined;
  return typeof v.maxBytes === 'number' && v.maxBytes > 0 ? { encoding: 'jpeg', maxBytes: v.maxBytes } : undefined;
}

interface ErrorMessage {
  type: 'error';
  message: string;
  fatal: boolean;
  code?: string;
}

export interface TranscriptMessage {
  type: 'transcript';
  role: 'agent' | 'user';
  text: string;
  final: boolean;
}

/** Any well-formed text message: a JSON object with a string `type`. */
export type TextMessage = { type: string } & Record<string, unknown>;

export type ParseResult = { ok: true; message: TextMessage } | { ok: false; reason: string };

/** Parse one text message; `reason` says what is wrong, for an `error` reply. */
export function parseTextMessage(text: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: `text message is not JSON (starts with ${JSON.stringify(text.slice(0, 40))})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: 'text message must be a JSON object' };
  }
  const type = (value as Record<string, unknown>).type;
  if (typeof type !== 'string') return { ok: false, reason: 'text message has no string "type" field' };
  return { ok: true, message: value as TextMessage };
}

/** Check a `session.start`; returns the typed message or what is wrong with it. */
export function checkSessionStart(m: TextMessage): SessionStart | string {
  // `scenario` was sent by clients before the nonce; it is still accepted (and ignored).
  const { sampleRate, encoding, session, scenario, options } = m;
  if (typeof sampleRate !== 'number' || !Number.isInteger(sampleRate) || sampleRate <= 0) {
    return 'session.start needs "sampleRate", a positive integer in Hz';
  }
  if (encoding !== 'pcm_s16le') return 'session.start needs "encoding": "pcm_s16le"';
  if (session !== undefined && typeof session !== 'string') return 'session.start "session" must be a string';
  if (scenario !== undefined && typeof scenario !== 'string') return 'session.start "scenario" must be a string';
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    return 'session.start "options" must be a JSON object';
  }
  return {
    type: 'session.start',
    sampleRate,
    encoding,
    ...(session !== undefined ? { session } : {}),
    ...(options !== undefined ? { options: options as Record<string, unknown> } : {}),
  };
}

export function errorMessage(message: string, fatal: boolean, code?: ErrorCode): string {
  const m: ErrorMessage = { type: 'error', message, fatal, ...(code ? { code } : {}) };
  return JSON.stringify(m);
}

// The wire is little-endian; typed arrays use the host's order. Every platform Node ships for
// is little-endian, so PCM goes on the wire as its own bytes; refuse loudly anywhere else.
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error('crosstalk-ws: this host is big-endian; PCM16 LE framing is not implemented for it');
}

/** PCM16 samples as wire bytes (a view, no copy). */
export function pcmToBytes(pcm: Int16Array): Uint8Array {
  return new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
}

/** Wire bytes (even length) as PCM16 samples, copied into an aligned array of their own. */
export function bytesToPcm(bytes: Uint8Array): Int16Array {
  const pcm = new Int16Array(bytes.byteLength >> 1);
  new Uint8Array(pcm.buffer).set(bytes.subarray(0, pcm.byteLength));
  return pcm;
}
