/**
 * The scenario timeline at run time: which action starts when. Absolute actions start at
 * their time; reactive ones when their trigger fires (an action starting or ending, the agent
 * starting or stopping speech, plus a delay). Pure bookkeeping: the session feeds it what
 * happens and it answers with actions to place; it never reads a clock itself.
 */
import type { Action } from '../scenario/schema.ts';

/** Default give-up time for triggers on agent events, ms after the trigger is armed. */
const DEFAULT_TRIGGER_TIMEOUT_MS = 20_000;

type ActionState = 'waiting' | 'armed' | 'placed' | 'skipped';

export interface ActionSlot {
  action: Action;
  index: number;
  state: ActionState;
  /** When the trigger was armed (agent-event triggers), ms. */
  armedMs?: number;
  /** Placed extent on the session clock, ms. */
  startMs?: number;
  endMs?: number;
  /** For agent_speech_end: the offset being waited on (cancelled if the agent resumes). */
  pendingOffsetMs?: number;
}

export interface Fire {
  slot: ActionSlot;
  /** Wanted start time, ms (may be in the past; the session clamps and records it). */
  atMs: number;
  event: string;
  refMs: number;
}

export class Timeline {
  readonly slots: ActionSlot[];

  constructor(actions: Action[]) {
    this.slots = actions.map((action, index) => ({ action, index, state: 'waiting' as ActionState }));
  }

  /** The slot an `after` refers to: its named action or the previous one. */
  private refOf(slot: ActionSlot): ActionSlot | undefined {
    const name = slot.action.after?.action;
    if (name) return this.slots.find((s) => s.action.id === name);
    return this.slots[slot.index - 1];
  }

  /** Actions with an absolute start time (and the first action). */
  initial(): Fire[] {
    return this.slots.filter((s) => s.action.at_ms !== undefined).map((s) => ({ slot: s, atMs: s.action.at_ms!, event: 'at_ms', refMs: 0 }));
  }

  /** Record that `slot` was placed at [startMs, endMs]; returns actions that follow from it. */
  placed(slot: ActionSlot, startMs: number, endMs: number): Fire[] {
    slot.state = 'placed';
    slot.startMs = startMs;
    slot.endMs = endMs;
    const fires: Fire[] = [];
    for (const s of this.slots) {
      if (s.state !== 'waiting' || this.refOf(s) !== slot) continue;
      const after = s.action.after;
      const delay = after?.delay_ms ?? 0;
      if (!after || after.event === 'action_end') {
        if (s.action.at_ms !== undefined) continue;
        fires.push({ slot: s, atMs: endMs + delay, event: 'action_end', refMs: endMs });
      } else if (after.event === 'action_start') {
        fires.push({ slot: s, atMs: startMs + delay, event: 'action_start', refMs: startMs });
      } else {
        // Agent-event triggers listen from the end of the action they follow.
        s.state = 'armed';
        s.armedMs = endMs;
      }
    }
    return fires;
  }

  /** Actions waiting on a skipped action are skipped too; returns them. */
  skip(slot: ActionSlot): ActionSlot[] {
    slot.state = 'skipped';
    const skipped = [slot];
    for (const s of this.slots) {
      if (s.state === 'waiting' && s.action.at_ms === undefined && this.refOf(s) === slot) skipped.push(...this.skip(s));
    }
    return skipped;
  }

  /** The agent's played speech started at `onsetMs`. */
  agentOnset(onsetMs: number): Fire[] {
    const fires: Fire[] = [];
    for (const s of this.slots) {
      if (s.state !== 'armed' || s.armedMs === undefined) continue;
      const after = s.action.after!;
      if (after.event === 'agent_speech_end') {
        // The agent resumed: the silence it was waiting for did not last.
        if (s.pendingOffsetMs !== undefined && onsetMs >= s.pendingOffsetMs) s.pendingOffsetMs = undefined;
        continue;
      }
      if (after.event === 'agent_speech_start' && onsetMs >= s.armedMs) {
        fires.push({ slot: s, atMs: onsetMs + (after.delay_ms ?? 0), event: 'agent_speech_start', refMs: onsetMs });
      }
    }
    return fires;
  }

  /**
   * The agent's played speech ended at `offsetMs`. An agent_speech_end trigger fires once the
   * agent has stayed silent for its delay; returns the checks to make then.
   */
  agentOffset(offsetMs: number): { slot: ActionSlot; checkAtMs: number }[] {
    const checks: { slot: ActionSlot; checkAtMs: number }[] = [];
    for (const s of this.slots) {
      if (s.state !== 'armed' || s.action.after?.event !== 'agent_speech_end' || s.armedMs === undefined) continue;
      if (offsetMs < s.armedMs) continue;
      s.pendingOffsetMs = offsetMs;
      checks.push({ slot: s, checkAtMs: offsetMs + (s.action.after.delay_ms ?? 0) });
    }
    return checks;
  }

  /** At a check time: fire if the agent is still silent since the offset being waited on. */
  confirmSilence(slot: ActionSlot, offsetMs: number): Fire | undefined {
    if (slot.state !== 'armed' || slot.pendingOffsetMs !== offsetMs) return undefined;
    return { slot, atMs: offsetMs + (slot.action.after?.delay_ms ?? 0), event: 'agent_speech_end', refMs: offsetMs };
  }

  /** When an armed trigger gives up, ms on the session clock. */
  giveUpAtMs(slot: ActionSlot): number {
    return (slot.armedMs ?? 0) + (slot.action.after?.timeout_ms ?? DEFAULT_TRIGGER_TIMEOUT_MS);
  }

  /** Every action is placed or skipped. */
  settled(): boolean {
    return this.slots.every((s) => s.state === 'placed' || s.state === 'skipped');
  }

  /** End of the last placed action, ms. */
  lastEndMs(): number {
    return Math.max(0, ...this.slots.filter((s) => s.endMs !== undefined).map((s) => s.endMs!));
  }
}
