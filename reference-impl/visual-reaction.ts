/**
 * When the reference agent remarks on what it is shown: JPEG frames go to the visual-cue
 * detector as they come; a cue it reports is answered with a short spoken reaction at the
 * first step when the agent is silent (and the turn policy has nothing to say) and the user
 * has been silent for gapSilenceMs. Once per cue; a cue not reacted to within staleAfterMs
 * (the user talked on all that time) is let go, since the moment has passed.
 *
 * Clocked by the agent's steps like everything else: a frame is seen at the time of the steps
 * taken so far and takes effect at the next step, so runs are deterministic in virtual time.
 */
import { FRAME_MS } from './frames.ts';
import { jpegToGrid } from './perception/colour-grid.ts';
import { VisualCueDetector, type VisualCue } from './perception/visual-cue.ts';

export interface ReactDecision {
  kind: 'react';
  /** From the frame that confirmed the cue to this step. */
  cueAgeMs: number;
  userSilenceMs: number;
  regionFraction: number;
}

interface VisualReactionConfig {
  /**
   * User silence needed before reacting: longer than the turn policy's wait for a turn that
   * may be finished (420 ms), so a finished turn is answered rather than remarked on; a pause
   * inside a turn this long is a gap to react in, as it is for a backchannel.
   */
  gapSilenceMs: number;
  staleAfterMs: number;
}

export const DEFAULT_VISUAL_REACTION: VisualReactionConfig = { gapSilenceMs: 600, staleAfterMs: 5000 };

export class VisualReaction {
  private nowMs = 0;
  private userSilenceMs = 0;
  private pending: { cue: VisualCue; seenMs: number } | null = null;

  constructor(
    private readonly detector = new VisualCueDetector(),
    private readonly cfg = DEFAULT_VISUAL_REACTION,
  ) {}

  /** One JPEG frame. Returns why it could not be used (the frame is then skipped), or null. */
  see(jpeg: Uint8Array): string | null {
    const { gridCols, gridRows } = this.detector.cfg;
    const g = jpegToGrid(jpeg, gridCols, gridRows);
    if (!g.ok) return g.reason;
    const cue = this.detector.observe(g.grid, this.nowMs);
    if (cue) this.pending = { cue, seenMs: this.nowMs };
    return null;
  }

  /** One 20 ms step: whether the user spoke in it, and whether the agent may start speaking. */
  step(userSpeech: boolean, canSpeak: boolean): ReactDecision | null {
    this.nowMs += FRAME_MS;
    this.userSilenceMs = userSpeech ? 0 : this.userSilenceMs + FRAME_MS;
    const p = this.pending;
    if (!p) return null;
    const cueAgeMs = this.nowMs - p.seenMs;
    if (cueAgeMs > this.cfg.staleAfterMs) this.pending = null;
    if (!this.pending || !canSpeak || this.userSilenceMs < this.cfg.gapSilenceMs) return null;
    this.pending = null;
    return { kind: 'react', cueAgeMs, userSilenceMs: this.userSilenceMs, regionFraction: p.cue.regionFraction };
  }
}
