/**
 * Segments: who spoke when, on the session clock.
 * - user: the planted truth from action.start events (nothing is detected on the user side).
 *   speak -> `speech` over the speech extent minus its pauses, one `pause` per pause;
 *   backchannel -> `backchannel` over its speech extent; silence -> nothing; side talk ->
 *   `side_talk`, background -> `background` (audible extent), show -> `visual_cue` (cue shown);
 *   vocal_tic -> `vocal_tic`, and a tic inside speech -> `vocal_tic` within its hesitation's `pause`.
 * - agent: the speech detector (harness/vad/speech.ts) on the played agent channel; a segment
 *   shorter than 1000 ms is a `backchannel`, otherwise `speech` (Full-Duplex-Bench's 1 s rule).
 *   The detector's raw runs are kept too, and merged twice: with its 300 ms gap (the peers'
 *   ear, every metric) and with STRICT_MERGE_GAP_MS (the strict ear for drop-outs).
 */
import type { ActionStart } from '../recording/events.ts';
import { InputError } from '../errors.ts';
import { DEFAULT_SPEECH_DETECTOR, speechSegments, type SpeechDetectorSettings } from '../vad/speech.ts';
import type { Recording, Segment } from './types.ts';

/** Agent segments shorter than this are backchannels (Full-Duplex-Bench v1's 1 s threshold). */
const AGENT_BACKCHANNEL_MAX_MS = 1000;

/**
 * The strict ear: agent silences of this long or longer are heard as stops. About the longest
 * pause inside fluent speech (stop closures and most inter-word gaps are shorter; the reference
 * agent's own longest was 203 ms).
 */
export const STRICT_MERGE_GAP_MS = 200;

/** The recording's action.start events in session-clock order, checked for consistency. */
export function actionStarts(recording: Recording): ActionStart[] {
  const actions = recording.events.filter((e): e is ActionStart => e.type === 'action.start');
  for (const a of actions) {
    const where = `action.start of "${a.id}"`;
    const hint = 'The event log is inconsistent; re-record the session or fix the importer that wrote it.';
    if (!(a.speechEndMs >= a.speechStartMs))
      throw new InputError(`${where}: speechEndMs ${a.speechEndMs} is before speechStartMs ${a.speechStartMs}`, {
        file: 'events.jsonl',
        field: 'speechEndMs',
        hint,
      });
    for (const p of a.pauses) {
      if (!(p.startMs >= a.speechStartMs && p.endMs >= p.startMs && p.endMs <= a.speechEndMs)) {
        throw new InputError(`${where}: pause ${p.startMs}-${p.endMs} ms lies outside the speech extent ${a.speechStartMs}-${a.speechEndMs} ms`, {
          file: 'events.jsonl',
          field: 'pauses',
          hint,
        });
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
  vocal_tic: 'vocal_tic',
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
    for (const t of a.tics ?? []) segments.push({ channel: 'user', startMs: t.startMs, endMs: t.endMs, kind: 'vocal_tic' });
  }
  return segments;
}

/** The agent's speech as the user heard it, merged with the detector's gap, in onset order. */
export function agentSegments(agent: Int16Array, sampleRate: number, vad?: Partial<SpeechDetectorSettings>): Segment[] {
  return speechSegments(agent, sampleRate, vad).map(agentSegment);
}

export interface AgentSpeech {
  /** Merged with the detector's gap (300 ms): what every metric reads. */
  segments: Segment[];
  /** Merged only across gaps under STRICT_MERGE_GAP_MS. */
  strict: Segment[];
  /** The raw runs, nothing merged or dropped. */
  runs: Segment[];
}

/** One detector pass, three views (the detector merges its raw runs the same way). */
export function agentSpeech(agent: Int16Array, sampleRate: number): AgentSpeech {
  const runs = speechSegments(agent, sampleRate, { mergeGapMs: 0, minSpeechMs: 0 });
  return {
    segments: mergeRuns(runs, DEFAULT_SPEECH_DETECTOR.mergeGapMs, DEFAULT_SPEECH_DETECTOR.minSpeechMs).map(agentSegment),
    strict: mergeRuns(runs, STRICT_MERGE_GAP_MS, DEFAULT_SPEECH_DETECTOR.minSpeechMs).map(agentSegment),
    runs: runs.map(agentSegment),
  };
}

/** Runs closer than gapMs are one segment; segments shorter than minMs are dropped (the detector's steps 3-4). */
export function mergeRuns(runs: readonly { startMs: number; endMs: number }[], gapMs: number, minMs: number): { startMs: number; endMs: number }[] {
  const merged: { startMs: number; endMs: number }[] = [];
  for (const run of runs) {
    const prev = merged[merged.length - 1];
    if (prev && run.startMs - prev.endMs < gapMs) prev.endMs = Math.max(prev.endMs, run.endMs);
    else merged.push({ ...run });
  }
  return merged.filter((s) => s.endMs - s.startMs >= minMs);
}

function agentSegment(s: { startMs: number; endMs: number }): Segment {
  return { channel: 'agent', startMs: s.startMs, endMs: s.endMs, kind: s.endMs - s.startMs < AGENT_BACKCHANNEL_MAX_MS ? 'backchannel' : 'speech' };
}
