/**
 * Render one speak/backchannel action of a scenario to 16 kHz PCM with its ground truth:
 * synthesized text (whole-utterance rendering, pauses and vocal tics' hesitations opened inside
 * it) or a WAV clip.
 */
import { dirname, resolve } from 'node:path';
import { InputError } from '../harness/errors.ts';
import { USER_SAMPLE_RATE, type RenderedSpeech } from '../harness/media.ts';
import type { Speech, Voice } from '../harness/scenario/schema.ts';
import { DEFAULT_SPEECH_DETECTOR, speechSegments } from '../harness/vad/speech.ts';
import { resample } from './audio/resample.ts';
import { readClip } from './audio/wav.ts';
import { renderTic } from './effects/vocal-tics.ts';
import { readAnnotation, truthOfAnnotation } from './annotation.ts';
import { seedFor } from './prng.ts';
import { openTics } from './speech-tics.ts';
import type { EspeakVoice } from './tts/espeak.ts';
import { ENGINE_INFO, type SpeechVoice } from './tts/engine.ts';
import type { Synthesizer } from './tts/cache.ts';

/** Used for whatever neither the action nor the scenario sets. */
export const DEFAULT_VOICE: Readonly<EspeakVoice> = Object.freeze({ name: 'en-us', rate_wpm: 175, pitch: 50 });

/**
 * The voice of a speech: its own settings, else the scenario's, else DEFAULT_VOICE. The engine
 * goes with the name: a speech that names its own voice uses its own engine (eSpeak if none).
 */
export function voiceOf(own: Voice | undefined, defaults: { voice?: Voice }): SpeechVoice {
  const base = defaults.voice?.engine ?? 'espeak';
  const engine = own?.name !== undefined ? (own.engine ?? 'espeak') : (own?.engine ?? base);
  const inherited = engine === base ? defaults.voice?.name : undefined;
  return {
    ...(engine !== 'espeak' ? { engine } : {}),
    name: own?.name ?? inherited ?? ENGINE_INFO[engine].defaultVoice,
    rate_wpm: own?.rate_wpm ?? defaults.voice?.rate_wpm ?? DEFAULT_VOICE.rate_wpm,
    pitch: own?.pitch ?? defaults.voice?.pitch ?? DEFAULT_VOICE.pitch,
  };
}

export async function renderSpeech(
  speech: Speech,
  defaults: { voice?: Voice; seed: number },
  scenarioFile: string,
  synthesize: Synthesizer,
): Promise<RenderedSpeech> {
  try {
    if (speech.clip !== undefined) return renderClip(speech, resolve(dirname(scenarioFile), speech.clip), dirname(scenarioFile));
    if (speech.text === undefined)
      throw new InputError('a speech action needs `text` or `clip`', {
        field: 'speak',
        hint: 'Write the words to synthesize in `text`, or point `clip` at a WAV file.',
      });
    const voice = voiceOf(speech.voice, defaults);
    const fluent = await synthesize(speech.text, voice);
    const tics = [];
    for (const tic of speech.tics ?? []) {
      const seed = seedFor(defaults.seed, `${speech.text}#${tic.after_word}`);
      tics.push({ tic, pcm: await renderTic(tic.sound, { seed, voice, gainDb: tic.gain_db, synthesize }) });
    }
    const { pcm, words, pauses, tics: placed } = openTics(fluent, speech.pauses ?? [], tics);
    return {
      pcm,
      sampleRate: USER_SAMPLE_RATE,
      words,
      speechStartMs: Math.min(...words.map((w) => w.startMs)),
      speechEndMs: Math.max(...words.map((w) => w.endMs)),
      pauses,
      ...(placed?.length ? { tics: placed } : {}),
    };
  } catch (e) {
    // Errors from below know the field but not the scenario file: name it.
    if (e instanceof InputError && e.file === undefined) throw new InputError(e.message, { file: scenarioFile, line: e.line, field: e.field, hint: e.hint });
    throw e;
  }
}

