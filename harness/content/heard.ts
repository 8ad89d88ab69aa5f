/**
 * Which words belong to which agent speech: the agent's transcript events laid onto the agent
 * segments of the played channel, so a content check reads the words of the response it times.
 *
 * - Source: the transcription endpoint's words when the recording has any (they were heard on
 *   the played channel, so a cut-off answer's unplayed words are not among them); else the
 *   adapter's transcripts. Vendor transcripts say what the vendor generated, and may hold words
 *   a flush dropped; the reference and scripted agents report only what they played.
 * - Time: an endpoint word sits at the middle of its span on the played channel; an adapter
 *   transcript at its arrival. Adapters send text just before its audio (OpenAI's deltas may),
 *   while it plays, or when it has played (the reference and scripted agents, OpenAI's `done`).
 * - Belonging: a transcript belongs to the agent segment playing at its time, or, arriving in
 *   silence, to the nearest segment (before or after; the earlier on a tie). So text sent ahead
 *   of its audio and text sent after it both land on their own speech, provided they are nearer
 *   to it than to other speech (segments are at least 300 ms apart).
 * - Text: final transcripts when the response has any (deltas repeat them), else the deltas
 *   joined as they came. A response whose text has no letter or digit has no transcript.
 */
import type { RecordingEvent } from '../recording/events.ts';
import type { Segment } from '../scoring/types.ts';

export interface AgentTranscript {
  /** Where it sits on the session clock (see the file comment). */
  atMs: number;
  text: string;
  final: boolean;
}

type TranscriptEvent = Extract<RecordingEvent, { type: 'transcript' }>;

/** The agent transcripts scoring reads, in time order: the endpoint's words if any, else the adapter's. */
export function agentTranscripts(events: readonly RecordingEvent[]): AgentTranscript[] {
  const agent = events.filter((e): e is TranscriptEvent => e.type === 'transcript' && e.role === 'agent');
  const endpoint = agent.filter((e) => e.source === 'endpoint');
  const chosen = endpoint.length > 0 ? endpoint : agent;
  return chosen.map((e) => ({ atMs: e.endMs === undefined ? e.t : (e.t + e.endMs) / 2, text: e.text, final: e.final })).sort((a, b) => a.atMs - b.atMs);
}

/** The segment a transcript at tMs belongs to (see the file comment); undefined without segments. */
function segmentOf(segments: readonly Segment[], tMs: number): Segment | undefined {
  let best: Segment | undefined;
  let bestMs = Infinity;
  for (const s of segments) {
    const ms = tMs < s.startMs ? s.startMs - tMs : tMs > s.endMs ? tMs - s.endMs : 0;
    if (ms < bestMs) [best, bestMs] = [s, ms];
  }
  return best;
}

/** Every agent transcript under the agent segment it belongs to. */
export function transcriptsBySegment(transcripts: readonly AgentTranscript[], segments: readonly Segment[]): Map<Segment, AgentTranscript[]> {
  const out = new Map<Segment, AgentTranscript[]>();
  for (const t of transcripts) {
    const s = segmentOf(segments, t.atMs);
    if (!s) continue;
    const list = out.get(s);
    if (list) list.push(t);
    else out.set(s, [t]);
  }
  return out;
}

/** What the agent said over these segments (one response), or null when no transcript holds a word. */
export function heardText(bySegment: ReadonlyMap<Segment, readonly AgentTranscript[]>, response: readonly Segment[]): string | null {
  const all = response.flatMap((s) => bySegment.get(s) ?? []).sort((a, b) => a.atMs - b.atMs);
  const finals = all.filter((t) => t.final);
  const text =
    finals.length > 0
      ? finals.map((t) => t.text.trim()).join(' ')
      : all
          .map((t) => t.text)
          .join('')
          .trim();
  return /[\p{L}\p{N}]/u.test(text) ? text : null;
}
