/**
 * Examples for the end-of-turn model: synthesized utterances, with mid-utterance pauses opened
 * inside the fluent rendering (the way the suites make them), run through the agent's own
 * perception (Silero + energy VAD, pitch, TurnTracker). Each silence of at least
 * MIN_SILENCE_MS after a turn's speech gives one example: its features at the silence's first
 * frame, labelled 1 if it is the utterance's end and 0 if it is a pause inside it. Deterministic:
 * espeak, the noise and Silero are.
 */
import { openPauses } from '../../datasets/pauses.ts';
import { synthesize, type EspeakVoice } from '../../datasets/tts/espeak.ts';
import { FRAME_MS, FRAME_SAMPLES } from '../frames.ts';
import { Listener } from '../perception/listener.ts';
import { NeuralVad } from '../perception/neural-vad.ts';
import { PitchTracker } from '../perception/pitch.ts';
import { SileroStream, type SileroBatcher } from '../perception/silero.ts';
import { TurnTracker, type TurnFeatures } from '../perception/turn-end.ts';
import { userTrack } from '../test/conversation.ts';

export interface Example {
  features: TurnFeatures;
  label: 0 | 1;
  /** Silence onset minus the planted end of the utterance, ms (for inspection). */
  offsetMs: number;
}

/** Shorter silences (stop closures, comma gaps) never reach the agent's shortest wait. */
export const MIN_SILENCE_MS = 160;
const LEAD_MS = 600;
const PAUSE_MS = 1200;
const MIN_TURN_SPEECH_MS = 200;

/**
 * The examples in one utterance spoken by one voice, with pauses opened after the words
 * `pausesAfter` picks given the rendered word count (1-based; none: the fluent utterance).
 */
export async function examplesFor(text: string, voice: EspeakVoice, pausesAfter: (words: number) => number[], silero: SileroBatcher): Promise<Example[]> {
  const s = await synthesize(text, voice);
  const places = pausesAfter(s.words.length);
  const clip = places.length ? openPauses(s, places.map((after_word) => ({ after_word, ms: PAUSE_MS }))) : s;
  const endMs = LEAD_MS + clip.words[clip.words.length - 1].endMs;
  const track = userTrack(endMs + 1500, [{ pcm: clip.pcm, atMs: LEAD_MS }]);
  const listener = new Listener(new NeuralVad(new SileroStream(silero)), new PitchTracker());
  const turn = new TurnTracker();
  const speech: boolean[] = [];
  const onsets: { frame: number; features: TurnFeatures }[] = [];
  for (let i = 0; (i + 1) * FRAME_SAMPLES <= track.length; i++) {
    const h = await listener.hear(track.subarray(i * FRAME_SAMPLES, (i + 1) * FRAME_SAMPLES));
    const wasSpeech = speech.length > 0 && speech[speech.length - 1];
    speech.push(h.speech);
    if (h.speech) turn.speech({ levelDbfs: h.levelDbfs, pitchHz: h.pitchHz });
    else {
      turn.silence();
      if (wasSpeech && turn.speechMs() >= MIN_TURN_SPEECH_MS) onsets.push({ frame: i, features: turn.features() });
    }
  }
  const out: Example[] = [];
  for (const o of onsets) {
    let n = 0;
    while (o.frame + n < speech.length && !speech[o.frame + n]) n++;
    if (n * FRAME_MS < MIN_SILENCE_MS) continue;
    // The frame's audio ends at (frame + 1) * FRAME_MS.
    const offsetMs = (o.frame + 1) * FRAME_MS - endMs;
    out.push({ features: o.features, label: o.frame + n >= speech.length ? 1 : 0, offsetMs });
  }
  return out;
}
