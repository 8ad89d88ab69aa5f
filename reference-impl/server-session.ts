/**
 * One crosstalk-ws v1 connection on the reference server: handshake, the input-clocked agent
 * loop (each whole 20 ms frame received drives one step, whose output goes straight back) and
 * the per-connection limits. The listener and the session-count limit live in server.ts.
 */
import type WebSocket from 'ws';
import {
  CLOSE,
  bytesToPcm,
  checkSessionStart,
  checkVideoFrame,
  errorMessage,
  maxJpegBytes,
  parseTextMessage,
  pcmToBytes,
  type CloseCode,
  type ErrorCode,
  type SessionReady,
  type TextMessage,
  type TranscriptMessage,
} from '../adapters/ws/protocol.ts';
import { ReferenceAgent, type AgentEvent, type ReferenceAgentOptions } from './agent.ts';
import { FrameChunker, SAMPLE_RATE } from './frames.ts';

interface SessionLimits {
  maxMessageBytes: number;
  idleTimeoutMs: number;
}

type State = 'awaiting_start' | 'running' | 'ended';

export class ServerSession {
  private state: State = 'awaiting_start';
  private agent: ReferenceAgent | undefined;
  private readonly chunker = new FrameChunker();
  private lastMessageMs = performance.now();
  private idleTimer: NodeJS.Timeout;
  /** The client's opaque session nonce (session.start `session`), for log lines only. */
  private sessionTag = '';
  /** Frames are stepped strictly in order; each step awaits the batched VAD. */
  private stepping: Promise<void> = Promise.resolve();

  constructor(
    private readonly ws: WebSocket,
    /** What every session's agent shares: voice bank, VAD batcher, keyword spotter, onset classifier. */
    private readonly shared: ReferenceAgentOptions,
    private readonly limits: SessionLimits,
    private readonly log: (line: string) => void,
  ) {
    this.idleTimer = setTimeout(this.checkIdle, limits.idleTimeoutMs);
    ws.on('message', (data: Buffer, isBinary: boolean) => this.onMessage(data, isBinary));
    ws.on('close', () => this.end());
    ws.on('error', (e) => this.log(`session ${this.sessionTag}: socket error: ${e.message}`));
  }

  /** End with a fatal error message and a close code (no-op once ended). */
  fail(code: CloseCode, errorCode: ErrorCode, message: string): void {
    if (this.state === 'ended') return;
    this.end();
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(errorMessage(message, true, errorCode));
    this.ws.close(code, errorCode);
  }

  private end(): void {
    this.state = 'ended';
    this.agent?.close();
    clearTimeout(this.idleTimer);
  }

