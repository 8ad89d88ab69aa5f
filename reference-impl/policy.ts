/**
 * When the reference agent speaks, backchannels, holds and yields: a frame-stepped state
 * machine over what perception reports. It decides; the agent acts (plays, holds, cuts).
 *
 * - End of turn: when the user's speech stops, the end-of-turn model (prosody: final fall or
 *   rise, pitch slope, level, final lengthening, turn length) gives the probability that the
 *   turn is over; the silence the agent waits for follows from it: short when the turn
 *   sounds finished, long when it sounds like a hesitation inside it.
 * - False start: if the user goes on talking just after the agent began an answer (the pause
 *   was not the turn's end after all), the agent yields at once, as people do when both start
 *   together, and waits longer (continuingSilenceMs) for the rest of that turn.
 * - Backchannel: at a longer pause that sounds mid-turn, inside a long user turn, at most
 *   once per pause and only after enough user speech since the last one.
 * - Barge-in: user speech over the agent's answer is gathered into one burst (gaps under
 *   burstWindowMs stay inside it: the comma after "Wait," or the break inside "mm-hmm").
 *   Once the burst has holdAfterSpeechMs of speech, or the user still talks holdAfterElapsedMs
 *   after it began ("Stop, stop."), the answer is held (the user hears it stop); decideAfterHoldMs later the agent drops the answer if the user is still talking (a
 *   barge-in) or resumes where it held if the burst has ended (a backchannel), soon enough
 *   that a listener hears one answer with a dip. A resumed burst that goes on (the user only
 *   paused after "Wait,") is a barge-in after all. The turn a barge-in opens waits
 *   continuingSilenceMs at its pauses, as after a false start ("Sorry to jump in, could you...").
 *   Acoustics alone cannot tell a 400-600 ms "mm-hmm" from the first 200 ms of a barge-in
 *   (no level, pitch-fall or duration cue carried over from our voices to the suite's), so
 *   holdAfterSpeechMs is a choice: the default waits out a backchannel (few false stops,
 *   stop ~0.6 s); FAST_YIELD_POLICY holds at once (stop ~0.15 s, most backchannels stop it).
 *   A spectral classifier of the burst's first 200 ms (log-mel slices into a small perceptron,
 *   trained on 14 voices outside the suite; kept on the branch study/backchannel-classifier)
 *   reached 0.08 false stops with a 40 ms stop on held-out voices, but on scenarios/core gave
 *   stop p50 373 ms, stop rate 0.83 and false stops 0.20: worse than waiting, so not used.
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
  /** User speech this soon after the agent began an answer makes it yield at once... */
  falseStartWindowMs: number;
  /** ...and the turn then needs this much silence even when it sounds finished. */
  continuingSilenceMs: number;
  /** A pause this long inside a turn may get a backchannel... */
  backchannelSilenceMs: number;
  /** ...if the user has spoken this much since the turn began or the last backchannel. */
  backchannelEverySpeechMs: number;
  /** User speech over an answer for this long holds the answer. */
  holdAfterSpeechMs: number;
  /** ...or once the user is still talking this long after the burst began (gaps included). */
  holdAfterElapsedMs: number;
  /** Held this long, the agent decides: barge-in if the user is still talking, else resume. */
  decideAfterHoldMs: number;
  /** A held burst has ended when the user has been silent this long (resume). */
  burstEndSilenceMs: number;
  /** A burst is over after this long without speech; later speech starts a new one. */
  burstWindowMs: number;
  /** A resumed burst that goes on for this much more speech was not a backchannel (one word). */
  moreAfterResumeMs: number;
}

export const DEFAULT_POLICY: PolicyConfig = {
  minTurnSpeechMs: 200,
  finishedProbability: 0.5,
  finishedSilenceMs: 200,
  maybeProbability: 0.2,
  maybeSilenceMs: 420,
  holdingSilenceMs: 2600,
  falseStartWindowMs: 800,
  continuingSilenceMs: 420,
  backchannelSilenceMs: 400,
  backchannelEverySpeechMs: 4000,
  holdAfterSpeechMs: 400,
  holdAfterElapsedMs: 700,
  decideAfterHoldMs: 260,
  burstEndSilenceMs: 60,
  burstWindowMs: 1000,
  moreAfterResumeMs: 60,
};

/** Speech that is surely the user's (two frames), for yielding without a look at it. */
const FAST_HOLD_MS = 40;

