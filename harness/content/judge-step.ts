/**
 * `run --judge-url`: after a session (and after any transcription), the free-form content checks
 * that scoring could not decide are put to the judge endpoint, and each answer is written into
 * the recording as a `judge` event (the model, the prompt's sha256, YES/NO, the reply) before the
 * session is scored. Scoring stays a pure function of the recording: it reads these events, and
 * re-scoring later needs no judge.
 */
import type { RecordingEvent } from '../recording/events.ts';
import { appendEvents } from '../recording/writer.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { ScoreResult } from '../scoring/types.ts';
import { askJudge, type JudgeOptions } from './judge-client.ts';

/** Does the scenario hold a free-form content check? (Scoring a session twice is for those only.) */
export function hasJudgeChecks(scenario: Scenario): boolean {
  return scenario.timeline.some((a) => (a.expect ?? []).some((e) => (e.speak_at ?? e.interpret ?? e.deliver)?.says?.judge !== undefined));
}

/**
 * Ask the judge what scoring the recording in `dir` left undecided; returns the verdicts written.
 * `scoreOf` scores the recording as it stands (the run's scoring thread).
 */
export async function judgeRecording(dir: string, opts: JudgeOptions, scoreOf: (dir: string) => Promise<ScoreResult>): Promise<number> {
  const { judgeRequests = [] } = await scoreOf(dir);
  const events: RecordingEvent[] = [];
  for (const r of judgeRequests) {
    const { pass, reply } = await askJudge(r.prompt, opts);
    events.push({ type: 'judge', t: r.atMs, subject: r.subject, model: opts.model, promptSha256: r.promptSha256, pass, reply });
  }
  appendEvents(dir, events);
  return events.length;
}
