/**
 * One Gemini Live session (BidiGenerateContent): setup -> setupComplete, then realtimeInput
 * audio (16 kHz) and JPEG video in, serverContent audio (24 kHz), transcripts and turn events
 * out. On goAway it reconnects with the latest session-resumption handle and swaps sockets
 * within the same scenario. Server JSON may arrive in binary frames.
 */
import type WebSocket from 'ws';
import { AdapterError, type AdapterSession, type SessionContext } from '../../harness/adapter.ts';
import { pcm16ToBase64, base64ToPcm16 } from '../shared/pcm.ts';
import type { Redactor } from '../../harness/redact.ts';
import { SocketSession } from '../shared/socket-session.ts';
import { closeSocket, connectWebSocket, messageText, type Connection } from '../shared/ws-connect.ts';
import { endpointUrl, GEMINI_KEY_ENVS, setupMessage, type GeminiLiveOptions } from './options.ts';

export const VENDOR = 'Gemini Live';
const INPUT_MIME = 'audio/pcm;rate=16000';

interface Part {
  text?: string;
  inlineData?: { mimeType?: string; data?: string };
}

interface ServerContent {
  modelTurn?: { parts?: Part[] };
  interrupted?: boolean;
  turnComplete?: boolean;
  generationComplete?: boolean;
  inputTranscription?: { text?: string };
  outputTranscription?: { text?: string };
}

export class GeminiLiveSession extends SocketSession implements AdapterSession {
  private resumptionHandle: string | undefined;
  /** A socket being set up with the resumption handle, swapped in on its setupComplete. */
  private pending: { ws: WebSocket; done(): void } | undefined;

  constructor(
    conn: Connection,
    ctx: SessionContext,
    redactor: Redactor,
    private readonly o: GeminiLiveOptions,
  ) {
    super(conn, ctx, redactor, VENDOR);
  }

  async handshake(): Promise<void> {
    const setup = this.awaitSetup(this.o.setupTimeoutMs);
    this.sendJson(setupMessage(this.o));
    await setup;
    this.net.startRtt(this.ws, this.o.rttIntervalMs);
  }

  protected override setupCloseError(code: number, reason: string): AdapterError {
    if (/api key/i.test(reason)) {
      return new AdapterError(`${VENDOR} refused the key (close ${code}: ${reason}): check ${GEMINI_KEY_ENVS[0]}`, 'config');
    }
    return super.setupCloseError(code, reason);
  }

