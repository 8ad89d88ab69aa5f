/**
 * A fake Moshi server on loopback speaking Kyutai's protocol, with planted timing.
 *
 * - Path /api/chat (else 404); with `apiKey` set, the kyutai-api-key header must match (else
 *   401), as moshi-server checks it. Sends the handshake (0x00, with the Rust server's 8
 *   version bytes or the Python server's none), then reads 0x01 messages as one Ogg Opus
 *   stream: OpusHead first, OpusTags second, CRC-checked pages, 24 kHz Opus packets.
 * - Steps every 80 ms of received audio (Moshi's frame), and for each step sends 80 ms back
 *   as two 40 ms Opus packets, one Ogg page each, the first message carrying the header pages:
 *   output is in lockstep with input, as the real model's is.
 * - Its own energy VAD on the decoded input: the agent's voice starts at output stream position
 *   userSpeechEnd + responseDelayMs and stops at userSpeechOnset + stopDelayMs (a barge-in);
 *   a text token (0x02) goes with each step that carries the voice.
 */
import { EnergyEndpointer } from '../../shared/energy-endpointer.ts';
import { startFakeWsServer, type FakeWsServer } from '../../shared/testing/fake-ws-server.ts';
import { noiseFloor } from '../../shared/testing/signals.ts';
import { vowelVoice } from '../../../harness/audio/vowel-voice.ts';
import { messageBytes } from '../../shared/ws-connect.ts';
import type { WebSocket } from 'ws';
import { isOpusHeader, OggOpusWriter, OggPacketReader } from '../ogg.ts';
import { OpusDecoder, OpusEncoder } from '../opus.ts';
import { frame, MODEL_FRAME_SAMPLES, MOSHI_RATE, MSG, SERVER_OPUS_FRAME_SAMPLES } from '../protocol.ts';

export interface FakeMoshiOptions {
  apiKey?: string;
  handshake?: 'rust' | 'python';
  responseDelayMs?: number;
  stopDelayMs?: number;
  responseAudioMs?: number;
}

interface FakeMoshiRecord {
  connections: number;
  /** Header packets seen, in order, per connection. */
  headers: string[][];
  receivedMs: number;
  steps: number;
  /** Output stream positions (ms) where the tone was planted to start and stop. */
  toneStartsMs: number[];
  toneStopsMs: number[];
  protocolErrors: string[];
}

export interface FakeMoshiServer {
  /** ws://127.0.0.1:PORT/api/chat */
  readonly url: string;
  readonly server: FakeWsServer;
  readonly record: FakeMoshiRecord;
  stop(): Promise<void>;
}

export async function startFakeMoshiServer(opts: FakeMoshiOptions = {}): Promise<FakeMoshiServer> {
  const record: FakeMoshiRecord = { connections: 0, headers: [], receivedMs: 0, steps: 0, toneStartsMs: [], toneStopsMs: [], protocolErrors: [] };
  const server = await startFakeWsServer({
    checkUpgrade(req, url) {
      if (url.pathname !== '/api/chat') return { status: 404, body: 'not found' };
      if (opts.apiKey !== undefined && req.headers['kyutai-api-key'] !== opts.apiKey) return { status: 401, body: '' };
      return undefined;
    },
    onConnection(ws) {
      record.connections++;
      new FakeMoshiConnection(ws, opts, record).start();
    },
  });
  return { url: `${server.origin}/api/chat`, server, record, stop: () => server.stop() };
}

const MS_PER_SAMPLE = 1000 / MOSHI_RATE;

