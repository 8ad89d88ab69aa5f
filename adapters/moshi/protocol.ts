/**
 * Kyutai Moshi's WebSocket protocol (/api/chat): binary messages, the first byte the kind.
 * Audio is Ogg Opus at 24 kHz, streamed continuously both ways; the model steps every 80 ms.
 */
export const MSG = {
  /** Server -> client when ready: empty (Python server) or protocol + model version, u32 each (Rust). */
  handshake: 0x00,
  /** Ogg Opus pages. */
  audio: 0x01,
  /** A UTF-8 text token of the agent's inner monologue. */
  text: 0x02,
  control: 0x03,
  /** JSON. */
  metadata: 0x04,
  /** UTF-8 message. */
  error: 0x05,
  ping: 0x06,
  /** A color byte, then a UTF-8 text token. */
  coloredText: 0x07,
} as const;

export const MOSHI_RATE = 24_000;
/** Moshi's model frame: 80 ms at 24 kHz. */
export const MODEL_FRAME_SAMPLES = 1920;
/** Opus frame the clients send: 20 ms at 24 kHz (the web client's encoderFrameSize). */
export const CLIENT_OPUS_FRAME_SAMPLES = 480;
/** Opus frame the server sends: 40 ms at 24 kHz. */
export const SERVER_OPUS_FRAME_SAMPLES = 960;

export function frame(kind: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(1 + payload.length);
  out[0] = kind;
  out.set(payload, 1);
  return out;
}
