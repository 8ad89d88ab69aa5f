/** OpenAI Realtime adapter options (from the run config), with their defaults. */
import { AdapterError } from '../../harness/adapter.ts';
import { connectionSettings, numberOption, requireApiKey, stringOption, type ConnectionSettings } from '../shared/options.ts';
import { PCM_24K, type TurnDetectionMode } from './protocol.ts';

export interface OpenAIRealtimeOptions extends ConnectionSettings {
  apiKey: string;
  /** wss://api.openai.com/v1/realtime (the model goes in the query). */
  url: string;
  model: string;
  turnDetection: TurnDetectionMode;
  /** server_vad: silence before the server ends the turn. */
  silenceDurationMs?: number;
  /** semantic_vad: low | medium | high | auto. */
  eagerness?: string;
  voice?: string;
  instructions?: string;
  /** Model for the user's transcript; '' turns input transcription off. */
  inputTranscriptionModel: string;
  /**
   * turnDetection none: how the adapter finds the end of the user's turn to commit it.
   * 'energy': its own energy VAD with `commitHangoverMs` of quiet (a push-to-talk client);
   * 'truth': the scheduled end of the user's turn (oracle endpointing; needs the runner to
   * call observeTruth).
   */
  manualCommit: 'energy' | 'truth';
  commitHangoverMs: number;
  commitThresholdDbfs: number;
}

export const OPENAI_KEY_ENV = 'OPENAI_API_KEY';

export function readOpenAIOptions(options: Record<string, unknown>): OpenAIRealtimeOptions {
  const turnDetection = (stringOption(options, 'turnDetection') ?? 'server_vad') as TurnDetectionMode;
  if (!['server_vad', 'semantic_vad', 'none'].includes(turnDetection)) {
    throw new AdapterError(`openai-realtime: turnDetection must be server_vad, semantic_vad or none, not '${turnDetection}'`, 'config');
  }
  const manualCommit = (stringOption(options, 'manualCommit') ?? 'energy') as 'energy' | 'truth';
  if (manualCommit !== 'energy' && manualCommit !== 'truth') {
    throw new AdapterError(`openai-realtime: manualCommit must be energy or truth, not '${String(manualCommit)}'`, 'config');
  }
  return {
    ...connectionSettings(options),
    apiKey: requireApiKey(options, 'openai-realtime', [OPENAI_KEY_ENV]),
    url: stringOption(options, 'url') ?? 'wss://api.openai.com/v1/realtime',
    model: stringOption(options, 'model') ?? 'gpt-realtime',
    turnDetection,
    silenceDurationMs: options.silenceDurationMs === undefined ? undefined : numberOption(options, 'silenceDurationMs', 500),
    eagerness: stringOption(options, 'eagerness'),
    voice: stringOption(options, 'voice'),
    instructions: stringOption(options, 'instructions'),
    inputTranscriptionModel: options.inputTranscriptionModel === '' ? '' : (stringOption(options, 'inputTranscriptionModel') ?? 'gpt-4o-mini-transcribe'),
    manualCommit,
    commitHangoverMs: numberOption(options, 'commitHangoverMs', 500),
    commitThresholdDbfs: numberOption(options, 'commitThresholdDbfs', -40),
  };
}

/** The `session.update` body for these options (GA shape: session.type 'realtime'). */
export function sessionConfig(o: OpenAIRealtimeOptions): Record<string, unknown> {
  const turn_detection =
    o.turnDetection === 'none'
      ? null
      : o.turnDetection === 'server_vad'
        ? { type: 'server_vad', ...(o.silenceDurationMs !== undefined ? { silence_duration_ms: o.silenceDurationMs } : {}) }
        : { type: 'semantic_vad', ...(o.eagerness ? { eagerness: o.eagerness } : {}) };
  return {
    type: 'realtime',
    model: o.model,
    output_modalities: ['audio'],
    ...(o.instructions ? { instructions: o.instructions } : {}),
    audio: {
      input: {
        format: PCM_24K,
        turn_detection,
        ...(o.inputTranscriptionModel ? { transcription: { model: o.inputTranscriptionModel } } : {}),
      },
      output: { format: PCM_24K, ...(o.voice ? { voice: o.voice } : {}) },
    },
  };
}
