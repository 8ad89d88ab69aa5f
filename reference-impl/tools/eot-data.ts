/**
 * Examples for the end-of-turn model: synthesized utterances, with mid-utterance pauses opened
 * inside the fluent rendering (the way the suites make them), run through the agent's own
 * perception (Silero + energy VAD, pitch, TurnTracker). Each silence of at least
 * MIN_SILENCE_MS after a turn's speech gives one example: its features at the silence's first
 * frame, labelled 1 if it is the utterance's end and 0 if it is a pause inside it. Deterministic:
 * the synthesizer, the noise and Silero are. Renderings are cached where the suites' are
 * (datasets/cache/tts).
 */
import { DEFAULT_TTS_CACHE_DIR } from '../../datasets/media-source.ts';
import { seededRandom } from '../../harness/stats.ts';
import { openPauses } from '../../datasets/pauses.ts';
import { cachedSynthesizer } from '../../datasets/tts/cache.ts';
import type { SpeechVoice } from '../../datasets/tts/engine.ts';
import { FRAME_MS, FRAME_SAMPLES } from '../frames.ts';
import { Listener } from '../perception/listener.ts';
import { NeuralVad } from '../perception/neural-vad.ts';
import { PitchTracker } from '../perception/pitch.ts';
import { SileroStream, type SileroBatcher } from '../perception/silero.ts';
import { TurnTracker, type TurnFeatures } from '../perception/turn-end.ts';
import { userTrack } from '../testing/signals.ts';

export interface Example {
  features: TurnFeatures;
  label: 0 | 1;
  /** Silence onset minus the planted end of the utterance, ms (for inspection). */
  offsetMs: number;
  /** The silence is a planted pause (not a gap the synthesizer left). */
  planted: boolean;
  /** The silence's first frame (index into the clip's frames) and its length, ms. */
  atFrame: number;
  silenceMs: number;
}

/** Shorter silences (stop closures, comma gaps) never reach the agent's shortest wait. */
const MIN_SILENCE_MS = 160;
const LEAD_MS = 600;
const PAUSE_MS = 1200;
const MIN_TURN_SPEECH_MS = 200;

const synthesize = cachedSynthesizer(DEFAULT_TTS_CACHE_DIR);

/** What the agent's perception heard in one rendering, frame by frame, and where the utterance ended. */
export interface HeardClip {
  frames: { speech: boolean; levelDbfs: number; pitchHz: number | null }[];
  /** Planted end of the last word, ms from the track's start. */
  endMs: number;
  /** Planted pauses, ms from the track's start. */
  pauses: { startMs: number; endMs: number }[];
}

/** A rendering with its pauses opened, in room tone: what a user would send. */
export interface RenderedClip {
  track: Int16Array;
  /** Planted end of the last word, ms from the track's start. */
  endMs: number;
  /** Planted pauses, ms from the track's start. */
  pauses: { startMs: number; endMs: number }[];
}

/**
 * One utterance spoken by one voice, with pauses opened after the words `pausesAfter` picks
 * given the rendered word count (1-based; none: the fluent utterance).
 */
export async function renderClip(text: string, voice: SpeechVoice, pausesAfter: (words: number) => number[]): Promise<RenderedClip> {
  const s = await synthesize(text, voice);
  const places = pausesAfter(s.words.length);
  const clip = places.length
    ? openPauses(
        s,
        places.map((after_word) => ({ after_word, ms: PAUSE_MS })),
      )
    : s;
  const endMs = LEAD_MS + clip.words[clip.words.length - 1].endMs;
  const track = userTrack(endMs + 1500, [{ pcm: clip.pcm, atMs: LEAD_MS }]);
  const pauses = ('pauses' in clip ? clip.pauses : []).map((p) => ({ startMs: LEAD_MS + p.startMs, endMs: LEAD_MS + p.endMs }));
  return { track, endMs, pauses };
}

/** A rendered clip run through the agent's perception. */
export async function hearClip(text: string, voice: SpeechVoice, pausesAfter: (words: number) => number[], silero: SileroBatcher): Promise<HeardClip> {
  const { track, endMs, pauses } = await renderClip(text, voice, pausesAfter);
  return { frames: await hearTrack(track, silero), endMs, pauses };
}