/** Yields at once on any speech over its answer (see the file comment for the trade-off). */
export const FAST_YIELD_POLICY: PolicyConfig = { ...DEFAULT_POLICY, holdAfterSpeechMs: FAST_HOLD_MS, decideAfterHoldMs: 240 };

/** How the agent meets speech over its answer, by name (`--barge-in`, `barge_in=`): patient is the default. */
export const BARGE_IN_POLICIES = { patient: DEFAULT_POLICY, fast: FAST_YIELD_POLICY } as const;
export type BargeIn = keyof typeof BARGE_IN_POLICIES;
export const BARGE_INS = Object.keys(BARGE_IN_POLICIES) as BargeIn[];
/** What the choice means, measured on scenarios/core (reference-impl/README.md): for --help and errors. */
export const BARGE_IN_HELP = 'patient waits out a short "mm-hmm" (stop p50 ~0.66 s, 1/12 backchannels stop it); fast stops at once (~0.16 s) but 9/11 backchannels stop it too';

/** What the agent is doing as the frame arrives. */
export type AgentActivity = 'silent' | 'backchannel' | 'answer' | 'held';

export type Decision =
  | { kind: 'answer'; silenceMs: number; requiredSilenceMs: number; endOfTurnProbability: number; turnSpeechMs: number; features: TurnFeatures }
  | { kind: 'backchannel'; silenceMs: number; turnSpeechMs: number }
  | { kind: 'yield'; answerMs: number }
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
  /** The burst's speech when it was let go. */
  private resumedAtSpeechMs = 0;
  private heldMs = 0;
  /** Time since the current answer began. */
  private answerMs = 0;
  /** The user went on after a false start in this turn. */
  private continuing = false;

  constructor(
    private readonly model: EndOfTurnEstimator,
    private readonly cfg: PolicyConfig = DEFAULT_POLICY,
  ) {}

  step(f: Heard, agent: AgentActivity): Decision | null {
    if (agent === 'answer' || agent === 'held') {
      this.answerMs += FRAME_MS;
      // Past the window, the answer was a real turn: the user's next turn starts afresh.
      if (this.answerMs > this.cfg.falseStartWindowMs) this.continuing = false;
    }
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
      this.answerMs = 0;
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
    }
    this.burst.speech(FRAME_MS);
    if (this.answerMs <= this.cfg.falseStartWindowMs && this.burst.speechMs >= FAST_HOLD_MS) {
      this.burst = null;
      this.continuing = true;
      return { kind: 'yield', answerMs: this.answerMs };
    }
    if (this.resumed) return this.burst.speechMs >= this.resumedAtSpeechMs + this.cfg.moreAfterResumeMs ? this.bargeIn() : null;
    if (this.burst.speechMs >= this.cfg.holdAfterSpeechMs || this.burst.elapsedMs >= this.cfg.holdAfterElapsedMs) {
      this.heldMs = 0;
      return { kind: 'hold', burstSpeechMs: this.burst.speechMs };
    }
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
    this.resumedAtSpeechMs = burst.speechMs;
    this.newTurn();
    return d;
  }

  private burstSilence(): void {
    const b = this.burst;
    if (!b) return;
    b.silence(FRAME_MS);
    if (b.silenceMs < this.cfg.burstWindowMs) return;
    // A burst the answer went on through was a backchannel, not the start of a turn to answer.
    this.burst = null;
    this.resumed = false;
    this.newTurn();
  }

  private bargeIn(): Decision {
    // The burst's speech stays in the turn tracker: it is the start of the user's new turn.
    const d: Decision = { kind: 'barge_in', heldMs: this.heldMs, burstSpeechMs: this.burst?.speechMs ?? 0 };
    // A turn taken over the agent often opens with "Wait," or "Sorry to jump in,": its first
    // pause is a comma more often than an end, so it waits as after a false start.
    this.continuing = true;
    this.burst = null;
    this.resumed = false;
    this.heldMs = 0;
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
    const finishedMs = this.continuing ? c.continuingSilenceMs : c.finishedSilenceMs;
    this.requiredSilenceMs = p >= c.finishedProbability ? finishedMs : p >= c.maybeProbability ? Math.max(finishedMs, c.maybeSilenceMs) : c.holdingSilenceMs;
  }

  private newTurn(): void {
    this.turn.reset();
    this.speechSinceBackchannelMs = 0;
    this.backchannelledThisPause = false;
    this.requiredSilenceMs = Infinity;
    this.endOfTurnProbability = 0;
  }
}
