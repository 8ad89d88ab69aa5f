/**
 * Optional word timings for samples that have no output.json: an OpenAI-compatible
 * transcription endpoint (`POST {baseUrl}/v1/audio/transcriptions`, multipart, with
 * response_format=verbose_json and timestamp_granularities[]=word), such as a local whisper
 * server. Nothing requires it; without it the rules use voice activity and say so. `run
 * --transcribe-url` uses it too, for the words of the agent's played channel (transcribe-recording.ts).
 * The API key, when given, goes only into the Authorization header, never into an error.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { TimedWord } from '../../harness/metrics/peer/types.ts';

export interface TranscriberOptions {
  /** e.g. http://127.0.0.1:8080 (the path /v1/audio/transcriptions is appended). */
  baseUrl: string;
  /** Model name the server expects; default "whisper-1". */
  model?: string;
  apiKey?: string;
  /** Abort after this long; default 120 s. */
  timeoutMs?: number;
}

interface VerboseJson {
  text?: string;
  words?: { word?: string; start?: number; end?: number }[];
}

/** Word timings of a WAV file, in seconds from the file's start. */
export function transcribeWords(wavFile: string, opts: TranscriberOptions): Promise<TimedWord[]> {
  return transcribeWav(readFileSync(wavFile), basename(wavFile), opts);
}

/** Word timings of WAV bytes (`name`: the file name sent, and named in errors), in seconds from the start. */
export async function transcribeWav(wav: Uint8Array, name: string, opts: TranscriberOptions): Promise<TimedWord[]> {
  const url = new URL('v1/audio/transcriptions', opts.baseUrl.endsWith('/') ? opts.baseUrl : `${opts.baseUrl}/`);
  const form = new FormData();
  form.append('file', new Blob([wav as Uint8Array<ArrayBuffer>], { type: 'audio/wav' }), name);
  form.append('model', opts.model ?? 'whisper-1');
  form.append('response_format', 'verbose_json');
  form.append('timestamp_granularities[]', 'word');
  const res = await fetch(url, {
    method: 'POST',
    body: form,
    headers: opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {},
    signal: AbortSignal.timeout(opts.timeoutMs ?? 120_000),
  });
  const body = await res.text();
  if (!res.ok) throw new Error(`transcriber at ${url.origin} answered ${res.status} for ${name}: ${body.slice(0, 200)}`);
  let data: VerboseJson;
  try {
    data = JSON.parse(body) as VerboseJson;
  } catch {
    throw new Error(`transcriber at ${url.origin} did not return JSON for ${name}`);
  }
  if (!Array.isArray(data.words)) {
    throw new Error(`transcriber at ${url.origin} returned no word timestamps for ${name}; it must support timestamp_granularities[]=word`);
  }
  return data.words.map((w, i) => {
    if (typeof w.start !== 'number' || typeof w.end !== 'number') throw new Error(`transcriber word ${i} has no numeric start/end`);
    return { text: String(w.word ?? ''), startS: w.start, endS: w.end };
  });
}
