/**
 * What `run` adds to each recording after its session and before scoring, when asked (both off
 * by default; nothing needs a network otherwise):
 *   --transcribe-url  the agent's played channel transcribed into agent transcript events
 *                     (datasets/importers/transcribe-recording.ts), for content checks;
 *   --judge-url       free-form content checks (`says.judge`) put to an OpenAI-compatible chat
 *                     endpoint, each verdict recorded with its model and prompt hash
 *                     (harness/content/judge-step.ts).
 * Keys come from the environment only (CROSSTALK_TRANSCRIBE_API_KEY, CROSSTALK_JUDGE_API_KEY), so
 * they never reach the run's stored config, a recording or a message.
 */
import type { RunOptions } from '../harness/runner/run.ts';
import { InputError } from '../harness/errors.ts';
import { hasJudgeChecks, judgeRecording } from '../harness/content/judge-step.ts';
import { scoreInThread } from '../harness/scoring/score-thread.ts';
import { transcribeRecording } from '../datasets/importers/transcribe-recording.ts';
import { redactUrl } from '../harness/redact.ts';

export interface AfterSessionArgs {
  'transcribe-url'?: string;
  'transcribe-model': string;
  'judge-url'?: string;
  'judge-model'?: string;
}

function checkUrl(url: string, flag: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError(`${flag} is not a URL: ${redactUrl(url)}`, {
      field: flag,
      hint: 'Give the base URL of the server, e.g. http://127.0.0.1:8080 (the /v1/... path is appended).',
    });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InputError(`${flag} must be http or https, got ${u.protocol}`, { field: flag });
}

/** The hook for runSuite, or undefined when neither endpoint is asked for. */
export function afterSessionHook(args: AfterSessionArgs, env: NodeJS.ProcessEnv = process.env): RunOptions['afterSession'] {
  const transcribeUrl = args['transcribe-url'];
  const judgeUrl = args['judge-url'];
  if (transcribeUrl !== undefined) checkUrl(transcribeUrl, '--transcribe-url');
  if (judgeUrl !== undefined) {
    checkUrl(judgeUrl, '--judge-url');
    if (!args['judge-model'])
      throw new InputError('--judge-url needs --judge-model', {
        field: '--judge-model',
        hint: 'Name the model the judge server should use; it is stored with every verdict.',
      });
  }
  if (transcribeUrl === undefined && judgeUrl === undefined) return undefined;
  const transcriber =
    transcribeUrl === undefined ? undefined : { baseUrl: transcribeUrl, model: args['transcribe-model'], apiKey: env.CROSSTALK_TRANSCRIBE_API_KEY };
  const judge = judgeUrl === undefined ? undefined : { baseUrl: judgeUrl, model: args['judge-model']!, apiKey: env.CROSSTALK_JUDGE_API_KEY };
  return async (dir, scenario) => {
    if (transcriber) await transcribeRecording(dir, transcriber);
    if (judge && hasJudgeChecks(scenario.scenario)) await judgeRecording(dir, judge, scoreInThread);
  };
}

/** The endpoints as stored in the run's config (URLs without credentials, models). */
export function afterSessionConfig(args: AfterSessionArgs): Record<string, string> {
  return {
    ...(args['transcribe-url'] ? { transcribeUrl: redactUrl(args['transcribe-url']), transcribeModel: args['transcribe-model'] } : {}),
    ...(args['judge-url'] ? { judgeUrl: redactUrl(args['judge-url']), judgeModel: args['judge-model'] ?? '' } : {}),
  };
}