function renderClip(speech: Speech, file: string, scenarioDir: string): RenderedSpeech {
  if (speech.pauses?.length || speech.tics?.length) {
    const field = speech.pauses?.length ? 'pauses' : 'tics';
    throw new InputError(`${field} need synthesized text: a clip has no word timings to cut at`, {
      file,
      field,
      hint: `Put the ${field === 'tics' ? 'vocal tics' : 'pauses'} into the recording itself, or use \`text\` instead of \`clip\`.`,
    });
  }
  const clip = readClip(file);
  const pcm = resample(clip.pcm, clip.sampleRate, USER_SAMPLE_RATE);
  const durationMs = (pcm.length * 1000) / USER_SAMPLE_RATE;
  if (speech.annotation !== undefined) {
    const ann = typeof speech.annotation === 'string' ? { file: speech.annotation } : speech.annotation;
    const annFile = resolve(scenarioDir, ann.file);
    return { pcm, sampleRate: USER_SAMPLE_RATE, ...truthOfAnnotation(readAnnotation(annFile, ann.speaker), durationMs, annFile) };
  }
  const segments = clipSpeechSegments(pcm, USER_SAMPLE_RATE);
  if (speech.speech_end_ms !== undefined && speech.speech_end_ms > durationMs) {
    throw new InputError(`speech_end_ms ${speech.speech_end_ms} is past the end of the clip (${durationMs.toFixed(0)} ms)`, {
      file,
      field: 'speech_end_ms',
      hint: 'Set it within the clip, or leave it out to find the end by the speech detector.',
    });
  }
  if (segments.length === 0 && speech.speech_end_ms === undefined) {
    throw new InputError('no speech found in the clip by the speech detector (harness/vad/speech.ts)', {
      file,
      field: 'clip',
      hint: 'Check that the clip holds audible speech (about -45 dBFS or louder; noise, tones and music are not speech), or set `speech_end_ms`.',
    });
  }
  return {
    pcm,
    sampleRate: USER_SAMPLE_RATE,
    words: [],
    speechStartMs: segments[0]?.startMs ?? 0,
    speechEndMs: speech.speech_end_ms ?? segments[segments.length - 1].endMs,
    pauses: [],
  };
}

/** A clip's noise floor is the 10th percentile of its 10 ms frame levels. */
const FLOOR_PERCENTILE = 0.1;
/** Speech must stand this far above the clip's noise floor (when that is above the detector's own threshold less this margin). */
const CLIP_FLOOR_MARGIN_DB = 6;

/** The noise floor of a clip, dBFS (RMS of a full-scale square = 0): the 10th percentile of its 10 ms frame levels. */
function noiseFloorDbfs(pcm: Int16Array, sampleRate: number): number {
  const n = Math.max(1, Math.round(sampleRate / 100));
  const levels: number[] = [];
  for (let i = 0; i + n <= pcm.length; i += n) {
    let sum = 0;
    for (let j = i; j < i + n; j++) sum += pcm[j] * pcm[j];
    levels.push(10 * Math.log10(sum / n / (32768 * 32768) + 1e-15));
  }
  if (levels.length === 0) return -150;
  levels.sort((a, b) => a - b);
  return levels[Math.floor(FLOOR_PERCENTILE * (levels.length - 1))];
}

/**
 * The user's speech in a clip without an annotation: the speech detector, with its level
 * threshold raised to CLIP_FLOOR_MARGIN_DB over the clip's own noise floor where that floor is
 * within the margin of the detector's default -45 dBFS (a real room, a meeting microphone), so
 * a loud floor joined to the speech does not carry the end of speech to the end of the file.
 */
export function clipSpeechSegments(pcm: Int16Array, sampleRate: number): ReturnType<typeof speechSegments> {
  const floor = noiseFloorDbfs(pcm, sampleRate);
  const threshold = Math.max(DEFAULT_SPEECH_DETECTOR.thresholdDbfs, floor + CLIP_FLOOR_MARGIN_DB);
  if (threshold === DEFAULT_SPEECH_DETECTOR.thresholdDbfs) return speechSegments(pcm, sampleRate);
  return speechSegments(pcm, sampleRate, { thresholdDbfs: threshold, analysisFloorDbfs: Math.max(DEFAULT_SPEECH_DETECTOR.analysisFloorDbfs, floor + 3) });
}