  protected onMessage(data: WebSocket.RawData, ws: WebSocket): void {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(messageText(data)) as Record<string, unknown>;
    } catch {
      this.fail(`${VENDOR}: server sent a message that is not JSON`, 'protocol');
      return;
    }
    if (this.pending?.ws === ws) {
      if (msg.setupComplete) this.pending.done();
      else this.dispatch(msg);
      return;
    }
    if (ws !== this.ws) return; // the socket we left after a resumption
    if (msg.setupComplete) {
      this.setupDone();
      this.emit({ type: 'vendor', name: 'setupComplete' });
      return;
    }
    this.dispatch(msg);
  }

  private dispatch(msg: Record<string, unknown>): void {
    if (msg.serverContent) this.serverContent(msg.serverContent as ServerContent);
    if (msg.sessionResumptionUpdate) {
      const u = msg.sessionResumptionUpdate as { newHandle?: string; resumable?: boolean };
      if (u.resumable && u.newHandle) this.resumptionHandle = u.newHandle;
      // The handle itself is a credential for the session: kept out of the recording.
      this.emit({ type: 'vendor', name: 'sessionResumptionUpdate', payload: { resumable: u.resumable ?? false } });
    }
    if (msg.goAway) {
      this.emit({ type: 'vendor', name: 'goAway', payload: msg.goAway });
      void this.resume();
    }
    for (const key of ['usageMetadata', 'toolCall', 'toolCallCancellation', 'voiceActivityDetectionSignal', 'voiceActivity']) {
      if (msg[key] !== undefined) this.emit({ type: 'vendor', name: key, payload: msg[key] });
    }
  }

  private serverContent(c: ServerContent): void {
    for (const part of c.modelTurn?.parts ?? []) {
      const d = part.inlineData;
      if (d?.data && d.mimeType?.startsWith('audio/pcm')) {
        const rate = Number(/rate=(\d+)/.exec(d.mimeType)?.[1] ?? 24_000);
        try {
          this.emit({ type: 'audio', pcm: base64ToPcm16(d.data), sampleRate: rate });
        } catch (e) {
          this.emit({ type: 'error', message: `${VENDOR}: bad audio part: ${this.redactor.errorMessage(e)}`, recoverable: true, code: 'bad_audio' });
        }
      } else if (part.text !== undefined) {
        this.emit({ type: 'vendor', name: 'modelTurn.text', payload: { text: part.text } });
      }
    }
    if (c.outputTranscription?.text) this.emit({ type: 'transcript', role: 'agent', text: c.outputTranscription.text, final: false });
    if (c.inputTranscription?.text) this.emit({ type: 'transcript', role: 'user', text: c.inputTranscription.text, final: false });
    if (c.interrupted) {
      this.emit({ type: 'vendor', name: 'interrupted' });
      this.emit({ type: 'interrupted', reason: 'serverContent.interrupted' });
    }
    if (c.generationComplete) this.emit({ type: 'vendor', name: 'generationComplete' });
    if (c.turnComplete) this.emit({ type: 'vendor', name: 'turnComplete' });
  }

  /** goAway: open a new connection with the latest handle and swap to it once set up. */
  private async resume(): Promise<void> {
    if (this.pending || this.closing) return;
    if (!this.resumptionHandle) {
      this.emit({
        type: 'error',
        message: `${VENDOR} sent goAway and no resumption handle is known: the session will end`,
        recoverable: false,
        code: 'no_resumption_handle',
      });
      return;
    }
    try {
      const conn = await connectWebSocket({
        vendor: VENDOR,
        url: endpointUrl(this.o),
        authHint: `check ${GEMINI_KEY_ENVS[0]}`,
        redactor: this.redactor,
        timeoutMs: this.o.connectTimeoutMs,
        retry: this.o.retry,
        signal: this.ctx.signal,
      });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no setupComplete within ${this.o.setupTimeoutMs} ms`)), this.o.setupTimeoutMs);
        conn.ws.once('close', (code, reason) => reject(new Error(`closed during resumption (code ${code}: ${reason.toString('utf8')})`)));
        this.pending = {
          ws: conn.ws,
          done: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        this.adopt(conn);
        conn.ws.send(JSON.stringify(setupMessage(this.o, this.resumptionHandle)));
      });
      const old = this.ws;
      this.ws = this.pending!.ws;
      this.pending = undefined;
      this.net.startRtt(this.ws, this.o.rttIntervalMs);
      this.emit({ type: 'vendor', name: 'client.resumed' });
      if (this.closing) await closeSocket(this.ws);
      await closeSocket(old, 1000, 'resumed on a new connection');
    } catch (e) {
      // (Set inside the promise above: the compiler cannot see it.)
      const pending = this.pending as { ws: WebSocket } | undefined;
      this.pending = undefined;
      if (pending) void closeSocket(pending.ws);
      this.emit({
        type: 'error',
        message: `${VENDOR}: session resumption failed: ${this.redactor.errorMessage(e)}`,
        recoverable: false,
        code: 'resumption_failed',
      });
    }
  }

  sendAudio(pcm: Int16Array): void {
    if (this.closing) return;
    this.sendJson({ realtimeInput: { audio: { data: pcm16ToBase64(pcm), mimeType: INPUT_MIME } } });
  }

  sendVideoFrame(jpeg: Uint8Array): void {
    if (this.closing) return;
    this.sendJson({
      realtimeInput: { video: { data: Buffer.from(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength).toString('base64'), mimeType: 'image/jpeg' } },
    });
  }

  override async close(): Promise<void> {
    const pending = this.pending;
    if (pending) await closeSocket(pending.ws);
    await super.close();
  }
}
