/**
 * The judge endpoint for free-form content checks (`says.judge`): any OpenAI-compatible chat
 * completions server (`POST {baseUrl}/v1/chat/completions`), asked at temperature 0 for one word,
 * YES or NO. Off unless `run --judge-url` names one. The API key, when given, goes only into the
 * Authorization header, never into an error, a log or the recording.
 */
import type { ChatMessage } from './judge-prompt.ts';
import { parseJudgeReply } from './judge-prompt.ts';

export interface JudgeOptions {
  /** e.g. http://127.0.0.1:8080 (the path /v1/chat/completions is appended). */
  baseUrl: string;
  /** The model the server should use; stored with every verdict. */
  model: string;
  apiKey?: string;
  /** Abort after this long; default 60 s. */
  timeoutMs?: number;
}

export interface JudgeAnswer {
  /** YES: true, NO: false, anything else: null (no verdict). */
  pass: boolean | null;
  /** The reply as given, cut to REPLY_CHARS. */
  reply: string;
}

const REPLY_CHARS = 200;

interface ChatCompletion {
  choices?: { message?: { content?: unknown } }[];
}

export async function askJudge(messages: readonly ChatMessage[], opts: JudgeOptions): Promise<JudgeAnswer> {
  const url = new URL('v1/chat/completions', opts.baseUrl.endsWith('/') ? opts.baseUrl : `${opts.baseUrl}/`);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}) },
    body: JSON.stringify({ model: opts.model, messages, temperature: 0, max_tokens: 5 }),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000),
  });
  const body = await res.text();
  if (!res.ok) throw new Error(`judge at ${url.origin} answered ${res.status}: ${body.slice(0, REPLY_CHARS)}`);
  let content: unknown;
  try {
    content = (JSON.parse(body) as ChatCompletion).choices?.[0]?.message?.content;
  } catch {
    throw new Error(`judge at ${url.origin} did not return JSON`);
  }
  if (typeof content !== 'string') throw new Error(`judge at ${url.origin} returned no message content (choices[0].message.content)`);
  return { pass: parseJudgeReply(content), reply: content.slice(0, REPLY_CHARS) };
}
