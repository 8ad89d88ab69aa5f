/**
 * When the reference agent speaks, backchannels and yields: a frame-stepped state machine over
 * what perception reports. It decides; the agent acts (plays, cuts, emits).
 *
 * - End of turn: the agent takes the turn after a silence whose required length depends on
 *   the pitch contour where the silence began: short after a final fall that ends a long
 *   enough utterance (a statement) or a final rise (a question), long after anything else
 *   (the user is holding the turn in a hesitation).
 * - Backchannel: at a longer pause inside a long user turn, at most once per pause and only
 *   after enough user speech since the last one.
 * - Barge-in: user speech well above the floor, accumulated while the agent answers, with only
 *   short gaps; a short burst followed by silence (the user's own "mm-hmm") is let go.
 */
import { FRAME_MS } from './frames.ts';
import { ContourTracker, type ContourShape } from './perception/contour.ts';

export interface PolicyConfig {
  /** Less speech than this in a turn is not a turn (a cough, a click). */
  minTurnSpeechMs: number;
  /** A turn at least this long counts as complete when it ends on a fall or a final rise. */
  longTurnSpeechMs: number;
  /** Silence needed after a long turn that ends on a fall (a statement). */
  fallSilenceMs: number;
  /** Silence needed after a final rise (a question). */
  riseSilenceMs: number;
  /** Silence needed after a short turn, or one whose contour could not be read. */
  uncertainSilenceMs: number;
  /**
   * Silence needed after a non-final contour: a hesitation inside the turn. The detector's
   * silence starts at the last loud frame, up to ~150 ms before the word's planted end, so
   * this sits well above the 1.5 s pauses the agent must wait through.
   */
  holdingSilenceMs: number;
  /** A pause this long inside a turn may get a backchannel... */
  backchannelSilenceMs: number;
  /** ...if the user has spoken this much since the turn began or the last backchannel. */
  backchannelEverySpeechMs: number;
  /** User speech this far above the floor counts toward a barge-in. */
  bargeInAboveFloorDb: number;
  /**
   * This much such speech while the agent answers is a barge-in. It must exceed the short
   * backchannels the agent should talk through: an espeak "mm-hmm" at 290 wpm is 320 ms of
   * loud frames, at 230 wpm 400 ms, so longer ones are taken for barge-ins (a known limit).
   */
  bargeInSpeechMs: number;
  /** A gap this long ends an overlap that has not become a barge-in (it was a backchannel). */
  overlapEndSilenceMs: number;
}

export const DEFAULT_POLICY: PolicyConfig = {
  minTurnSpeechMs: 200,
  longTurnSpeechMs: 800,
  fallSilenceMs: 300,
  riseSilenceMs: 600,
  uncertainSilenceMs: 700,
  holdingSilenceMs: 1800,
  backchannelSilenceMs: 500,
  backchannelEverySpeechMs: 3000,
  bargeInAboveFloorDb: 15,
  bargeInSpeechMs: 380,
  overlapEndSilenceMs: 160,
};

/** What perception says about one user frame. */
export interface UserFrame {
  speech: boolean;
  levelDbfs: number;
  floorDbfs: number;
  pitchHz: number | null;
}

/** What the agent is doing as the frame arrives. */
export type AgentActivity = 'silent' | 'backchannel' | 'answer';

export type Decision =
  | { kind: 'answer'; silenceMs: number; requiredSilenceMs: number; contour: ContourShape; fallSt: number; riseSt: number; turnSpeechMs: number }
  | { kind: 'backchannel'; silenceMs: number; turnSpeechMs: number }
  | { kind: 'barge_in'; overlapSpeechMs: number };

export class TurnPolicy {
  private readonly contour = new ContourTracker();
  /** Speech in the user's current turn. */
  private turnSpeechMs = 0;
  /** Silence since the user's last speech frame. */
  private silenceMs = 0;
  /** Required silence, fixed from the cues when the current silence began. */
  private requiredSilenceMs = Infinity;
  private cue: { contour: ContourShape; fallSt: number; riseSt: number } = { contour: 'unknown', fallSt: 0, riseSt: 0 };
  private speechSinceBackchannelMs = 0;
  private backchannelledThisPause = false;
  /** Loud user speech accumulated during the agent's current answer. */
  private overlapSpeechMs = 0;