class FakeMoshiConnection {
  private readonly reader = new OggPacketReader();
  private readonly decoder = new OpusDecoder();
  private readonly encoder = new OpusEncoder();
  private readonly writer = new OggOpusWriter(MOSHI_RATE, 0x4b595554, 'KyutaiMoshi');
  private readonly vad = new EnergyEndpointer({ sampleRate: MOSHI_RATE, hangoverMs: 300, thresholdDbfs: -40, minSpeechMs: 60 });
  private readonly headers: string[] = [];
  private input = new Int16Array(0);
  private outMs = 0;
  /** The planted tone, as output stream positions [fromMs, toMs). */
  private toneWindow: { fromMs: number; toMs: number } | undefined;
  private readonly toneAudio = vowelVoice(2000, MOSHI_RATE);
  private readonly floor = noiseFloor(80, MOSHI_RATE, -60);
  private freed = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly opts: FakeMoshiOptions,
    private readonly record: FakeMoshiRecord,
  ) {}

  start(): void {
    this.record.headers.push(this.headers);
    this.ws.on('message', (data, isBinary) => this.onMessage(messageBytes(data), isBinary));
    this.ws.on('close', () => this.free());
    this.ws.send(frame(MSG.handshake, this.opts.handshake === 'python' ? undefined : new Uint8Array(8)));
  }

  private protocolError(message: string): void {
    this.record.protocolErrors.push(message);
    this.ws.send(frame(MSG.error, new TextEncoder().encode(message)));
    this.ws.close(1003, message);
    this.free();
  }

  private onMessage(bytes: Uint8Array, isBinary: boolean): void {
    if (this.freed) return;
    if (!isBinary) return this.protocolError('unexpected text message');
    if (bytes.length === 0 || bytes[0] !== MSG.audio) return; // the servers ignore other kinds
    let packets: Uint8Array[];
    try {
      packets = this.reader.push(bytes.subarray(1));
    } catch (e) {
      return this.protocolError(`bad Ogg: ${(e as Error).message}`);
    }
    for (const p of packets) {
      if (this.headers.length < 2) {
        const want = this.headers.length === 0 ? 'OpusHead' : 'OpusTags';
        if (!isOpusHeader(p) || new TextDecoder().decode(p.subarray(0, 8)) !== want) return this.protocolError(`expected ${want}`);
        this.headers.push(want);
        continue;
      }
      this.receive(this.decoder.decode(p));
    }
  }

  private receive(pcm: Int16Array): void {
    this.record.receivedMs += pcm.length * MS_PER_SAMPLE;
    const joined = new Int16Array(this.input.length + pcm.length);
    joined.set(this.input);
    joined.set(pcm, this.input.length);
    let off = 0;
    for (; off + MODEL_FRAME_SAMPLES <= joined.length; off += MODEL_FRAME_SAMPLES) this.step(joined.subarray(off, off + MODEL_FRAME_SAMPLES));
    this.input = joined.slice(off);
  }

  /** One 80 ms model step: listen, then speak 80 ms. */
  private step(input: Int16Array): void {
    this.record.steps++;
    for (const t of this.vad.push(input)) {
      if (t.type === 'offset' && !this.toneWindow) {
        const fromMs = t.atMs + (this.opts.responseDelayMs ?? 600);
        this.toneWindow = { fromMs, toMs: fromMs + (this.opts.responseAudioMs ?? 1200) };
        this.record.toneStartsMs.push(fromMs);
      } else if (t.type === 'onset' && this.toneWindow) {
        const stopMs = t.atMs + (this.opts.stopDelayMs ?? 160);
        if (stopMs < this.toneWindow.toMs) {
          this.toneWindow.toMs = Math.max(stopMs, this.toneWindow.fromMs);
          this.record.toneStopsMs.push(stopMs);
        }
      }
    }
    const out = new Int16Array(MODEL_FRAME_SAMPLES);
    let speaking = false;
    for (let i = 0; i < out.length; i++) {
      const posMs = this.outMs + i * MS_PER_SAMPLE;
      const w = this.toneWindow;
      if (w && posMs >= w.fromMs && posMs < w.toMs) {
        out[i] = this.toneAudio[Math.round((posMs - w.fromMs) / MS_PER_SAMPLE) % this.toneAudio.length];
        speaking = true;
      } else out[i] = this.floor[i];
    }
    if (this.toneWindow && this.outMs >= this.toneWindow.toMs) this.toneWindow = undefined;
    this.outMs += MODEL_FRAME_SAMPLES * MS_PER_SAMPLE;
    for (let off = 0; off < out.length; off += SERVER_OPUS_FRAME_SAMPLES) {
      const packet = this.encoder.encode(out.subarray(off, off + SERVER_OPUS_FRAME_SAMPLES));
      this.ws.send(frame(MSG.audio, Buffer.concat(this.writer.packet(packet, SERVER_OPUS_FRAME_SAMPLES))));
    }
    if (speaking) this.ws.send(frame(MSG.text, new TextEncoder().encode(' hello')));
  }

  private free(): void {
    if (this.freed) return;
    this.freed = true;
    this.decoder.free();
    this.encoder.free();
  }
}