/**
 * A track heard frame by frame by the agent's perception (a listener of its own); `alsoHear`,
 * if given, gets each frame with what perception made of it before the next is heard (another
 * ear, stepped as the agent steps it).
 */
export async function hearTrack(
  track: Int16Array,
  silero: SileroBatcher,
  alsoHear?: (frame: Int16Array, speech: boolean) => Promise<void>,
): Promise<HeardClip['frames']> {
  const listener = new Listener(new NeuralVad(new SileroStream(silero)), new PitchTracker());
  const frames: HeardClip['frames'] = [];
  for (let i = 0; (i + 1) * FRAME_SAMPLES <= track.length; i++) {
    const frame = track.subarray(i * FRAME_SAMPLES, (i + 1) * FRAME_SAMPLES);
    const h = await listener.hear(frame);
    await alsoHear?.(frame, h.speech);
    frames.push({ speech: h.speech, levelDbfs: h.levelDbfs, pitchHz: h.pitchHz });
  }
  return frames;
}

/** Festival's ked voice: the end-of-turn model's training and development speech (an engine no suite uses). */
export const FESTIVAL_VOICE = { engine: 'festival', name: 'ked' } as const;
export const TRAIN_RATES_WPM = [130, 160, 190, 220];
export const DEV_RATES_WPM = [145, 205];
export const EOT_SEED = 20261125;

/** One rendering to make: a text in a voice, with pauses after the words `pausesAfter` picks. */
export interface PlannedClip {
  text: string;
  voice: SpeechVoice;
  pausesAfter: (words: number) => number[];
}

/**
 * The renderings of a set, grouped by text: each text spoken `perText` times, by voices and at
 * rates taken in turn (Festival's ked unless told) and pitches drawn from 15-84, each fluent and
 * with pauses after one and after two word boundaries spread from seeded draws (never the first
 * two words or the last). The draws are made up front, in a fixed order, so the set does not
 * depend on scheduling.
 */
export function planRenderings(
  texts: readonly string[],
  rates: readonly number[],
  seed: number,
  perText = 4,
  voices: readonly Pick<SpeechVoice, 'engine' | 'name'>[] = [FESTIVAL_VOICE],
): PlannedClip[][] {
  const r = seededRandom(seed);
  return texts.map((text, ti) =>
    Array.from({ length: perText }, (_, k) => ({
      voice: { ...voices[(ti + k) % voices.length], rate_wpm: rates[(ti + k) % rates.length], pitch: 15 + Math.floor(r() * 70) } satisfies SpeechVoice,
      draws: Array.from({ length: 3 }, () => r()),
    })).flatMap(({ voice, draws }) =>
      [0, 1, 2].map((count) => ({
        text,
        voice,
        pausesAfter: (n: number) => [...new Set(draws.slice(0, count).map((d) => 2 + Math.floor(d * Math.max(1, n - 3))))].sort((a, b) => a - b),
      })),
    ),
  );
}

/** The examples in a heard clip: features at each silence onset the way the policy reads them. */
export function examplesIn(clip: HeardClip): Example[] {
  const turn = new TurnTracker();
  const { frames } = clip;
  const out: Example[] = [];
  frames.forEach((f, i) => {
    if (f.speech) {
      turn.speech(f);
      return;
    }
    turn.silence();
    if (i === 0 || !frames[i - 1].speech || turn.speechMs() < MIN_TURN_SPEECH_MS) return;
    let n = 0;
    while (i + n < frames.length && !frames[i + n].speech) n++;
    if (n * FRAME_MS < MIN_SILENCE_MS) return;
    // The frame's audio ends at (i + 1) * FRAME_MS.
    const atMs = (i + 1) * FRAME_MS;
    const planted = clip.pauses.some((p) => atMs >= p.startMs - 200 && atMs <= p.endMs);
    out.push({ features: turn.features(), label: i + n >= frames.length ? 1 : 0, offsetMs: atMs - clip.endMs, planted, atFrame: i, silenceMs: n * FRAME_MS });
  });
  return out;
}
