/**
 * score() off the live event loop: a run scores each finished session in this process's
 * scoring thread, so the sessions still playing keep their pacing. Same result as score() on
 * the main thread (the test checks it); errors come back with their message.
 */
import { BACKGROUND_NICE } from '../priority.ts';
import { RequestThread } from '../request-thread.ts';
import type { ScoreRequest } from './score-worker.ts';
import type { ScoreResult } from './types.ts';

let shared: RequestThread<ScoreRequest, ScoreResult> | undefined;

/** Score the recording in `dir` in the process's scoring thread (started on first use, and again if it died). */
export function scoreInThread(dir: string): Promise<ScoreResult> {
  if (!shared || shared.dead)
    shared = new RequestThread<ScoreRequest, ScoreResult>(new URL('./score-worker-entry.mjs', import.meta.url), 'the scoring thread', {
      nice: BACKGROUND_NICE,
    });
  return shared.request({ dir });
}
