/**
 * The reference duplex agent: a deterministic, frame-stepped core. Each 20 ms of user audio in
 * gives the next 20 ms of agent audio out (or null while it is silent) and what happened. It
 * has no clock of its own, so it runs the same in virtual time and behind the server; `step`
 * is async only because the neural VAD runs through onnxruntime (batched across sessions).
 */
import { Errands } from './errands/errands.ts';
import { FRAME_SAMPLES } from './frames.ts';
import type { KeywordSpotter } from './perception/keywords/spotter.ts';
import type { OnsetClassifier } from './perception/keywords/onset-words.ts';
import { Listener } from './perception/listener.ts';
import { NeuralVad } from './perception/neural-vad.ts';
import { OnsetListener } from './perception/onset-listener.ts';
import { PitchTracker } from './perception/pitch.ts';
import { SileroStream, type SileroBatcher } from './perception/silero.ts';
import { endOfTurnModel, type EndOfTurnModel } from './perception/turn-end.ts';
import { LexicalEar } from './perception/lexical/lexical-ear.ts';
import type { Recognizer } from './perception/lexical/recognizer.ts';
import { DEFAULT_POLICY, LEXICAL_CHECK_MS, TurnPolicy, type AgentActivity, type Decision, type PolicyConfig } from './policy.ts';
import type { VoiceBank } from './voice-bank.ts';
import { sharedTtsThread, type TtsThread } from './speech/tts-thread.ts';
import { phraseUtterance, streamedUtterance, type Utterance } from './speech/utterance.ts';
import { VisualReaction, type ReactDecision } from './visual-reaction.ts';

export type AgentEvent =
  /** The agent cut its own answer because the user barged in. */
  | { type: 'interrupted' }
  /**
   * What the agent said, once per utterance: with its last frame, or when it is cut by a barge-in
   * or replaced, the text it played whole (Utterance.said); never words it did not play.
   */
  | { type: 'transcript'; text: string; final: boolean }
  /** Why it acted: the policy's decision with the cues behind it. */
  | { type: 'decision'; decision: Decision | ReactDecision };

interface StepResult {
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
  /** Speech synthesis for lines made from the conversation. Default: one thread per process. */
  tts?: TtsThread;
  /** Tells backchannels from bids by their first words; needed by a policy with judgeOnsetWords. */
  onset?: OnsetClassifier;
  /** Hears the user's words (the lexical ear); needed by a policy with a lexical rule. */
  recognizer?: Recognizer;
}

interface Playing {
  utterance: Utterance;
  kind: 'backchannel' | 'answer' | 'react';
  held: boolean;
  /** While held: null, silent; else the gain (linear) it plays on at. */
  heldGain: number | null;
  /** Its transcript has been reported. */
  reported: boolean;
}

export class ReferenceAgent {
  private readonly bank: VoiceBank;
  private readonly listener: Listener;
  private readonly policy: TurnPolicy;
  private readonly onsetEar: OnsetListener | null;
  private readonly lexicalEar: LexicalEar | null;
  private readonly visual = new VisualReaction();
  private readonly errands: Errands | null;
  /** Synthesizes what is not in the bank (errand lines); the process's thread unless given. */
  private readonly tts: TtsThread | undefined;
  private playing: Playing | null = null;
  private answersGiven = 0;
  private backchannelsGiven = 0;
  private reactionsGiven = 0;

  constructor(opts: ReferenceAgentOptions) {
    if (opts.bank.answers.length === 0 || opts.bank.backchannels.length === 0 || opts.bank.reactions.length === 0) {
      throw new Error('ReferenceAgent: the voice bank needs at least one answer, one backchannel and one reaction');
    }
    this.bank = opts.bank;
    this.listener = new Listener(new NeuralVad(new SileroStream(opts.silero)), new PitchTracker());
    const policy = opts.policy ?? DEFAULT_POLICY;
    if (policy.judgeOnsetWords && !opts.onset)
      throw new Error('ReferenceAgent: a policy that judges onset words needs the onset classifier (bundledOnsetClassifier())');
    this.onsetEar = policy.judgeOnsetWords && opts.onset ? new OnsetListener(opts.onset) : null;
    if (policy.lexical && !opts.recognizer) throw new Error('ReferenceAgent: a policy with a lexical rule needs the recognizer (sharedRecognizer())');
    this.lexicalEar = policy.lexical && opts.recognizer ? new LexicalEar(opts.recognizer, LEXICAL_CHECK_MS) : null;
    this.policy = new TurnPolicy(opts.endOfTurn ?? endOfTurnModel(policy.endOfTurn), policy, this.onsetEar, this.lexicalEar);
    this.errands = opts.spotter ? new Errands(opts.spotter) : null;
    this.tts = opts.tts;
  }

