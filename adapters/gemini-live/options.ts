/** Gemini Live adapter options (from the run config), with their defaults. */
import { connectionSettings, requireApiKey, stringOption, type ConnectionSettings } from '../shared/options.ts';

export interface GeminiLiveOptions extends ConnectionSettings {
  apiKey: string;
  /** wss://generativelanguage.googleapis.com */
  baseUrl: string;
  apiVersion: string;
  /** Always sent as models/NAME. */
  model: string;
  voice?: string;
  systemInstruction?: string;
  /** Ask for input and output transcriptions. */
  transcripts: boolean;
}

export const GEMINI_KEY_ENVS = ['GEMINI_API_KEY', 'GOOGLE_API_KEY'];

export function readGeminiOptions(options: Record<string, unknown>): GeminiLiveOptions {
  const model = stringOption(options, 'model') ?? 'gemini-2.5-flash-native-audio-preview-09-2025';
  return {
    ...connectionSettings(options),
    apiKey: requireApiKey(options, 'gemini-live', GEMINI_KEY_ENVS),
    baseUrl: stringOption(options, 'url') ?? 'wss://generativelanguage.googleapis.com',
    apiVersion: stringOption(options, 'apiVersion') ?? 'v1beta',
    model: model.startsWith('models/') ? model : `models/${model}`,
    voice: stringOption(options, 'voice'),
    systemInstruction: stringOption(options, 'systemInstruction'),
    transcripts: options.transcripts !== false,
  };
}

/** The BidiGenerateContent endpoint; the key rides in the query (redact it everywhere). */
export function endpointUrl(o: GeminiLiveOptions): string {
  const path = `/ws/google.ai.generativelanguage.${o.apiVersion}.GenerativeService.BidiGenerateContent`;
  return `${o.baseUrl.replace(/\/$/, '')}${path}?key=${encodeURIComponent(o.apiKey)}`;
}

/** The first client message; `handle` resumes an earlier session. */
export function setupMessage(o: GeminiLiveOptions, handle?: string): Record<string, unknown> {
  return {
    setup: {
      model: o.model,
      generationConfig: {
        responseModalities: ['AUDIO'],
        ...(o.voice ? { speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: o.voice } } } } : {}),
      },
      ...(o.systemInstruction ? { systemInstruction: { parts: [{ text: o.systemInstruction }] } } : {}),
      ...(o.transcripts ? { inputAudioTranscription: {}, outputAudioTranscription: {} } : {}),
      sessionResumption: handle ? { handle } : {},
    },
  };
}
