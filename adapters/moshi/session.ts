/**
 * One Moshi session: wait for the handshake byte, then stream user audio as Ogg Opus (20 ms
 * packets, one page each) and decode the agent's Ogg Opus pages as they come. Moshi sends no
 * turn events: its audio and text tokens are the whole story.
 */
import type WebSocket from 'ws';
import type { AdapterSession, SessionContext } from '../../harness/adapter.ts';
import type { Redactor } from '../../harness/redact.ts';
import { SocketSession } from '../shared/socket-session.ts';
import { messageBytes, type Connection } from '../shared/ws-connect.ts';
import { isOpusHeader, OggOpusWriter, OggPacketReader } from './ogg.ts';
import { OpusDecoder, OpusEncoder } from './opus.ts';
import { CLIENT_OPUS_FRAME_SAMPLES, frame, MOSHI_RATE, MSG } from './protocol.ts';

export const VENDOR = 'Moshi';

export class MoshiSession extends SocketSession implements AdapterSession {
  private readonly encoder = new OpusEncoder();
  private readonly decoder = new OpusDecoder();
  private readonly writer = new OggOpusWriter(MOSHI_RATE, 0x6d6f7368);
  private readonly reader = new OggPacketReader();
  private pending = new Int16Array(0);
  private live = false;
  private freed = false;

  constructor(
    conn: Connection,
    ctx: SessionContext,
    redactor: Redactor,
    private readonly setupTimeoutMs: number,
    private readonly rttIntervalMs: number,
  ) {
    super(conn, ctx, redactor, VENDOR);
  }

  async handshake(): Promise<void> {
    try {
      await this.awaitSetup(this.setupTimeoutMs);
    } catch (e) {
      this.free();
      throw e;
    }
    this.live = true;
    this.net.startRtt(this.ws, this.rttIntervalMs);
  }

  protected onMessage(data: WebSocket.RawData): void {
    const bytes = messageBytes(data);
    if (bytes.length === 0) return;
    const payload = bytes.subarray(1);
    switch (bytes[0]) {
      case MSG.handshake:
        this.setupDone();
        this.emit({ type: 'vendor', name: 'handshake', payload: { bytes: payload.length } });
        return;
      case MSG.audio:
        return this.audio(payload);
      case MSG.text:
        return this.emit({ type: 'transcript', role: 'agent', text: payload.toString('utf8'), final: false });
      case MSG.coloredText:
        return this.emit({ type: 'transcript', role: 'agent', text: payload.subarray(1).toString('utf8'), final: false });
      case MSG.metadata:
        return this.emit({ type: 'vendor', name: 'metadata', payload: parseJson(payload.toString('utf8')) });
      case MSG.control:
        return this.emit({ type: 'vendor', name: 'control', payload: { action: payload[0] } });
      case MSG.error:
        return this.emit({ type: 'error', message: `${VENDOR} error: ${payload.toString('utf8')}`, recoverable: false, code: 'moshi_error' });
      case MSG.ping:
        return;
      default:
        this.emit({ type: 'vendor', name: `unknown_kind_${bytes[0]}` });
    }
  }

  private audio(ogg: Uint8Array): void {
    if (this.freed) return;
    let packets: Uint8Array[];
    try {
      packets = this.reader.push(ogg);
    } catch (e) {
      this.fail(`${VENDOR}: bad Ogg stream from the server: ${this.redactor.errorMessage(e)}`, 'protocol');
      return;
    }
    for (const p of packets) {
      if (isOpusHeader(p)) continue;
      this.emit({ type: 'audio', pcm: this.decoder.decode(p), sampleRate: MOSHI_RATE });
    }
  }

  /** Any length of 24 kHz PCM; sent as 20 ms Opus packets, one Ogg page each. */
  sendAudio(pcm: Int16Array): void {
    if (!this.live || this.closing || this.freed) return;
    const joined = new Int16Array(this.pending.length + pcm.length);
    joined.set(this.pending);
    joined.set(pcm, this.pending.length);
    let off = 0;
    for (; off + CLIENT_OPUS_FRAME_SAMPLES <= joined.length; off += CLIENT_OPUS_FRAME_SAMPLES) {
      const packet = this.encoder.encode(joined.subarray(off, off + CLIENT_OPUS_FRAME_SAMPLES));
      const pages = this.writer.packet(packet, CLIENT_OPUS_FRAME_SAMPLES);
      this.send(frame(MSG.audio, Buffer.concat(pages)));
    }
    this.pending = joined.slice(off);
  }

  override async close(): Promise<void> {
    await super.close();
    this.free();
  }

  private free(): void {
    if (this.freed) return;
    this.freed = true;
    this.encoder.free();
    this.decoder.free();
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { text };
  }
}
