/**
 * A fake OpenAI Realtime (GA) server on loopback, speaking the real wire protocol with planted
 * timing, for the adapter's tests and the conformance suite.
 *
 * - Upgrade: path /v1/realtime, `model` in the query (else 400), `Authorization: Bearer KEY`
 *   (else 401). An `OpenAI-Beta: realtime=v1` header gets beta event names, as the vendor did.
 * - Validates client events like the vendor: JSON with a known `type`, session.update with
 *   session.type 'realtime' and PCM 24 kHz, base64 PCM16 appends, commits of >= 100 ms,
 *   truncates of a known assistant item with audio_end_ms within the audio sent for it.
 * - Its own energy VAD on the received audio (server_vad / semantic_vad): speech_started is
 *   sent `speechStartedDelayMs` after the append holding the speech onset arrived, cancelling
 *   any response in progress; a response's first audio is sent `responseDelayMs` after the
 *   append holding the speech end arrived (or after response.create with turn_detection null).
 * - Response audio is 24 kHz speech-like vowel voice (harness/audio/vowel-voice.ts) sent `speedup` times faster than real time, in chunks.
 */
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { base64ToPcm16, pcm16ToBase64, pcmDurationMs } from '../../shared/pcm.ts';
import { ArrivalVad } from '../../shared/testing/arrival-vad.ts';
import { laterAt, startFakeWsServer, type FakeWsServer } from '../../shared/testing/fake-ws-server.ts';
import { vowelVoice } from '../../../harness/audio/vowel-voice.ts';
import { messageText } from '../../shared/ws-connect.ts';

export interface FakeOpenAIOptions {
  apiKey: string;
  /** Planted: from the connection to session.created, the server's first message (default 0). */
  sessionCreatedDelayMs?: number;
  /** Planted: from the arrival of the user's speech end to the first response audio. */
  responseDelayMs?: number;
  /** Planted: from the arrival of the user's speech onset to speech_started. */
  speechStartedDelayMs?: number;
  responseAudioMs?: number;
  chunkMs?: number;
  /** Audio is sent this many times faster than real time. */
  speedup?: number;
  /** Act as a beta-protocol server (session.created without session.type), as with `OpenAI-Beta: realtime=v1`. */
  beta?: boolean;
  /** Also send the beta `response.audio.delta` during a GA session (a half-migrated server). */
  betaAudioEvents?: boolean;
}

/** What the fake saw, for tests to assert on (never the key itself). */
interface FakeOpenAIRecord {
  connections: number;
  clientEventTypes: string[];
  sessionUpdates: Array<Record<string, unknown>>;
  appendedMs: number;
  truncates: Array<{ item_id: string; content_index: number; audio_end_ms: number; accepted: boolean }>;
  /** performance.now() when the chunk holding each speech onset / speech end arrived. */
  onsetArrivedAtMs: number[];
  speechEndArrivedAtMs: number[];
  /** performance.now() when each response.create arrived (turn_detection null: the client's own turn end). */
  responseCreateArrivedAtMs: number[];
  /** performance.now() when each speech_started / first response audio was sent. */
  speechStartedSentAtMs: number[];
  responseAudioSentAtMs: number[];
  errorsSent: Array<{ code: string; message: string }>;
}

const RATE = 24_000;

export interface FakeOpenAIServer {
  /** ws://127.0.0.1:PORT/v1/realtime */
  readonly url: string;
  readonly server: FakeWsServer;
  readonly record: FakeOpenAIRecord;
  stop(): Promise<void>;
}

