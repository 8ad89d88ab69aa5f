/**
 * When the reference agent speaks, backchannels, holds and yields: a frame-stepped state
 * machine over what perception reports. It decides; the agent acts (plays, holds, cuts).
 *
 * - End of turn: when the user's speech stops, the end-of-turn model (prosody: final fall or
 *   rise, pitch slope, level, final lengthening, turn length) gives the probability that the
 *   turn is over; the silence the agent waits for follows from it: short when the turn
 *   sounds finished, long when it sounds like a hesitation inside it.
 * - Backchannel: at a longer pause that sounds mid-turn, inside a long user turn, at most
 *   once per pause and only after enough user speech since the last one.
 * - Barge-in: user speech over the agent's answer holds the answer at once (the user hears
 *   it stop); after a short look at the burst the agent either drops the answer (a barge-in)
 *   or resumes where it held (a backchannel), soon enough that a listener hears one continuous
 *   answer with a short dip. A backchannel is a burst that has already ended by then (the
 *   acoustic cues tried for telling a longer "mm-hmm" from the first word of a barge-in, such
 *   as its pitch fall, did not carry over from our own voices to the suite's). A second burst
 *   right after a resumed one, or a resumed one that goes on, is a barge-in after all.
 */
import { FRAME_MS } from './frames.ts';
import type { Heard } from './perception/listener.ts';
import { Burst } from './perception/burst.ts';
import { TurnTracker, type TurnFeatures } from './perception/turn-end.ts';

/** What the policy needs of the end-of-turn model. */
export interface EndOfTurnEstimator {
  probability(f: TurnFeatures): number;
}

export interface PolicyConfig {
  /** Less speech than this in a turn is not a turn (a cough, a click). */
  minTurnSpeechMs: number;
  /** End-of-turn probability at or above which the turn sounds finished... */
  finishedProbability: number;
  /** ...and the silence then needed. */
  finishedSilenceMs: number;
  /** Probability at or above which the turn may be finished... */
  maybeProbability: number;
  /** ...and the silence then needed. */
  maybeSilenceMs: number;
  /** Silence needed after a turn that sounds unfinished: longer than a long hesitation. */
  holdingSilenceMs: number;
  /** A pause this long inside a turn may get a backchannel... */
  backchannelSilenceMs: number;
  /** ...if the user has spoken this much since the turn began or the last backchannel. */
  backchannelEverySpeechMs: number;
  /** User speech over an answer for this long holds the answer. */
  holdAfterSpeechMs: number;
  /** Held this long, the agent decides: barge-in if the user is still talking, else resume. */
  decideAfterHoldMs: number;
  /** The burst has ended when the user has been silent this long (resume early)... */
  burstEndSilenceMs: number;
  /** ...and is over for good (a later one is a new burst) after this long. */
  burstGapMs: number;
  /** A resumed burst that lasts this long was not a backchannel. */
  maxBackchannelMs: number;
  /** A burst starting within this long of a resumed one's end is a barge-in at once. */
  secondBurstWindowMs: number;
}

export const DEFAULT_POLICY: PolicyConfig = {
  minTurnSpeechMs: 200,
  finishedProbability: 0.5,
  finishedSilenceMs: 200,
  maybeProbability: 0.2,
  maybeSilenceMs: 420,
  holdingSilenceMs: 2600,
  backchannelSilenceMs: 400,
  backchannelEverySpeechMs: 4000,
  holdAfterSpeechMs: 40,
  decideAfterHoldMs: 240,
  burstEndSilenceMs: 60,
  burstGapMs: 160,
  maxBackchannelMs: 900,
  secondBurstWindowMs: 1000,
};

/** What the agent is doing as the frame arrives. */
export type AgentActivity = 'silent' | 'backchannel' | 'answer' | 'held';

export type Decision =
  | { kind: 'answer'; silenceMs: number; requiredSilenceMs: number; endOfTurnProbability: number; turnSpeechMs: number; features: TurnFeatures }
  | { kind: 'backchannel'; silenceMs: number; turnSpeechMs: number }
  | { kind: 'hold'; burstSpeechMs: number }
  | { kind: 'resume'; heldMs: number; burstSpeechMs: number }
  | { kind: 'barge_in'; heldMs: number; burstSpeechMs: number };

export class TurnPolicy {
  private readonly turn = new TurnTracker();
  /** Silence since the user's last speech frame. */
  private silenceMs = 0;
  /** Required silence, fixed from the cues when the current silence began. */
  private requiredSilenceMs = Infinity;
  private endOfTurnProbability = 0;
  private features: TurnFeatures | undefined;
  private speechSinceBackchannelMs = 0;
  private backchannelledThisPause = false;
  /** The user's current burst over the answer (null: none). */
  private burst: Burst | null = null;
  /** The current burst was let go as a backchannel. */
  private resumed = false;
  private heldMs = 0;
  /** Time since a resumed burst ended (Infinity: none recently). */
  private sinceResumedBurstMs = Infinity;

  constructor(
    private readonly model: EndOfTurnEstimator,
    private readonly cfg: PolicyConfig = DEFAULT_POLICY,
  ) {}

