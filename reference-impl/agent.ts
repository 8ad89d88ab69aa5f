/**
 * The reference duplex agent: a deterministic, frame-stepped core. Each 20 ms of user audio in
 * gives the next 20 ms of agent audio out (or null while it is silent) and what happened. It
 * has no clock of its own, so it runs the same in virtual time and behind the server; `step`
 * is async only because the neural VAD runs through onnxruntime (batched across sessions).
 */
import { Errands } from './errands/errands.ts';
import { FRAME_SAMPLES } from './frames.ts';
import type { KeywordSpotter } from './perception/keywords/spotter.ts';
import { Listener } from './perception/listener.ts';
import { NeuralVad } from './perception/neural-vad.ts';
import { PitchTracker } from './perception/pitch.ts';
import { SileroStream, type SileroBatcher } from './perception/silero.ts';
import { bundledEndOfTurnModel, type EndOfTurnModel } from './perception/turn-end.ts';
import { DEFAULT_POLICY, TurnPolicy, type AgentActivity, type Decision, type PolicyConfig } from './policy.ts';
import type { Phrase, VoiceBank } from './voice-bank.ts';

export type AgentEvent =
  /** The agent cut its own answer because the user barged in. */
  | { type: 'interrupted' }
  /** What the agent is about to say (the whole phrase, when it starts saying it). */
  | { type: 'transcript'; text: string; final: boolean }
  /** Why it acted: the policy's decision with the cues behind it. */
  | { type: 'decision'; decision: Decision };

export interface StepResult {
  out: Int16Array | null;
  events: AgentEvent[];
}

export interface ReferenceAgentOptions {
  bank: VoiceBank;
  /** Runs Silero for this agent (shared by every session of a process: it batches). */
  silero: SileroBatcher;
  policy?: PolicyConfig;
  /** Default: the bundled end-of-turn model. */
  endOfTurn?: EndOfTurnModel;
  /** Hears timed requests and slow tasks in finished turns; without it the agent takes none. */
  spotter?: KeywordSpotter;
}

interface Playing {
  phrase: Phrase;
  kind: 'backchannel' | 'answer';
  /** Next sample to play. */
  pos: number;
  held: boolean;
}

export class ReferenceAgent {
  private readonly bank: VoiceBank;
  private readonly listener: Listener;
  private readonly policy: TurnPolicy;
  private readonly errands: Errands | null;
  private playing: Playing | null = null;
  private answersGiven = 0;
  private backchannelsGiven = 0;

  constructor(opts: ReferenceAgentOptions) {
    if (opts.bank.answers.length === 0 || opts.bank.backchannels.length === 0) {
      throw new Error('ReferenceAgent: the voice bank needs at least one answer and one backchannel');
    }
    this.bank = opts.bank;
    this.listener = new Listener(new NeuralVad(new SileroStream(opts.silero)), new PitchTracker());
    this.policy = new TurnPolicy(opts.endOfTurn ?? bundledEndOfTurnModel(), opts.policy ?? DEFAULT_POLICY);
    this.errands = opts.spotter ? new Errands(opts.spotter, opts.bank.errands) : null;
  }

  /** One 20 ms frame (320 samples at 16 kHz) of user audio. */
  async step(userFrame: Int16Array): Promise<StepResult> {
    if (userFrame.length !== FRAME_SAMPLES) {
      throw new RangeError(`ReferenceAgent.step takes ${FRAME_SAMPLES} samples (20 ms at 16 kHz), got ${userFrame.length}`);
    }
    const heard = await this.listener.hear(userFrame);
    this.errands?.hear(userFrame, heard.speech);
    const decision = this.policy.step(heard, this.activity());
    const events: AgentEvent[] = [];
    if (decision) {
      events.push({ type: 'decision', decision });
      this.act(decision, events);
    }
    const due = this.playing ? null : this.errands?.due();
    if (due) this.say(due, 'answer', events);
    return { out: this.nextFrame(), events };
  }

  private activity(): AgentActivity {
    const p = this.playing;
    return p === null ? 'silent' : p.held ? 'held' : p.kind;
  }

  private act(d: Decision, events: AgentEvent[]): void {
    switch (d.kind) {
      case 'hold':
      case 'resume':
        if (this.playing) this.playing.held = d.kind === 'hold';
        return;
      case 'barge_in':
      case 'yield':
        this.playing = null;
        events.push({ type: 'interrupted' });
        return;
      case 'answer':
        this.say(this.errands?.reply(d.silenceMs) ?? this.bank.answers[this.answersGiven++ % this.bank.answers.length], 'answer', events);
        return;
      case 'backchannel':
        this.say(this.bank.backchannels[this.backchannelsGiven++ % this.bank.backchannels.length], 'backchannel', events);
    }
  }

  private say(phrase: Phrase, kind: Playing['kind'], events: AgentEvent[]): void {
    this.playing = { phrase, kind, pos: 0, held: false };
    events.push({ type: 'transcript', text: phrase.text, final: true });
  }

  private nextFrame(): Int16Array | null {
    const p = this.playing;
    if (!p || p.held) return null;
    const out = p.phrase.pcm.subarray(p.pos, p.pos + FRAME_SAMPLES);
    p.pos += FRAME_SAMPLES;
    if (p.pos >= p.phrase.pcm.length) this.playing = null;
    return out;
  }
}
