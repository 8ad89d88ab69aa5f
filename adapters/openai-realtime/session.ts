/**
 * One OpenAI Realtime session over the GA WebSocket protocol: session.created ->
 * session.update -> session.updated, then audio appends in, audio/transcripts/events out,
 * and truncation of what the user did not hear after an interruption.
 */
import type WebSocket from 'ws';
import { AdapterError, type AdapterSession, type PlayoutFlush, type SessionContext, type TruthEvent } from '../../harness/adapter.ts';
import { EnergyEndpointer } from '../shared/energy-endpointer.ts';
import { base64ToPcm16, pcm16ToBase64, pcmDurationMs } from '../shared/pcm.ts';
import type { Redactor } from '../../harness/redact.ts';
import { SocketSession } from '../shared/socket-session.ts';
import { messageText, type Connection } from '../shared/ws-connect.ts';
import { ItemLedger } from './item-ledger.ts';
import { OPENAI_KEY_ENV, sessionConfig, type OpenAIRealtimeOptions } from './options.ts';
import { BETA_EVENT_NAMES, vendorPayload, type RealtimeErrorBody, type ServerEvent } from './protocol.ts';

const VENDOR = 'OpenAI Realtime';
const SAMPLE_RATE = 24_000;
/** The server refuses to commit less than this much audio. */
const MIN_COMMIT_MS = 100;

export class OpenAIRealtimeSession extends SocketSession implements AdapterSession {
  private phase: 'await_created' | 'await_updated' | 'live' = 'await_created';
  private readonly ledger = new ItemLedger();
  private responseActive = false;
  private droppedAfterCutMs = 0;
  /** turnDetection none: the adapter's own endpointer and what is uncommitted. */
  private readonly localVad: EnergyEndpointer | undefined;
  private uncommittedMs = 0;

  constructor(
    conn: Connection,
    ctx: SessionContext,
    redactor: Redactor,
    private readonly o: OpenAIRealtimeOptions,
  ) {
    super(conn, ctx, redactor, VENDOR);
    this.localVad =
      o.turnDetection === 'none' && o.manualCommit === 'energy'
        ? new EnergyEndpointer({ sampleRate: SAMPLE_RATE, hangoverMs: o.commitHangoverMs, thresholdDbfs: o.commitThresholdDbfs })
        : undefined;
  }

  /** Wait for session.created, send session.update, wait for session.updated. */
  async handshake(): Promise<void> {
    await this.awaitSetup(this.o.setupTimeoutMs);
    this.net.startRtt(this.ws, this.o.rttIntervalMs);
  }

  protected onMessage(data: WebSocket.RawData): void {
    let ev: ServerEvent;
    try {
      ev = JSON.parse(messageText(data)) as ServerEvent;
    } catch {
      this.fail(`${VENDOR}: server sent a message that is not JSON`, 'protocol');
      return;
    }
    if (typeof ev?.type !== 'string') {
      this.fail(`${VENDOR}: server sent an event without a type`, 'protocol');
      return;
    }
    const gaName = BETA_EVENT_NAMES[ev.type];
    if (gaName) {
      this.fail(
        `beta protocol: server sent '${ev.type}' (GA: '${gaName}'); this adapter speaks the GA Realtime API: use a GA model and endpoint, without the OpenAI-Beta header`,
        'beta_protocol',
      );
      return;
    }
    if (this.phase === 'live') this.dispatch(ev);
    else this.setupStep(ev);
  }

  private setupStep(ev: ServerEvent): void {
    if (ev.type === 'error') {
      const err = (ev.error ?? {}) as RealtimeErrorBody;
      const auth = err.code === 'invalid_api_key' || err.type === 'authentication_error';
      const what = this.phase === 'await_created' ? 'refused the session' : 'rejected session.update';
      this.setupFailed(new AdapterError(`${VENDOR} ${what}: ${err.message ?? 'no message'}${auth ? ` (check ${OPENAI_KEY_ENV})` : ''}`, 'config'));
      return;
    }
    if (this.phase === 'await_created' && ev.type === 'session.created') {
      const session = (ev.session ?? {}) as { type?: string };
      if (session.type !== 'realtime') {
        this.setupFailed(
          new AdapterError(
            `beta protocol: session.created has no session.type 'realtime'; use a GA model and endpoint, without the OpenAI-Beta header`,
            'protocol',
          ),
        );
        return;
      }
      this.phase = 'await_updated';
      this.sendJson({ type: 'session.update', session: sessionConfig(this.o) });
      return;
    }
    if (this.phase === 'await_updated' && ev.type === 'session.updated') {
      this.phase = 'live';
      this.setupDone();
    }
    this.emit({ type: 'vendor', name: ev.type, payload: vendorPayload(ev) });
  }

