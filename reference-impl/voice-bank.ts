/**
 * What the reference agent can say, rendered once at startup with the project's offline TTS.
 * Answers are several sentences (3-8 s) so that interruption and backchannel scenarios have
 * something to talk over; backchannels are short (well under the 1 s the scorer calls a
 * backchannel).
 */
import { synthesize } from '../datasets/tts/espeak.ts';
import { onceAsync } from '../harness/once.ts';
import { FRAME_MS, FRAME_SAMPLES, SAMPLE_RATE, levelDbfs } from './frames.ts';

export interface Phrase {
  text: string;
  /** PCM16 at 16 kHz, edges trimmed, zero-padded to whole 20 ms frames. */
  pcm: Int16Array;
  durationMs: number;
}

export interface VoiceBank {
  answers: Phrase[];
  backchannels: Phrase[];
  /** Said when the agent is shown something (a visual cue): short, like a backchannel. */
  reactions: Phrase[];
}

export interface AgentVoice {
  name: string;
  rate_wpm: number;
  pitch: number;
}

type Synthesize = (text: string, voice: AgentVoice) => Promise<{ pcm: Int16Array; sampleRate: number }>;

export const AGENT_VOICE: AgentVoice = { name: 'en-us', rate_wpm: 175, pitch: 40 };

const ANSWER_TEXTS = [
  'Sure, I can help with that. The short answer is yes, but it depends on a few details.',
  'That is a good question. Most people start with the simple option, and it usually works out fine.',
  'Okay, here is what I would do. First, check the settings on your account, and then try again.',
  'I see what you mean. There are two ways to look at it, and both of them have their trade-offs.',
  'Right, the main thing is timing. If you start too early it will not be ready, and if you start too late you will rush.',
  'Thanks for asking. The office opens at nine and closes at five, and the online service is always available.',
];

const BACKCHANNEL_TEXTS = ['Mm-hmm.', 'Yeah.', 'Right.'];

const REACTION_TEXTS = ['Oh, I see that.', 'Oh, look at that.', 'Ah, I noticed that.'];

/** Frames quieter than this at a clip's edges are trimmed: the agent starts when it decides. */
const EDGE_DBFS = -50;
const BACKCHANNEL_MAX_MS = 900;
/**
 * Silences inside a phrase (between its sentences: espeak leaves ~310 ms) are cut to this, so
 * the answer stays one segment for a listener's VAD (the scorer merges gaps under 300 ms) and
 * a user's backchannel at a sentence break is not mistaken for the agent yielding.
 */
export const MAX_INNER_GAP_MS = 180;

export async function buildVoiceBank(synth: Synthesize = synthesize, voice: AgentVoice = AGENT_VOICE): Promise<VoiceBank> {
  const render = async (text: string): Promise<Phrase> => {
    const { pcm, sampleRate } = await synth(text, voice);
    if (sampleRate !== SAMPLE_RATE) throw new Error(`reference agent: TTS returned ${sampleRate} Hz for "${text}"; it needs ${SAMPLE_RATE}`);
    const framed = shortenGaps(trimToFrames(pcm), MAX_INNER_GAP_MS);
    if (framed.length === 0) throw new Error(`reference agent: TTS returned no audible speech for "${text}"`);
    return { text, pcm: framed, durationMs: (framed.length / SAMPLE_RATE) * 1000 };
  };
  const answers: Phrase[] = [];
  for (const t of ANSWER_TEXTS) answers.push(await render(t));
  const backchannels: Phrase[] = [];
  for (const t of BACKCHANNEL_TEXTS) {
    const p = await render(t);
    if (p.durationMs > BACKCHANNEL_MAX_MS)
      throw new Error(`reference agent: backchannel "${t}" renders to ${p.durationMs} ms; it must stay under ${BACKCHANNEL_MAX_MS} ms`);
    backchannels.push(p);
  }
  const reactions: Phrase[] = [];
  for (const t of REACTION_TEXTS) reactions.push(await render(t));
  return { answers, backchannels, reactions };
}

/** The bank with the default voice, rendered once per process. */
export const defaultVoiceBank: () => Promise<VoiceBank> = onceAsync(() => buildVoiceBank());

/** Drop near-silent frames at both ends; pad the rest to whole frames. */
export function trimToFrames(pcm: Int16Array): Int16Array {
  const frames = Math.ceil(pcm.length / FRAME_SAMPLES);
  const loud = (i: number): boolean => levelDbfs(pcm.subarray(i * FRAME_SAMPLES, (i + 1) * FRAME_SAMPLES)) > EDGE_DBFS;
  let first = 0;
  while (first < frames && !loud(first)) first++;
  let last = frames - 1;
  while (last >= first && !loud(last)) last--;
  const out = new Int16Array((last - first + 1) * FRAME_SAMPLES);
  out.set(pcm.subarray(first * FRAME_SAMPLES, Math.min(pcm.length, (last + 1) * FRAME_SAMPLES)));
  return out;
}

/** Runs of near-silent frames longer than `maxGapMs` shortened to it (half kept from each end). */
export function shortenGaps(pcm: Int16Array, maxGapMs: number): Int16Array {
  const maxFrames = Math.floor(maxGapMs / FRAME_MS);
  const frames = pcm.length / FRAME_SAMPLES;
  const keep: number[] = [];
  let run: number[] = [];
  const flush = () => {
    keep.push(...(run.length > maxFrames ? [...run.slice(0, Math.ceil(maxFrames / 2)), ...run.slice(run.length - Math.floor(maxFrames / 2))] : run));
    run = [];
  };
  for (let i = 0; i < frames; i++) {
    if (levelDbfs(pcm.subarray(i * FRAME_SAMPLES, (i + 1) * FRAME_SAMPLES)) <= EDGE_DBFS) {
      run.push(i);
      continue;
    }
    flush();
    keep.push(i);
  }
  flush();
  const out = new Int16Array(keep.length * FRAME_SAMPLES);
  keep.forEach((f, k) => out.set(pcm.subarray(f * FRAME_SAMPLES, (f + 1) * FRAME_SAMPLES), k * FRAME_SAMPLES));
  return out;
}