export async function startFakeOpenAIServer(opts: FakeOpenAIOptions): Promise<FakeOpenAIServer> {
  const record: FakeOpenAIRecord = {
    connections: 0,
    clientEventTypes: [],
    sessionUpdates: [],
    appendedMs: 0,
    truncates: [],
    onsetArrivedAtMs: [],
    speechEndArrivedAtMs: [],
    responseCreateArrivedAtMs: [],
    speechStartedSentAtMs: [],
    responseAudioSentAtMs: [],
    errorsSent: [],
  };
  const server = await startFakeWsServer({
    checkUpgrade(req, url) {
      if (url.pathname !== '/v1/realtime') return { status: 404, body: '{"error":{"message":"Not found"}}' };
      if (!url.searchParams.get('model')) return { status: 400, body: '{"error":{"message":"Missing required parameter: model"}}' };
      if (req.headers.authorization !== `Bearer ${opts.apiKey}`) {
        return { status: 401, body: '{"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}}' };
      }
      return undefined;
    },
    onConnection(ws, req) {
      record.connections++;
      new FakeRealtimeConnection(ws, req, opts, record).start();
    },
  });
  return { url: `${server.origin}/v1/realtime`, server, record, stop: () => server.stop() };
}

interface Response {
  id: string;
  itemId: string;
  timer: NodeJS.Timeout | undefined;
  /** response.created was sent (a response still in its planted delay ends silently). */
  started: boolean;
  done: boolean;
}

class FakeRealtimeConnection {
  private readonly beta: boolean;
  private seq = 0;
  private turnDetection: { type: string; silence_duration_ms?: number } | null = { type: 'server_vad' };
  private readonly vad = new ArrivalVad({ sampleRate: RATE, hangoverMs: 500, thresholdDbfs: -40, minSpeechMs: 60 });
  private bufferMs = 0;
  private response: Response | undefined;
  /** Assistant audio sent per item, in ms (what truncate may not exceed). */
  private readonly itemAudioMs = new Map<string, number>();
  private readonly tone = vowelVoice(2000, RATE);

  constructor(
    private readonly ws: WebSocket,
    req: IncomingMessage,
    private readonly opts: FakeOpenAIOptions,
    private readonly record: FakeOpenAIRecord,
  ) {
    this.beta = opts.beta === true || req.headers['openai-beta'] !== undefined;
  }

  start(): void {
    this.ws.on('message', (data) => this.onMessage(messageText(data)));
    this.ws.on('close', () => this.cancelResponse(false));
    const session = this.beta
      ? { object: 'realtime.session', id: 'sess_fake', model: 'fake', modalities: ['audio', 'text'] }
      : { type: 'realtime', object: 'realtime.session', id: 'sess_fake', model: 'fake', output_modalities: ['audio'] };
    const created = () => this.send({ type: 'session.created', session });
    if (this.opts.sessionCreatedDelayMs) setTimeout(created, this.opts.sessionCreatedDelayMs);
    else created();
  }