  constructor(private readonly cfg: PolicyConfig = DEFAULT_POLICY) {}

  step(frame: UserFrame, agent: AgentActivity): Decision | null {
    return agent === 'answer' ? this.whileAnswering(frame) : this.whileListening(frame);
  }

  private whileListening(f: UserFrame): Decision | null {
    if (f.speech) {
      this.hearSpeech(f);
      return null;
    }
    this.silenceMs += FRAME_MS;
    if (this.requiredSilenceMs === Infinity) this.judgeCues();
    if (this.turnSpeechMs < this.cfg.minTurnSpeechMs) return null;
    if (this.silenceMs >= this.requiredSilenceMs) {
      const d: Decision = { kind: 'answer', silenceMs: this.silenceMs, requiredSilenceMs: this.requiredSilenceMs, ...this.cue, turnSpeechMs: this.turnSpeechMs };
      this.newTurn();
      return d;
    }
    if (
      this.silenceMs >= this.cfg.backchannelSilenceMs &&
      !this.backchannelledThisPause &&
      this.speechSinceBackchannelMs >= this.cfg.backchannelEverySpeechMs
    ) {
      this.backchannelledThisPause = true;
      this.speechSinceBackchannelMs = 0;
      return { kind: 'backchannel', silenceMs: this.silenceMs, turnSpeechMs: this.turnSpeechMs };
    }
    return null;
  }

  private whileAnswering(f: UserFrame): Decision | null {
    if (f.speech) {
      // The user's words during the answer start their next turn if this becomes a barge-in.
      this.hearSpeech(f);
      if (f.levelDbfs - f.floorDbfs >= this.cfg.bargeInAboveFloorDb) this.overlapSpeechMs += FRAME_MS;
      if (this.overlapSpeechMs >= this.cfg.bargeInSpeechMs) {
        const d: Decision = { kind: 'barge_in', overlapSpeechMs: this.overlapSpeechMs };
        this.overlapSpeechMs = 0;
        return d;
      }
      return null;
    }
    this.silenceMs += FRAME_MS;
    if (this.silenceMs >= this.cfg.overlapEndSilenceMs && this.turnSpeechMs > 0) this.newTurn();
    return null;
  }

  private hearSpeech(f: UserFrame): void {
    this.turnSpeechMs += FRAME_MS;
    this.speechSinceBackchannelMs += FRAME_MS;
    this.silenceMs = 0;
    this.requiredSilenceMs = Infinity;
    this.backchannelledThisPause = false;
    if (f.pitchHz !== null) this.contour.addVoiced(f.pitchHz);
  }

  /** At the first silent frame heard while listening: how long this silence must last to end the turn. */
  private judgeCues(): void {
    const s = this.contour.summary();
    this.cue = { contour: s.shape, fallSt: s.fallSt, riseSt: s.riseSt };
    this.requiredSilenceMs = this.requiredSilenceFor(s.shape);
  }

  private requiredSilenceFor(shape: ContourShape): number {
    const c = this.cfg;
    switch (shape) {
      case 'final_fall':
        return this.turnSpeechMs >= c.longTurnSpeechMs ? c.fallSilenceMs : c.uncertainSilenceMs;
      case 'final_rise':
        return this.turnSpeechMs >= c.longTurnSpeechMs ? c.riseSilenceMs : c.uncertainSilenceMs;
      case 'unknown':
        return c.uncertainSilenceMs;
      case 'non_final':
        return c.holdingSilenceMs;
    }
  }

  private newTurn(): void {
    this.turnSpeechMs = 0;
    this.speechSinceBackchannelMs = 0;
    this.overlapSpeechMs = 0;
    this.backchannelledThisPause = false;
    this.requiredSilenceMs = Infinity;
    this.contour.reset();
  }
}
