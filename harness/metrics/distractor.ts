/**
 * What the agent does when sound not meant for it starts: the user's side talk to someone
 * else, or a background voice or sound bed. Shared by side-talk.ts and background.ts, which
 * name the results. Acoustic only (no ASR), so "responded" and "resumed" are told apart by
 * timing alone:
 * - silent at the distractor's onset: any agent onset from the onset to RESPONSE_WINDOW_MS after
 *   its end is a response to it;
 * - speaking at the onset: the segment then playing ending within STOP_WINDOW_MS is a false
 *   stop; restarting while the distractor still sounds is a response, the first restart after
 *   it is a resume.
 * Agent onsets that answer the user's own turns (from a speak action's start to TURN_REPLY_MS
 * after its end) are never counted: a bed may lie under the user's questions.
 * Ignoring is only a skill in an agent that answers: silent at the onset and silent after it,
 * the agent has shown nothing unless it answered some turn of the user's in the session
 * (`unresponsive`; the metrics then give N/A with reason no_response and fail the expectation).
 */
import type { ActionStart } from '../recording/events.ts';
import type { Segment } from '../scoring/types.ts';
import { onsetsIn, responsesIn, segmentAt, type ActionContext } from './common.ts';

export const RESPONSE_WINDOW_MS = 1500;
export const STOP_WINDOW_MS = 2000;
const TURN_REPLY_MS = 3000;

export const UNRESPONSIVE_NOTE = 'the agent was silent and answered no turn of the user in the session: ignoring proves nothing then';

export interface DistractorOutcome {
  /** Was the agent speaking at the distractor's onset? */
  speakingAtOnset: boolean;
  /** The agent started speaking because of it (see the file comment). */
  responded: boolean;
  /** Speaking at onset and stopped within STOP_WINDOW_MS; null when silent at onset. */
  falseStop: boolean | null;
  /** After a false stop: first restart minus the distractor's end (negative: restarted during it); null if none. */
  resumeLatencyMs: number | null;
  /** Silent throughout, and no substantive answer to any user turn in the session: nothing to judge. */
  unresponsive: boolean;
}

/** Did the agent give a substantive answer to any of the user's turns (within TURN_REPLY_MS of its end)? */
function answersAnyTurn(ctx: ActionContext): boolean {
  return ctx.actions.some(
    (a) => a.kind === 'speak' && responsesIn(ctx.agent, a.speechStartMs, a.speechEndMs + TURN_REPLY_MS).some((s) => s.endMs > a.speechEndMs),
  );
}

/** Does an agent onset at tMs answer one of the user's turns (from a speak action's start to TURN_REPLY_MS after its end)? `exceptId`: leave that action out. */
export function answersUser(actions: readonly ActionStart[], tMs: number, exceptId?: string): boolean {
  return actions.some((a) => a.kind === 'speak' && a.id !== exceptId && a.speechStartMs <= tMs && tMs < a.speechEndMs + TURN_REPLY_MS);
}

export function distractorOutcome(ctx: ActionContext): DistractorOutcome {
  const { action, agent } = ctx;
  const onsetMs = action.speechStartMs;
  const endMs = action.speechEndMs;
  const own = (segments: Segment[]) => segments.filter((s) => !answersUser(ctx.actions, s.startMs));
  const playing = segmentAt(agent, onsetMs);
  if (!playing) {
    const responded = own(onsetsIn(agent, onsetMs, endMs + RESPONSE_WINDOW_MS)).length > 0;
    return { speakingAtOnset: false, responded, falseStop: null, resumeLatencyMs: null, unresponsive: !responded && !answersAnyTurn(ctx) };
  }
  const falseStop = playing.endMs < onsetMs + STOP_WINDOW_MS;
  const restart = falseStop ? onsetsIn(agent, playing.endMs, ctx.recordingEndMs)[0] : undefined;
  return {
    speakingAtOnset: true,
    responded: own(onsetsIn(agent, playing.endMs, endMs)).length > 0,
    falseStop,
    resumeLatencyMs: restart ? restart.startMs - endMs : null,
    unresponsive: false,
  };
}
