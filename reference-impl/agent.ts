/**
 * The reference duplex agent: a deterministic, frame-stepped core. Each 20 ms of user audio in
 * gives the next 20 ms of agent audio out (or null while it is silent) and what happened. It
 * has no clock of its own, so it runs the same in virtual time and behind the server.
 */
import { FRAME_SAMPLES } from './frames.ts';
import { EnergyVad, type VoiceActivityDetector } from './perception/vad.ts';
import { PitchTracker } from './perception/pitch.ts';
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
  policy?: PolicyConfig;
  /** Swap the voice activity detector (default: the energy detector). */
  vad?: VoiceActivityDetector;
}

interface Playing {
  phrase: Phrase;
  kind: Exclude<AgentActivity, 'silent'>;
  /** Next sample to play. */
  pos: number;
}

export class ReferenceAgent {
  private readonly bank: VoiceBank;
  private readonly vad: VoiceActivityDetector;
  private readonly pitch = new PitchTracker();
  private readonly policy: TurnPolicy;
  private playing: Playing | null = null;
  private answersGiven = 0;
  private backchannelsGiven = 0;

  constructor(opts: ReferenceAgentOptions) {
    if (opts.bank.answers.length === 0 || opts.bank.backchannels.length === 0) {
      throw new Error('ReferenceAgent: the voice bank needs at least one answer and one backchannel');
    }
    this.bank = opts.bank;
    this.vad = opts.vad ?? new EnergyVad();
    this.policy = new TurnPolicy(opts.policy ?? DEFAULT_POLICY);
  }

  /** One 20 ms frame (320 samples at 16 kHz) of user audio. */
  step(userFrame: Int16Array): StepResult {
    if (userFrame.length !== FRAME_SAMPLES) {
      throw new RangeError(`ReferenceAgent.step takes ${FRAME_SAMPLES} samples (20 ms at 16 kHz), got ${userFrame.length}`);
    }
    const v = this.vad.process(userFrame);
    const p = this.pitch.process(userFrame);
    const decision = this.policy.step(
      { speech: v.speech, levelDbfs: v.levelDbfs, floorDbfs: v.floorDbfs, pitchHz: v.speech ? p.hz : null },
      this.playing?.kind ?? 'silent',
    );
    const events: AgentEvent[] = [];
    if (decision) {
      events.push({ type: 'decision', decision });
      this.act(decision, events);
    }
    return { out: this.nextFrame(), events };
  }

  private act(d: Decision, events: AgentEvent[]): void {
    if (d.kind === 'barge_in') {
      this.playing = null;
      events.push({ type: 'interrupted' });
      return;
    }
    const phrase =
      d.kind === 'answer'
        ? this.bank.answers[this.answersGiven++ % this.bank.answers.length]
        : this.bank.backchannels[this.backchannelsGiven++ % this.bank.backchannels.length];
    this.playing = { phrase, kind: d.kind, pos: 0 };
    events.push({ type: 'transcript', text: phrase.text, final: true });
  }

  private nextFrame(): Int16Array | null {
    const p = this.playing;
    if (!p) return null;
    const out = p.phrase.pcm.subarray(p.pos, p.pos + FRAME_SAMPLES);
    p.pos += FRAME_SAMPLES;
    if (p.pos >= p.phrase.pcm.length) this.playing = null;
    return out;
  }
}
