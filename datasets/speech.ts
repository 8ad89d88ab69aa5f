/**
 * Render one speak/backchannel action of a scenario to 16 kHz PCM with its ground truth:
 * synthesized text (whole-utterance rendering, pauses and vocal tics' hesitations opened inside
 * it) or a WAV clip.
 */
import { dirname, resolve } from 'node:path';
import { InputError } from '../harness/errors.ts';
import { USER_SAMPLE_RATE, type RenderedSpeech } from '../harness/media.ts';
import type { Speech, Voice } from '../harness/scenario/schema.ts';
import { speechSegments } from '../harness/vad/speech.ts';
import { resample } from './audio/resample.ts';
import { readClip } from './audio/wav.ts';
import { renderTic } from './effects/vocal-tics.ts';
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
    if (speech.clip !== undefined) return renderClip(speech, resolve(dirname(scenarioFile), speech.clip));
    if (speech.text === undefined) throw new InputError('a speech action needs `text` or `clip`', undefined, undefined, 'speak', 'Write the words to synthesize in `text`, or point `clip` at a WAV file.');
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
    if (e instanceof InputError && e.file === undefined) throw new InputError(e.message, scenarioFile, e.line, e.field, e.hint);
    throw e;
  }
}

function renderClip(speech: Speech, file: string): RenderedSpeech {
  if (speech.pauses?.length || speech.tics?.length) {
    const field = speech.pauses?.length ? 'pauses' : 'tics';
    throw new InputError(`${field} need synthesized text: a clip has no word timings to cut at`, file, undefined, field, `Put the ${field === 'tics' ? 'vocal tics' : 'pauses'} into the recording itself, or use \`text\` instead of \`clip\`.`);
  }
  const clip = readClip(file);
  const pcm = resample(clip.pcm, clip.sampleRate, USER_SAMPLE_RATE);
  const durationMs = (pcm.length * 1000) / USER_SAMPLE_RATE;
  const segments = speechSegments(pcm, USER_SAMPLE_RATE);
  if (speech.speech_end_ms !== undefined && speech.speech_end_ms > durationMs) {
    throw new InputError(`speech_end_ms ${speech.speech_end_ms} is past the end of the clip (${durationMs.toFixed(0)} ms)`, file, undefined, 'speech_end_ms', 'Set it within the clip, or leave it out to find the end by the speech detector.');
  }
  if (segments.length === 0 && speech.speech_end_ms === undefined) {
    throw new InputError('no speech found in the clip by the speech detector (harness/vad/speech.ts)', file, undefined, 'clip', 'Check that the clip holds audible speech (about -45 dBFS or louder; noise, tones and music are not speech), or set `speech_end_ms`.');
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
