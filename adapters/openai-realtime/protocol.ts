/**
 * OpenAI Realtime (GA) wire facts this adapter relies on. GA renamed the beta events; a server
 * still speaking beta names is detected and reported rather than left as a silent session.
 */

/** Beta-only server event names, with their GA replacements. */
export const BETA_EVENT_NAMES: Readonly<Record<string, string>> = {
  'response.audio.delta': 'response.output_audio.delta',
  'response.audio.done': 'response.output_audio.done',
  'response.audio_transcript.delta': 'response.output_audio_transcript.delta',
  'response.audio_transcript.done': 'response.output_audio_transcript.done',
  'response.text.delta': 'response.output_text.delta',
  'response.text.done': 'response.output_text.done',
};

export const PCM_24K = { type: 'audio/pcm', rate: 24000 } as const;

export type TurnDetectionMode = 'server_vad' | 'semantic_vad' | 'none';

export interface ServerEvent {
  type: string;
  event_id?: string;
  [k: string]: unknown;
}

export interface RealtimeErrorBody {
  type?: string;
  code?: string | null;
  message?: string;
  param?: string | null;
}

/** A server event as kept in the recording: everything but its type (audio never goes here). */
export function vendorPayload(ev: ServerEvent): Record<string, unknown> {
  const { type: _type, ...rest } = ev;
  return rest;
}
