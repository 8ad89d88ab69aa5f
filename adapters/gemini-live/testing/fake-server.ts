/**
 * A fake Gemini Live (BidiGenerateContent) server on loopback, speaking the real wire protocol
 * with planted timing, for the adapter's tests and the conformance suite.
 *
 * - Path /ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent (else
 *   404); the key in the `key` query is checked on the first message and a wrong one closes
 *   with 1007 "API key not valid...", as the vendor does. Every server message is JSON in a
 *   BINARY frame, as the vendor sends it.
 * - The first message must be `setup` with models/NAME, else close 1007; realtimeInput must
 *   carry exactly one of audio (audio/pcm;rate=16000, base64 PCM16) or video (image/jpeg).
 * - Its own energy VAD on the received audio: a turn's first audio goes out `responseDelayMs`
 *   after the chunk holding the speech end arrived; a new speech onset during a turn sends
 *   serverContent.interrupted `interruptDelayMs` after the chunk holding it arrived.
 * - Session resumption: handles issued after setupComplete and each turnComplete; a setup with
 *   a handle resumes (an unknown handle closes 1008). `goAwayAfterMs` sends goAway on the first
 *   connection and closes it `goAwayTimeLeftMs` later.
 */
import { ArrivalVad } from '../../shared/testing/arrival-vad.ts';
import { laterAt, startFakeWsServer, type FakeWsServer } from '../../shared/testing/fake-ws-server.ts';
import { vowelVoice } from '../../../harness/audio/vowel-voice.ts';
import { base64ToPcm16, pcm16ToBase64 } from '../../shared/pcm.ts';
import { messageText } from '../../shared/ws-connect.ts';
import type { WebSocket } from 'ws';

const GEMINI_PATH = '/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent';

export interface FakeGeminiOptions {
  apiKey: string;
  responseDelayMs?: number;
  interruptDelayMs?: number;
  responseAudioMs?: number;
  chunkMs?: number;
  speedup?: number;
  /** On the first connection: send goAway this long after setupComplete. */
  goAwayAfterMs?: number;
  goAwayTimeLeftMs?: number;
}

interface FakeGeminiRecord {
  connections: number;
  /** Per setup: the model and the resumption handle it carried. */
  setups: Array<{ model: string; handle: string | undefined }>;
  audioMimeTypes: Set<string>;
  audioMs: number;
  videoFrames: number;
  closesSent: Array<{ code: number; reason: string }>;
  /** performance.now(): when the chunk holding a speech end / an onset during a turn arrived, and when the response audio / interrupted went out. */
  speechEndArrivedAtMs: number[];
  onsetArrivedAtMs: number[];
  interruptsSentAtMs: number[];
  responseAudioSentAtMs: number[];
}

export interface FakeGeminiServer {
  /** ws://127.0.0.1:PORT (pass as the adapter's `url`). */
  readonly url: string;
  readonly server: FakeWsServer;
  readonly record: FakeGeminiRecord;
  stop(): Promise<void>;
}

const IN_RATE = 16_000;
const OUT_RATE = 24_000;

export async function startFakeGeminiServer(opts: FakeGeminiOptions): Promise<FakeGeminiServer> {
  const record: FakeGeminiRecord = {
    connections: 0,
    setups: [],
    audioMimeTypes: new Set(),
    audioMs: 0,
    videoFrames: 0,
    closesSent: [],
    speechEndArrivedAtMs: [],
    onsetArrivedAtMs: [],
    interruptsSentAtMs: [],
    responseAudioSentAtMs: [],
  };
  const handles = new Set<string>();
  const server = await startFakeWsServer({
    checkUpgrade: (_req, url) => (url.pathname === GEMINI_PATH ? undefined : { status: 404, body: 'Not Found' }),
    onConnection(ws, _req, url) {
      record.connections++;
      new FakeLiveConnection(ws, url.searchParams.get('key'), opts, record, handles, record.connections === 1).start();
    },
  });
  return { url: server.origin, server, record, stop: () => server.stop() };
}

