/**
 * Segments: who spoke when, on the session clock.
 * - user: the planted truth from action.start events (nothing is detected on the user side).
 *   speak -> `speech` over the speech extent minus its pauses, one `pause` per pause;
 *   backchannel -> `backchannel` over its speech extent; silence -> nothing; side talk ->
 *   `side_talk`, background -> `background` (audible extent), show -> `visual_cue` (cue shown).
 * - agent: the shared VAD (harness/vad/energy.ts) on the played agent channel; a segment
 *   shorter than 1000 ms is a `backchannel`, otherwise `speech` (Full-Duplex-Bench's 1 s rule).
 */
import type { ActionStart } from '../recording/events.ts';
import { InputError } from '../errors.ts';
import { speechSegments, type VadSettings } from '../vad/energy.ts';
import type { Recording, Segment } from './types.ts';

/** Agent segments shorter than this are backchannels (Full-Duplex-Bench v1's 1 s threshold). */
export const AGENT_BACKCHANNEL_MAX_MS = 1000;

/** The recording's action.start events in session-clock order, checked for consistency. */
export function actionStarts(recording: Recording): ActionStart[] {
  const actions = recording.events.filter((e): e is ActionStart => e.type === 'action.start');
  for (const a of actions) {
    const where = `action.start of "${a.id}"`;
    const hint = 'The event log is inconsistent; re-record the session or fix the importer that wrote it.';
    if (!(a.speechEndMs >= a.speechStartMs)) throw new InputError(`${where}: speechEndMs ${a.speechEndMs} is before speechStartMs ${a.speechStartMs}`, 'events.jsonl', undefined, 'speechEndMs', hint);
    for (const p of a.pauses) {
      if (!(p.startMs >= a.speechStartMs && p.endMs >= p.startMs && p.endMs <= a.speechEndMs)) {
        throw new InputError(`${where}: pause ${p.startMs}-${p.endMs} ms lies outside the speech extent ${a.speechStartMs}-${a.speechEndMs} ms`, 'events.jsonl', undefined, 'pauses', hint);
      }
    }
  }
  return actions.sort((x, y) => x.startMs - y.startMs);
}

/** Pauses of an action, sorted by start. */
export function sortedPauses(action: ActionStart): ActionStart['pauses'] {
  return [...action.pauses].sort((x, y) => x.startMs - y.startMs);
}

/** Total planted speech of an action: its speech extent minus its pauses, ms. */
export function speechDurationMs(action: ActionStart): number {
  return action.speechEndMs - action.speechStartMs - action.pauses.reduce((sum, p) => sum + (p.endMs - p.startMs), 0);
}

const USER_SEGMENT_KIND: Record<Exclude<ActionStart['kind'], 'silence'>, Segment['kind']> = {
  speak: 'speech',
  backchannel: 'backchannel',
  side_talk: 'side_talk',
  background: 'background',
  show: 'visual_cue',
};

export function userSegments(actions: readonly ActionStart[]): Segment[] {
  const segments: Segment[] = [];
  for (const a of actions) {
    if (a.kind === 'silence') continue;
    const kind = USER_SEGMENT_KIND[a.kind];
    let from = a.speechStartMs;
    for (const p of sortedPauses(a)) {
      if (p.startMs > from) segments.push({ channel: 'user', startMs: from, endMs: p.startMs, kind });
      segments.push({ channel: 'user', startMs: p.startMs, endMs: p.endMs, kind: 'pause' });
      from = p.endMs;
    }
    if (a.speechEndMs > from) segments.push({ channel: 'user', startMs: from, endMs: a.speechEndMs, kind });
  }
  return segments;
}

/** The agent's speech as the user heard it, VAD-merged, in onset order. */
export function agentSegments(agent: Int16Array, sampleRate: number, vad?: Partial<VadSettings>): Segment[] {
  return speechSegments(agent, sampleRate, vad).map((s) => ({
    channel: 'agent',
    startMs: s.startMs,
    endMs: s.endMs,
    kind: s.endMs - s.startMs < AGENT_BACKCHANNEL_MAX_MS ? 'backchannel' : 'speech',
  }));
}
