/**
 * The scoring thread's side (score-thread.ts): reads a session's recording from disk and scores
 * it. The speech detector costs about 1 ms per 0.3 s of audio, too long for the event loop that
 * paces live sessions.
 */
import { serveRequests } from '../request-thread.ts';
import { readRecording } from '../recording/reader.ts';
import { score } from './score.ts';
import type { ScoreResult } from './types.ts';

export interface ScoreRequest {
  /** The session folder (events.jsonl + audio.wav). */
  dir: string;
}

serveRequests((req: ScoreRequest): ScoreResult => score(readRecording(req.dir)));