  // Re-armed for the remaining time rather than reset per message (50 messages a second).
  private checkIdle = (): void => {
    if (this.state === 'ended') return;
    const idleMs = performance.now() - this.lastMessageMs;
    if (idleMs >= this.limits.idleTimeoutMs) {
      this.fail(CLOSE.idleTimeout, 'idle_timeout', `no message from the client for ${this.limits.idleTimeoutMs} ms (idle timeout); closing`);
    } else {
      this.idleTimer = setTimeout(this.checkIdle, this.limits.idleTimeoutMs - idleMs);
    }
  };

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.state === 'ended') return;
    this.lastMessageMs = performance.now();
    if (data.byteLength > this.limits.maxMessageBytes) {
      this.fail(
        CLOSE.messageTooBig,
        'message_too_big',
        `message of ${data.byteLength} bytes is over this server's limit of ${this.limits.maxMessageBytes} bytes; send audio in frames of 20 ms`,
      );
      return;
    }
    try {
      if (isBinary) this.onAudio(data);
      else this.onText(data.toString('utf8'));
    } catch (e) {
      this.log(`session ${this.sessionTag}: internal error: ${e instanceof Error ? e.stack : String(e)}`);
      this.fail(CLOSE.internal, 'internal', `internal server error: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private onText(text: string): void {
    const parsed = parseTextMessage(text);
    if (!parsed.ok) {
      this.fail(CLOSE.protocolViolation, 'bad_message', parsed.reason);
      return;
    }
    const m = parsed.message;
    if (m.type === 'session.start') {
      if (this.state !== 'awaiting_start') {
        this.fail(CLOSE.protocolViolation, 'bad_message', 'session.start sent twice; one connection is one session');
        return;
      }
      const start = checkSessionStart(m);
      if (typeof start === 'string') {
        this.fail(CLOSE.protocolViolation, 'bad_message', start);
        return;
      }
      if (start.sampleRate !== SAMPLE_RATE) {
        this.fail(
          CLOSE.unsupportedFormat,
          'unsupported_format',
          `sampleRate ${start.sampleRate} is not supported; the reference server takes ${SAMPLE_RATE} Hz pcm_s16le`,
        );
        return;
      }
      this.sessionTag = start.session ?? '';
      this.agent = new ReferenceAgent(this.shared);
      this.state = 'running';
      const ready: SessionReady = { type: 'session.ready', video: { encoding: 'jpeg', maxBytes: maxJpegBytes(this.limits.maxMessageBytes) } };
      this.ws.send(JSON.stringify(ready));
    } else if (m.type === 'video.frame') {
      this.onVideoFrame(m);
    } else if (m.type === 'session.end') {
      // Audio already received is answered first.
      void this.stepping.then(() => {
        if (this.state === 'ended') return;
        this.end();
        this.ws.close(CLOSE.normal, 'session.end');
      });
    } else if (m.type === 'error') {
      this.log(`session ${this.sessionTag}: client error: ${String(m.message)}`);
    } else {
      this.ws.send(errorMessage(`unknown message type "${m.type}" (ignored)`, false, 'unknown_type'));
    }
  }

  /** Seen in order with the audio: it takes effect at the agent's next step. A bad frame is skipped, not fatal. */
  private onVideoFrame(m: TextMessage): void {
    const agent = this.agent;
    if (!agent) {
      this.fail(CLOSE.protocolViolation, 'not_started', 'video.frame before session.start; send {"type":"session.start",...} first and wait for session.ready');
      return;
    }
    const jpeg = checkVideoFrame(m);
    this.stepping = this.stepping
      .then(() => {
        const problem = typeof jpeg === 'string' ? jpeg : agent.see(jpeg);
        if (problem !== null && this.state !== 'ended' && this.ws.readyState === this.ws.OPEN) {
          this.ws.send(errorMessage(`video frame skipped: ${problem}`, false, 'bad_video_frame'));
        }
      })
      .catch(this.internalError);
  }

  private onAudio(data: Buffer): void {
    if (!this.agent) {
      this.fail(CLOSE.protocolViolation, 'not_started', 'audio before session.start; send {"type":"session.start",...} first and wait for session.ready');
      return;
    }
    if (data.byteLength % 2 !== 0) {
      this.fail(CLOSE.protocolViolation, 'bad_message', `binary message of ${data.byteLength} bytes is not whole 16-bit samples`);
      return;
    }
    const agent = this.agent;
    const frames = this.chunker.push(bytesToPcm(data));
    this.stepping = this.stepping
      .then(async () => {
        for (const frame of frames) {
          const { out, events } = await agent.step(frame);
          if (this.state === 'ended' || this.ws.readyState !== this.ws.OPEN) return;
          for (const e of events) this.ws.send(JSON.stringify(toWire(e)));
          if (out) this.ws.send(pcmToBytes(out));
        }
      })
      .catch(this.internalError);
  }

  private internalError = (e: unknown): void => {
    this.log(`session ${this.sessionTag}: internal error: ${e instanceof Error ? e.stack : String(e)}`);
    this.fail(CLOSE.internal, 'internal', `internal server error: ${e instanceof Error ? e.message : String(e)}`);
  };
}

/** An agent event as its crosstalk-ws text message. */
function toWire(e: AgentEvent): object {
  switch (e.type) {
    case 'interrupted':
      return { type: 'agent.interrupted' };
    case 'transcript':
      return { type: 'transcript', role: 'agent', text: e.text, final: e.final } satisfies TranscriptMessage;
    case 'decision':
      return { type: 'agent.decision', ...e.decision };
  }
}