class FakeLiveConnection {
  private setupDone = false;
  private readonly vad = new ArrivalVad({ sampleRate: IN_RATE, hangoverMs: 300, thresholdDbfs: -40, minSpeechMs: 60 });
  private turn: { timer: NodeJS.Timeout | undefined; started: boolean } | undefined;
  private resumable = false;
  private readonly tone = vowelVoice(2000, OUT_RATE);
  private goAwayTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ws: WebSocket,
    private readonly key: string | null,
    private readonly opts: FakeGeminiOptions,
    private readonly record: FakeGeminiRecord,
    private readonly handles: Set<string>,
    private readonly first: boolean,
  ) {}

  start(): void {
    this.ws.on('message', (data) => this.onMessage(messageText(data)));
    this.ws.on('close', () => {
      this.endTurn();
      if (this.goAwayTimer) clearTimeout(this.goAwayTimer);
    });
  }

  /** Server JSON always goes out in binary frames, as the vendor sends it. */
  private send(msg: unknown): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(Buffer.from(JSON.stringify(msg)), { binary: true });
  }

  private close(code: number, reason: string): void {
    this.record.closesSent.push({ code, reason });
    this.ws.close(code, reason);
  }

  private onMessage(text: string): void {
    let msg: Record<string, any>;
    try {
      msg = JSON.parse(text) as Record<string, any>;
    } catch {
      return this.close(1007, 'Invalid JSON payload received.');
    }
    if (!this.setupDone) return this.setup(msg);
    if (msg.setup) return this.close(1007, 'Request contains an invalid argument.');
    if (msg.realtimeInput) return this.realtimeInput(msg.realtimeInput);
    if (msg.clientContent || msg.toolResponse) return;
    this.close(1007, 'Request contains an invalid argument.');
  }

  private setup(msg: Record<string, any>): void {
    if (this.key !== this.opts.apiKey) return this.close(1007, 'API key not valid. Please pass a valid API key.');
    const s = msg.setup;
    if (!s || typeof s.model !== 'string' || !s.model.startsWith('models/')) return this.close(1007, 'Request contains an invalid argument.');
    const handle: string | undefined = s.sessionResumption?.handle;
    if (handle !== undefined && !this.handles.has(handle)) return this.close(1008, 'Session not found.');
    this.record.setups.push({ model: s.model, handle });
    this.setupDone = true;
    this.resumable = s.sessionResumption !== undefined;
    this.send({ setupComplete: {} });
    this.issueHandle();
    if (this.first && this.opts.goAwayAfterMs !== undefined) {
      this.goAwayTimer = setTimeout(() => {
        const leftMs = this.opts.goAwayTimeLeftMs ?? 1000;
        this.send({ goAway: { timeLeft: `${leftMs / 1000}s` } });
        this.goAwayTimer = setTimeout(() => this.close(1000, 'session time limit'), leftMs);
      }, this.opts.goAwayAfterMs);
    }
  }

  private issueHandle(): void {
    if (!this.resumable) return;
    const handle = `handle-${this.handles.size + 1}`;
    this.handles.add(handle);
    this.send({ sessionResumptionUpdate: { newHandle: handle, resumable: true } });
  }

  private realtimeInput(ri: Record<string, any>): void {
    const kinds = ['audio', 'video', 'text', 'audioStreamEnd', 'activityStart', 'activityEnd', 'mediaChunks'].filter((k) => ri[k] !== undefined);
    if (kinds.length !== 1) return this.close(1007, 'Request contains an invalid argument.');
    if (ri.video) {
      const jpeg = Buffer.from(String(ri.video.data ?? ''), 'base64');
      if (ri.video.mimeType !== 'image/jpeg' || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return this.close(1007, 'Request contains an invalid argument.');
      this.record.videoFrames++;
      return;
    }
    if (!ri.audio) return;
    const mime = String(ri.audio.mimeType ?? '');
    this.record.audioMimeTypes.add(mime);
    if (mime !== `audio/pcm;rate=${IN_RATE}`) return this.close(1007, `Unsupported audio mime type for this fake: ${mime}`);
    let pcm: Int16Array;
    try {
      pcm = base64ToPcm16(String(ri.audio.data ?? ''));
    } catch {
      return this.close(1007, 'Request contains an invalid argument.');
    }
    this.record.audioMs += (pcm.length / IN_RATE) * 1000;
    for (const t of this.vad.push(pcm)) {
      if (t.type === 'onset' && this.turn) {
        this.record.onsetArrivedAtMs.push(t.arrivedAtMs);
        laterAt(t.arrivedAtMs + (this.opts.interruptDelayMs ?? 150), () => {
          if (!this.turn) return;
          const started = this.turn.started;
          this.endTurn();
          if (!started) return;
          this.record.interruptsSentAtMs.push(performance.now());
          this.send({ serverContent: { interrupted: true } });
        });
      } else if (t.type === 'offset') {
        this.startTurn(t.arrivedAtMs);
      }
    }
  }

  private startTurn(fromMs: number): void {
    if (this.turn) return;
    this.record.speechEndArrivedAtMs.push(fromMs);
    const turn = { timer: undefined as NodeJS.Timeout | undefined, started: false };
    this.turn = turn;
    this.send({ serverContent: { inputTranscription: { text: 'fake user words' } } });
    turn.timer = laterAt(fromMs + (this.opts.responseDelayMs ?? 600), () => {
      turn.started = true;
      this.record.responseAudioSentAtMs.push(performance.now());
      this.sendChunk(turn, 0);
    });
  }

  private sendChunk(turn: NonNullable<FakeLiveConnection['turn']>, sentMs: number): void {
    if (this.turn !== turn) return;
    const chunkMs = this.opts.chunkMs ?? 100;
    if (sentMs >= (this.opts.responseAudioMs ?? 1200)) {
      this.send({ serverContent: { generationComplete: true } });
      this.send({ serverContent: { turnComplete: true } });
      this.send({ usageMetadata: { totalTokenCount: 42 } });
      this.turn = undefined;
      this.issueHandle();
      return;
    }
    const from = Math.round(((sentMs % 2000) * OUT_RATE) / 1000);
    const pcm = this.tone.slice(from, from + Math.round((chunkMs * OUT_RATE) / 1000));
    this.send({
      serverContent: {
        modelTurn: { parts: [{ inlineData: { mimeType: `audio/pcm;rate=${OUT_RATE}`, data: pcm16ToBase64(pcm) } }] },
        ...(sentMs === 0 ? { outputTranscription: { text: 'fake reply' } } : {}),
      },
    });
    turn.timer = setTimeout(() => this.sendChunk(turn, sentMs + chunkMs), chunkMs / (this.opts.speedup ?? 4));
  }

  private endTurn(): void {
    if (this.turn?.timer) clearTimeout(this.turn.timer);
    this.turn = undefined;
  }
}
