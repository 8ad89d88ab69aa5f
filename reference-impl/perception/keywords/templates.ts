/**
 * The spotter's templates, rendered at startup with the project's offline TTS (eSpeak NG) in
 * the template voices, once per process (like the voice bank).
 */
import { synthesize } from '../../../datasets/tts/espeak.ts';
import { onceAsync } from '../../../harness/once.ts';
import { SAMPLE_RATE } from '../../frames.ts';
import type { Word } from '../../../harness/media.ts';
import { trimToFrames, type AgentVoice } from '../../voice-bank.ts';
import { subsequenceDtw } from './dtw.ts';
import { mfcc, pooled, sliceFrames, type Features } from './mfcc.ts';
import { DEFAULT_SPOTTER, KeywordSpotter, type SpotterConfig, type Template } from './spotter.ts';
import { BACKGROUND_TEXTS, DURATION_PHRASES, TASK_CUES, TEMPLATE_VOICES } from './vocabulary.ts';

export type RenderSpeech = (text: string, voice: AgentVoice) => Promise<{ pcm: Int16Array; sampleRate: number; words: Word[] }>;

/**
 * Each entry is said inside a sentence and cut out by the synthesizer's word timings: its
 * features are then standardized over a sentence, as a user's turn is, not over the keyword
 * alone (whose statistics differ), and it keeps running-speech coarticulation.
 */
const CARRIER_BEFORE = 'I said';
const CARRIER_AFTER = 'just now.';
/** Floor on a template's background spread, so that no z-score divides by almost nothing. */
const MIN_SD = 0.05;

export async function buildKeywordSpotter(cfg: SpotterConfig = DEFAULT_SPOTTER, voices: readonly AgentVoice[] = TEMPLATE_VOICES, render: RenderSpeech = synthesize): Promise<KeywordSpotter> {
  const template = async (text: string, voice: AgentVoice): Promise<Features> => {
    const { pcm, sampleRate, words } = await render(`${CARRIER_BEFORE} ${text} ${CARRIER_AFTER}`, voice);
    if (sampleRate !== SAMPLE_RATE) throw new Error(`keyword templates: TTS returned ${sampleRate} Hz for "${text}"; they need ${SAMPLE_RATE}`);
    const first = CARRIER_BEFORE.split(' ').length;
    const own = words.slice(first, first + text.split(' ').length);
    return pooled(sliceFrames(mfcc(pcm), own[0].startMs, own[own.length - 1].endMs));
  };
  const background: Features[] = [];
  for (const voice of voices) for (const text of BACKGROUND_TEXTS) background.push(pooled(mfcc(trimToFrames((await render(text, voice)).pcm))));
  const calibrated = async (text: string, voice: AgentVoice): Promise<Template> => {
    const features = await template(text, voice);
    const scores = background.map((b) => subsequenceDtw(features, b));
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    const sd = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / scores.length);
    return { text, features, backgroundMean: mean, backgroundSd: Math.max(sd, MIN_SD) };
  };
  const durations: { template: Template; durationMs: number }[] = [];
  const tasks: Template[] = [];
  for (const voice of voices) {
    for (const d of DURATION_PHRASES) durations.push({ template: await calibrated(d.text, voice), durationMs: d.durationMs });
    for (const cue of TASK_CUES) tasks.push(await calibrated(cue, voice));
  }
  return new KeywordSpotter(durations, tasks, cfg);
}

/** The spotter with the default vocabulary and voices, built once per process. */
export const defaultKeywordSpotter: () => Promise<KeywordSpotter> = onceAsync(() => buildKeywordSpotter());