  /** One 20 ms frame (320 samples at 16 kHz) of user audio. */
  async step(userFrame: Int16Array): Promise<StepResult> {
    if (userFrame.length !== FRAME_SAMPLES) {
      throw new RangeError(`ReferenceAgent.step takes ${FRAME_SAMPLES} samples (20 ms at 16 kHz), got ${userFrame.length}`);
    }
    const heard = await this.listener.hear(userFrame);
    this.errands?.hear(userFrame, heard.speech);
    this.onsetEar?.hear(userFrame, heard.speech);
    // Awaited only when there is one: the step stays as it was without the lexical ear.
    if (this.lexicalEar) await this.lexicalEar.hear(userFrame, heard.speech);
    const turn = this.policy.step(heard, this.activity());
    if (turn === null) this.errands?.answerDueIn(this.policy.answerDueInMs());
    // Stepped every frame (its clock); it may speak only when nothing else is said.
    const react = this.visual.step(heard.speech, turn === null && this.playing === null);
    const decision = turn ?? react;
    const events: AgentEvent[] = [];
    if (decision) {
      events.push({ type: 'decision', decision });
      await this.act(decision, events);
    }
    const due = this.playing ? null : this.errands?.due();
    if (due) this.say(this.streamed(due), 'answer', events);
    return { out: await this.nextFrame(events), events };
  }

  /** The session is over: what it holds outside this process (its decoder in the recognizer) is dropped. */
  close(): void {
    this.lexicalEar?.close();
  }

  /** One JPEG video frame; it takes effect at the next step. Returns why it was unusable (skipped), or null. */
  see(jpeg: Uint8Array): string | null {
    return this.visual.see(jpeg);
  }

  private activity(): AgentActivity {
    const p = this.playing;
    // A reaction is as short as a backchannel: the turn policy listens through it the same way.
    return p === null ? 'silent' : p.held ? 'held' : p.kind === 'react' ? 'backchannel' : p.kind;
  }

  private async act(d: Decision | ReactDecision, events: AgentEvent[]): Promise<void> {
    switch (d.kind) {
      case 'hold':
        if (this.playing) {
          this.playing.held = true;
          this.playing.heldGain = d.gainDb === null ? null : 10 ** (d.gainDb / 20);
        }
        return;
      case 'resume':
        if (this.playing) this.playing.held = false;
        return;
      case 'barge_in':
      case 'yield':
        this.report(events);
        this.playing = null;
        events.push({ type: 'interrupted' });
        return;
      case 'answer': {
        this.lexicalEar?.newTurn();
        const errand = await this.errands?.reply(d.silenceMs);
        this.say(errand ? this.streamed(errand) : phraseUtterance(this.bank.answers[this.answersGiven++ % this.bank.answers.length]), 'answer', events);
        return;
      }
      case 'backchannel':
        this.say(phraseUtterance(this.bank.backchannels[this.backchannelsGiven++ % this.bank.backchannels.length]), 'backchannel', events);
        return;
      case 'react':
        this.say(phraseUtterance(this.bank.reactions[this.reactionsGiven++ % this.bank.reactions.length]), 'react', events);
    }
  }

  /** A line made from the conversation, synthesized as it is spoken. */
  private streamed(text: string): Utterance {
    return streamedUtterance(text, this.tts ?? sharedTtsThread());
  }

  private say(utterance: Utterance, kind: Playing['kind'], events: AgentEvent[]): void {
    this.report(events);
    this.playing = { utterance, kind, held: false, heldGain: null, reported: false };
  }

  /** Report, once, what of the current utterance was said: all of it with its last frame, what was played whole when it is cut or replaced. */
  private report(events: AgentEvent[]): void {
    const p = this.playing;
    if (!p || p.reported) return;
    p.reported = true;
    const said = p.utterance.said();
    if (said) events.push({ type: 'transcript', text: said, final: true });
  }

  private async nextFrame(events: AgentEvent[]): Promise<Int16Array | null> {
    const p = this.playing;
    if (!p || (p.held && p.heldGain === null)) return null;
    const out = await p.utterance.nextFrame();
    if (out === null) {
      this.playing = null;
      return null;
    }
    if (p.utterance.finished) this.report(events);
    const gain = p.held ? p.heldGain : null;
    return gain === null ? out : Int16Array.from(out, (v) => Math.round(v * gain));
  }
}
