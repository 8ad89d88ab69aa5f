/**
 * Finishing a played session: its recording is read back, scored and turned into the store's
 * event rows. This is the heavy part of a finished session (reading a stereo WAV, the speech
 * detector, JSON over every event), so a run does it off the event loop that paces live
 * sessions: in the process's finishing thread (finishInThread). finishRecording is the same
 * work on the calling thread; both give the same result (finish.test.ts checks it).
 */
import { readRecording } from '../recording/reader.ts';
import { score } from '../scoring/score.ts';
import type { ScoreResult } from '../scoring/types.ts';
import { toEventRows } from '../store/events.ts';
import type { EventRow } from '../store/rows.ts';
import { BACKGROUND_NICE } from '../priority.ts';
import { RequestThread } from '../request-thread.ts';
import { deserialize, serialize } from 'node:v8';

export interface FinishRequest {
  /** The session folder (events.jsonl + audio.wav). */
  dir: string;
  sessionId: string;
  /** Score it (a completed session); an errored one is stored without scores. */
  score: boolean;
  /**
   * Answer with the result already serialized (encodeFinished), moved, not copied, out of the
   * thread: a runner process forwards those bytes to the run's process as they are, so its live
   * loop never clones thousands of event rows (a long session has one per agent audio chunk).
   */
  encode?: boolean;
}

/** What the store needs of a finished session besides its outcome. */
export interface Finished {
  scored?: ScoreResult;
  /** Why scoring failed (the recording is kept; the session is stored as errored). */
  scoreError?: string;
  eventRows: EventRow[];
}

/**
 * Read, score and make rows, on this thread. A recording that cannot be read throws (the run
 * stops: something is wrong with the harness or the disk); a scoring failure is the session's.
 */
export function finishRecording(req: FinishRequest): Finished {
  const recording = readRecording(req.dir);
  const eventRows = toEventRows(recording.events, req.sessionId);
  if (!req.score) return { eventRows };
  try {
    return { scored: score(recording), eventRows };
  } catch (e) {
    return { scoreError: `scoring failed: ${e instanceof Error ? e.message : String(e)}`, eventRows };
  }
}

/** A Finished as bytes (v8 serialization), and back. */
export function encodeFinished(f: Finished): Uint8Array {
  return serialize(f);
}

export function decodeFinished(bytes: Uint8Array): Finished {
  return deserialize(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as Finished;
}

export type FinishReply = Finished | { encoded: Uint8Array };

let shared: RequestThread<FinishRequest, FinishReply> | undefined;

function thread(): RequestThread<FinishRequest, FinishReply> {
  if (!shared || shared.dead)
    shared = new RequestThread<FinishRequest, FinishReply>(new URL('./finish-worker-entry.mjs', import.meta.url), 'the session finishing thread', {
      nice: BACKGROUND_NICE,
    });
  return shared;
}

/**
 * finishRecording in this process's finishing thread (started on first use, and again if it
 * died). If the thread dies, the request fails with a message naming it; it never hangs.
 */
export function finishInThread(req: FinishRequest): Promise<Finished> {
  return thread().request({ ...req, encode: false }) as Promise<Finished>;
}

/** The same, answered as bytes (see FinishRequest.encode). */
export async function finishInThreadEncoded(req: FinishRequest): Promise<Uint8Array> {
  return ((await thread().request({ ...req, encode: true })) as { encoded: Uint8Array }).encoded;
}