  private dispatch(ev: ServerEvent): void {
    switch (ev.type) {
      case 'response.output_audio.delta':
        this.audioDelta(ev);
        return;
      case 'response.output_audio_transcript.delta':
        this.emit({ type: 'transcript', role: 'agent', text: String(ev.delta ?? ''), final: false });
        return;
      case 'response.output_audio_transcript.done':
        this.emit({ type: 'transcript', role: 'agent', text: String(ev.transcript ?? ''), final: true });
        return;
      case 'conversation.item.input_audio_transcription.delta':
        this.emit({ type: 'transcript', role: 'user', text: String(ev.delta ?? ''), final: false });
        return;
      case 'conversation.item.input_audio_transcription.completed':
        this.emit({ type: 'transcript', role: 'user', text: String(ev.transcript ?? ''), final: true });
        return;
      case 'error': {
        const err = (ev.error ?? {}) as RealtimeErrorBody;
        // The Realtime API keeps the session open after an error event: recoverable.
        this.emit({ type: 'error', message: `${VENDOR} error: ${err.message ?? 'no message'}`, recoverable: true, code: err.code ?? err.type ?? undefined });
        return;
      }
    }
    this.emit({ type: 'vendor', name: ev.type, payload: vendorPayload(ev) });
    if (ev.type === 'input_audio_buffer.speech_started') this.interrupt('input_audio_buffer.speech_started');
    else if (ev.type === 'response.created') this.responseActive = true;
    else if (ev.type === 'response.done') this.responseActive = false;
  }

  private audioDelta(ev: ServerEvent): void {
    const itemId = String(ev.item_id ?? '');
    let pcm: Int16Array;
    try {
      pcm = base64ToPcm16(String(ev.delta ?? ''));
    } catch (e) {
      this.emit({ type: 'error', message: `${VENDOR}: bad audio delta: ${this.redactor.errorMessage(e)}`, recoverable: true, code: 'bad_audio' });
      return;
    }
    const ms = pcmDurationMs(pcm.length, SAMPLE_RATE);
    if (this.ledger.isCut(itemId)) {
      // In flight when the user interrupted: the vendor's own client drops it too.
      this.droppedAfterCutMs += ms;
      return;
    }
    this.ledger.audio(itemId, Number(ev.content_index ?? 0), ms);
    this.emit({ type: 'audio', pcm, sampleRate: SAMPLE_RATE });
  }

  /** The user started speaking: cut what is playing (the runner flushes, then playoutFlushed). */
  private interrupt(reason: string): void {
    if (this.o.turnDetection === 'none' && this.responseActive) this.sendJson({ type: 'response.cancel' });
    if (!this.ledger.hasAudio) return;
    this.ledger.interrupt();
    this.emit({ type: 'interrupted', reason });
  }

  sendAudio(pcm: Int16Array): void {
    if (this.phase !== 'live' || this.closing) return;
    this.sendJson({ type: 'input_audio_buffer.append', audio: pcm16ToBase64(pcm) });
    if (this.o.turnDetection !== 'none') return;
    this.uncommittedMs += pcmDurationMs(pcm.length, SAMPLE_RATE);
    for (const t of this.localVad?.push(pcm) ?? []) {
      if (t.type === 'onset') this.interrupt('local VAD speech start');
      else this.commitTurn();
    }
  }

  /** turnDetection none: the user's turn ended; commit it and ask for a response. */
  private commitTurn(): void {
    if (this.uncommittedMs < MIN_COMMIT_MS || this.closing) return;
    this.sendJson({ type: 'input_audio_buffer.commit' });
    this.sendJson({ type: 'response.create' });
    this.uncommittedMs = 0;
  }

  observeTruth(event: TruthEvent): void {
    if (this.o.turnDetection !== 'none' || this.o.manualCommit !== 'truth' || event.type !== 'user_turn_end') return;
    this.ctx.clock.at(event.endMs, () => this.commitTurn());
  }

  playoutFlushed(flush: PlayoutFlush): void {
    for (const t of this.ledger.flush(flush.playedMs)) {
      this.sendJson({ type: 'conversation.item.truncate', item_id: t.itemId, content_index: t.contentIndex, audio_end_ms: t.audioEndMs });
    }
    if (this.droppedAfterCutMs > 0) {
      this.emit({ type: 'vendor', name: 'client.dropped_after_interrupt', payload: { droppedMs: this.droppedAfterCutMs } });
      this.droppedAfterCutMs = 0;
    }
  }
}