  step(f: Heard, agent: AgentActivity): Decision | null {
    switch (agent) {
      case 'answer':
        return this.whileAnswering(f);
      case 'held':
        return this.whileHeld(f);
      default:
        return this.whileListening(f);
    }
  }

  private whileListening(f: Heard): Decision | null {
    if (f.speech) {
      this.hearSpeech(f);
      return null;
    }
    this.turn.silence();
    this.silenceMs += FRAME_MS;
    if (this.turn.speechMs() < this.cfg.minTurnSpeechMs) return null;
    if (this.requiredSilenceMs === Infinity) this.judgeCues();
    if (this.silenceMs >= this.requiredSilenceMs) {
      const d: Decision = {
        kind: 'answer',
        silenceMs: this.silenceMs,
        requiredSilenceMs: this.requiredSilenceMs,
        endOfTurnProbability: this.endOfTurnProbability,
        turnSpeechMs: this.turn.speechMs(),
        features: this.features!,
      };
      this.newTurn();
      // A new answer starts with no burst over it.
      this.burst = null;
      this.resumed = false;
      this.sinceResumedBurstMs = Infinity;
      return d;
    }
    if (
      this.silenceMs >= this.cfg.backchannelSilenceMs &&
      this.endOfTurnProbability < this.cfg.maybeProbability &&
      !this.backchannelledThisPause &&
      this.speechSinceBackchannelMs >= this.cfg.backchannelEverySpeechMs
    ) {
      this.backchannelledThisPause = true;
      this.speechSinceBackchannelMs = 0;
      return { kind: 'backchannel', silenceMs: this.silenceMs, turnSpeechMs: this.turn.speechMs() };
    }
    return null;
  }

  private whileAnswering(f: Heard): Decision | null {
    if (!f.speech) {
      this.turn.silence();
      this.silenceMs += FRAME_MS;
      this.burstSilence();
      return null;
    }
    this.hearSpeech(f);
    if (!this.burst) {
      this.burst = new Burst();
      this.resumed = false;
      this.heldMs = 0;
    }
    this.burst.speech(FRAME_MS);
    if (this.resumed) return this.burst.speechMs >= this.cfg.maxBackchannelMs ? this.bargeIn() : null;
    if (this.sinceResumedBurstMs <= this.cfg.secondBurstWindowMs) return this.bargeIn();
    if (this.burst.speechMs >= this.cfg.holdAfterSpeechMs) return { kind: 'hold', burstSpeechMs: this.burst.speechMs };
    return null;
  }

  private whileHeld(f: Heard): Decision | null {
    const burst = this.burst ?? new Burst();
    this.burst = burst;
    this.heldMs += FRAME_MS;
    if (f.speech) {
      this.hearSpeech(f);
      burst.speech(FRAME_MS);
    } else {
      this.turn.silence();
      this.silenceMs += FRAME_MS;
      burst.silence(FRAME_MS);
    }
    const ended = burst.silenceMs >= this.cfg.burstEndSilenceMs;
    if (!ended) return this.heldMs >= this.cfg.decideAfterHoldMs ? this.bargeIn() : null;
    // A backchannel: not a turn; the answer goes on.
    const d: Decision = { kind: 'resume', heldMs: this.heldMs, burstSpeechMs: burst.speechMs };
    this.resumed = true;
    this.newTurn();
    return d;
  }

  private burstSilence(): void {
    const b = this.burst;
    if (!b) {
      this.sinceResumedBurstMs += FRAME_MS;
      return;
    }
    b.silence(FRAME_MS);
    if (b.silenceMs < this.cfg.burstGapMs) return;
    this.sinceResumedBurstMs = this.resumed ? b.silenceMs : Infinity;
    this.burst = null;
    this.resumed = false;
  }

  private bargeIn(): Decision {
    // The burst's speech stays in the turn tracker: it is the start of the user's new turn.
    const d: Decision = { kind: 'barge_in', heldMs: this.heldMs, burstSpeechMs: this.burst?.speechMs ?? 0 };
    this.burst = null;
    this.resumed = false;
    this.heldMs = 0;
    this.sinceResumedBurstMs = Infinity;
    return d;
  }

  private hearSpeech(f: Heard): void {
    this.turn.speech({ levelDbfs: f.levelDbfs, pitchHz: f.pitchHz });
    this.speechSinceBackchannelMs += FRAME_MS;
    this.silenceMs = 0;
    this.requiredSilenceMs = Infinity;
    this.backchannelledThisPause = false;
  }

  /** At the first silent frame of a turn's silence: how long this silence must last to end the turn. */
  private judgeCues(): void {
    const c = this.cfg;
    this.features = this.turn.features();
    const p = this.model.probability(this.features);
    this.endOfTurnProbability = p;
    this.requiredSilenceMs = p >= c.finishedProbability ? c.finishedSilenceMs : p >= c.maybeProbability ? c.maybeSilenceMs : c.holdingSilenceMs;
  }

  private newTurn(): void {
    this.turn.reset();
    this.speechSinceBackchannelMs = 0;
    this.backchannelledThisPause = false;
    this.requiredSilenceMs = Infinity;
    this.endOfTurnProbability = 0;
  }
}