  private send(ev: Record<string, unknown>): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify({ event_id: `event_${++this.seq}`, ...ev }));
  }

  private error(code: string, message: string, param?: string): void {
    this.record.errorsSent.push({ code, message });
    this.send({ type: 'error', error: { type: 'invalid_request_error', code, message, param: param ?? null, event_id: null } });
  }

  private onMessage(text: string): void {
    let ev: Record<string, unknown>;
    try {
      ev = JSON.parse(text) as Record<string, unknown>;
    } catch {
      this.error('invalid_json', 'The server could not parse the JSON of the event.');
      return;
    }
    const type = ev.type;
    this.record.clientEventTypes.push(String(type));
    switch (type) {
      case 'session.update':
        return this.sessionUpdate(ev);
      case 'input_audio_buffer.append':
        return this.append(ev);
      case 'input_audio_buffer.commit':
        return this.commit();
      case 'input_audio_buffer.clear':
        this.bufferMs = 0;
        return this.send({ type: 'input_audio_buffer.cleared' });
      case 'response.create': {
        const arrivedAtMs = performance.now();
        this.record.responseCreateArrivedAtMs.push(arrivedAtMs);
        return this.startResponse(arrivedAtMs);
      }
      case 'response.cancel':
        return this.cancelResponse(true);
      case 'conversation.item.truncate':
        return this.truncate(ev);
      default:
        this.error('invalid_value', `Invalid value: '${String(type)}'. Supported values are: 'session.update', 'input_audio_buffer.append', ...`, 'type');
    }
  }

  private sessionUpdate(ev: Record<string, unknown>): void {
    const s = ev.session as Record<string, any> | undefined;
    if (!s || typeof s !== 'object') return this.error('missing_required_parameter', "Missing required parameter: 'session'.", 'session');
    if (s.type !== 'realtime') return this.error('missing_required_parameter', "Missing required parameter: 'session.type'.", 'session.type');
    for (const dir of ['input', 'output'] as const) {
      const f = s.audio?.[dir]?.format;
      if (f && (f.type !== 'audio/pcm' || f.rate !== RATE)) {
        return this.error(
          'invalid_value',
          `Invalid value for 'session.audio.${dir}.format': this fake takes audio/pcm at 24000 Hz.`,
          `session.audio.${dir}.format`,
        );
      }
    }
    const td = s.audio?.input?.turn_detection;
    if (td !== undefined) {
      if (td !== null && !['server_vad', 'semantic_vad'].includes(td?.type)) {
        return this.error('invalid_value', "Invalid value for 'turn_detection.type'.", 'session.audio.input.turn_detection.type');
      }
      this.turnDetection = td;
      this.vad.reset(td?.silence_duration_ms ?? 500);
    }
    this.record.sessionUpdates.push(s);
    this.send({ type: 'session.updated', session: { ...s, id: 'sess_fake', object: 'realtime.session' } });
  }

  private append(ev: Record<string, unknown>): void {
    if (typeof ev.audio !== 'string') return this.error('missing_required_parameter', "Missing required parameter: 'audio'.", 'audio');
    let pcm: Int16Array;
    try {
      pcm = base64ToPcm16(ev.audio);
    } catch {
      return this.error('invalid_value', 'Invalid base64 PCM16 audio.', 'audio');
    }
    const ms = pcmDurationMs(pcm.length, RATE);
    this.record.appendedMs += ms;
    this.bufferMs += ms;
    const transitions = this.vad.push(pcm);
    if (!this.turnDetection) return;
    for (const t of transitions) {
      if (t.type === 'onset') this.speechStarted(t.atMs, t.arrivedAtMs);
      else this.speechStopped(t.atMs, t.arrivedAtMs);
    }
  }

  private speechStarted(audioStartMs: number, arrivedAtMs: number): void {
    const itemId = `item_user_${this.seq}`;
    this.record.onsetArrivedAtMs.push(arrivedAtMs);
    laterAt(arrivedAtMs + (this.opts.speechStartedDelayMs ?? 150), () => {
      this.record.speechStartedSentAtMs.push(performance.now());
      this.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: Math.round(audioStartMs), item_id: itemId });
      this.cancelResponse(true);
    });
  }

  private speechStopped(audioEndMs: number, arrivedAtMs: number): void {
    const itemId = `item_user_${this.seq}`;
    this.record.speechEndArrivedAtMs.push(arrivedAtMs);
    this.send({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: Math.round(audioEndMs), item_id: itemId });
    this.send({ type: 'input_audio_buffer.committed', previous_item_id: null, item_id: itemId });
    this.bufferMs = 0;
    this.startResponse(arrivedAtMs);
  }

  private commit(): void {
    if (this.bufferMs < 100) {
      return this.error(
        'input_audio_buffer_commit_empty',
        `Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${this.bufferMs.toFixed(2)}ms of audio.`,
      );
    }
    this.bufferMs = 0;
    this.send({ type: 'input_audio_buffer.committed', previous_item_id: null, item_id: `item_user_${this.seq}` });
  }

  /** A response whose first audio goes out `responseDelayMs` after `fromMs`. */
  private startResponse(fromMs: number): void {
    if (this.response && !this.response.done)
      return this.error('conversation_already_has_active_response', 'Conversation already has an active response in progress.');
    const r: Response = { id: `resp_${++this.seq}`, itemId: `item_${++this.seq}`, timer: undefined, started: false, done: false };
    this.response = r;
    this.itemAudioMs.set(r.itemId, 0);
    const ids = { response_id: r.id, item_id: r.itemId, output_index: 0, content_index: 0 };
    r.timer = laterAt(fromMs + (this.opts.responseDelayMs ?? 600), () => {
      r.started = true;
      this.send({ type: 'response.created', response: { id: r.id, object: 'realtime.response', status: 'in_progress' } });
      this.send({ type: 'response.output_item.added', response_id: r.id, output_index: 0, item: { id: r.itemId, type: 'message', role: 'assistant' } });
      this.send({ type: 'response.content_part.added', ...ids, part: { type: 'audio' } });
      this.record.responseAudioSentAtMs.push(performance.now());
      this.sendChunks(r, 0);
    });
  }

  private sendChunks(r: Response, sentMs: number): void {
    if (r.done) return;
    const chunkMs = this.opts.chunkMs ?? 100;
    const totalMs = this.opts.responseAudioMs ?? 1200;
    const ids = { response_id: r.id, item_id: r.itemId, output_index: 0, content_index: 0 };
    if (sentMs >= totalMs) {
      this.send({ type: 'response.output_audio.done', ...ids });
      this.send({ type: 'response.output_audio_transcript.done', ...ids, transcript: 'fake reply' });
      this.finish(r, 'completed');
      return;
    }
    const from = Math.round(((sentMs % 2000) * RATE) / 1000);
    const pcm = this.tone.slice(from, from + Math.round((chunkMs * RATE) / 1000));
    this.send({ type: 'response.output_audio.delta', ...ids, delta: pcm16ToBase64(pcm) });
    if (sentMs === 0) this.send({ type: 'response.output_audio_transcript.delta', ...ids, delta: 'fake reply' });
    if (this.opts.betaAudioEvents && sentMs === 0) this.send({ type: 'response.audio.delta', ...ids, delta: pcm16ToBase64(pcm) });
    this.itemAudioMs.set(r.itemId, sentMs + chunkMs);
    r.timer = setTimeout(() => this.sendChunks(r, sentMs + chunkMs), chunkMs / (this.opts.speedup ?? 4));
  }

  private finish(r: Response, status: 'completed' | 'cancelled'): void {
    r.done = true;
    if (r.timer) clearTimeout(r.timer);
    if (r.started) this.send({ type: 'response.done', response: { id: r.id, object: 'realtime.response', status } });
  }

  private cancelResponse(announce: boolean): void {
    const r = this.response;
    if (!r || r.done) return;
    if (announce) this.finish(r, 'cancelled');
    else {
      r.done = true;
      if (r.timer) clearTimeout(r.timer);
    }
  }

  private truncate(ev: Record<string, unknown>): void {
    const { item_id, content_index, audio_end_ms } = ev as { item_id: unknown; content_index: unknown; audio_end_ms: unknown };
    const sentMs = typeof item_id === 'string' ? this.itemAudioMs.get(item_id) : undefined;
    const entry = { item_id: String(item_id), content_index: Number(content_index), audio_end_ms: Number(audio_end_ms), accepted: false };
    this.record.truncates.push(entry);
    if (sentMs === undefined) return this.error('invalid_value', `Invalid value: no assistant item '${String(item_id)}'.`, 'item_id');
    if (content_index !== 0) return this.error('invalid_value', 'Invalid value: content_index must be 0.', 'content_index');
    if (typeof audio_end_ms !== 'number' || !Number.isInteger(audio_end_ms) || audio_end_ms < 0) {
      return this.error('invalid_value', 'Invalid value: audio_end_ms must be a non-negative integer.', 'audio_end_ms');
    }
    if (audio_end_ms > sentMs) {
      return this.error('invalid_value', `Audio content of ${sentMs}ms is already shorter than ${audio_end_ms}ms`, 'audio_end_ms');
    }
    entry.accepted = true;
    this.send({ type: 'conversation.item.truncated', item_id, content_index, audio_end_ms });
  }
}
