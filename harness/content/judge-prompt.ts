/**
 * The judge's prompt for a free-form content check (`says.judge`), and its hash. The prompt is
 * built from the criterion and the text heard, so the scorer can tell which recorded verdict
 * answers which question: a `judge` event counts for a check only when its promptSha256 is the
 * hash of the prompt the scorer would ask now (same criterion, same heard text, same wording).
 * Change the wording and old verdicts stop counting, as they should.
 */
import { createHash } from 'node:crypto';

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

const SYSTEM =
  'You judge what a voice assistant said in one spoken response, from its transcript. ' +
  'Answer with exactly one word: YES if the response meets the criterion, NO if it does not. ' +
  'Judge only what the transcript says; do not guess what the assistant meant.';

export function judgePrompt(criterion: string, heard: string): ChatMessage[] {
  return [
    { role: 'system', content: SYSTEM },
    {
      role: 'user',
      content: `Criterion: ${criterion}\n\nTranscript of the response:\n"""\n${heard}\n"""\n\nDoes the response meet the criterion? Answer YES or NO.`,
    },
  ];
}

/** sha256 (hex) of the prompt as sent: the messages as JSON. */
export function promptSha256(messages: readonly ChatMessage[]): string {
  return createHash('sha256').update(JSON.stringify(messages)).digest('hex');
}

/** The judge's reply as a verdict: YES / NO as its first word; anything else is no verdict. */
export function parseJudgeReply(reply: string): boolean | null {
  const first = reply
    .trim()
    .match(/^[*"'\s]*([A-Za-z]+)/)?.[1]
    ?.toUpperCase();
  return first === 'YES' ? true : first === 'NO' ? false : null;
}
