/**
 * What the user's speech over the agent's answer begins with, heard in its first few hundred
 * ms: a backchannel ("mm-hmm", "yeah", "I see": the agent talks on) or the first word of a bid
 * for the turn ("wait", "hold on", "sorry": the agent yields). By length or level the two cannot
 * be told apart that early (the suites' backchannels last 260-630 ms, as long as "Wait,"), but
 * they are different words.
 *
 * The heard stretch is matched against the beginning of every template (prefix DTW on MFCCs),
 * each class keeps its closest match, and the margin between a bid and the closest of the rest
 * decides. The rest includes ordinary words that are neither (a filler model, as keyword
 * spotters keep): without them a word no template has is matched to whichever class happens to
 * lie closer, and on backchannels no template has (tools/onset-study.ts unseen) more than half
 * sounded like bids. Both sides are normalized by their own speaker's cepstral statistics (the
 * user's from what they said earlier in the session, a template's from sentences in its voice),
 * since a 300 ms stretch is too short to be standardized over itself.
 */
import { createNoise } from '../../../datasets/noise.ts';
import { prefixDtw } from './dtw.ts';
import { rawMfcc, sliceFrames, WINDOW_SAMPLES, type Features } from './mfcc.ts';
import { addSpeech, CepstralStats } from './speaker-norm.ts';
import type { RenderSpeech } from './templates.ts';
import type { AgentVoice } from '../../voice-bank.ts';

/** 'other': an ordinary word, neither a backchannel nor a bid's opener (the filler model). */
export type OnsetClass = 'backchannel' | 'bid' | 'other';

export interface OnsetTemplate {
  cls: OnsetClass;
  text: string;
  voice: string;
  /** Speaker-normalized MFCCs from the word's start. */
  features: Features;
}

interface OnsetJudgement {
  /** The closest template's distance that is not a bid minus the closest bid's: positive sounds like a bid. */
  marginToBid: number;
  /** The closest template that is not a bid (a backchannel or another word). */
  notBid: { text: string; distance: number };
  bid: { text: string; distance: number };
}

export class OnsetClassifier {
  constructor(readonly templates: readonly OnsetTemplate[]) {
    if (!templates.some((t) => t.cls !== 'bid') || !templates.some((t) => t.cls === 'bid')) {
      throw new Error('OnsetClassifier needs bid templates and others');
    }
  }

  /** `heard`: the stretch's raw MFCCs, normalized by `speaker` (the user's statistics). */
  judge(heard: Features, speaker: CepstralStats): OnsetJudgement {
    const query = speaker.normalize(heard);
    const nearest: Record<'bid' | 'notBid', { text: string; distance: number }> = {
      notBid: { text: '', distance: Infinity },
      bid: { text: '', distance: Infinity },
    };
    for (const t of this.templates) {
      // Only the closest template of each side counts (the dev study found 1 and 3 neighbours within a few points).
      const side = t.cls === 'bid' ? 'bid' : 'notBid';
      const d = prefixDtw(query, t.features, START_SLACK_FRAMES, nearest[side].distance);
      if (d < nearest[side].distance) nearest[side] = { text: t.text, distance: d };
    }
    return { marginToBid: nearest.notBid.distance - nearest.bid.distance, notBid: nearest.notBid, bid: nearest.bid };
  }
}

/** The VAD's onset moves by a few 10 ms hops from one voice to another. */
const START_SLACK_FRAMES = 5;

/** How much of each template's beginning is kept (more than any judged stretch). */
export const TEMPLATE_MS = 800;

/**
 * Templates are heard over a faint room tone, as users are (the synthesizer's pauses are
 * digitally silent, and the log of nothing is no feature to match against a microphone's floor).
 */
const TEMPLATE_FLOOR = { kind: 'room_tone', level_dbfs: -60 } as const;

function withFloor(pcm: Int16Array, seed: number): Int16Array {
  const floor = createNoise(TEMPLATE_FLOOR, seed).next(pcm.length);
  return Int16Array.from(pcm, (v, i) => Math.max(-32768, Math.min(32767, Math.round(v + floor[i] * 32767))));
}

export interface OnsetVocabulary {
  backchannels: readonly string[];
  openers: readonly string[];
  /** Ordinary words that are neither (the filler model), said alone like backchannels... */
  others: readonly string[];
  /** ...in the first this many template voices only (each template is judging time). */
  othersVoices: number;
  /** What an opener is said before, so that it keeps the sound of a sentence's start. */
  carrier: string;
  /** Sentences that give each template voice its cepstral statistics. */
  statsTexts: readonly string[];
}

/**
 * One voice's templates: backchannels and other words said alone (as users say them), openers
 * said at the start of a sentence. `voiceIndex` seeds the room tone, so that any one voice's
 * templates can be rebuilt alone and come out the same as in the whole set.
 */
export async function buildVoiceTemplates(render: RenderSpeech, voice: AgentVoice, voiceIndex: number, vocabulary: OnsetVocabulary): Promise<OnsetTemplate[]> {
  let seed = voiceIndex * 1000;
  const stats = new CepstralStats();
  for (const text of vocabulary.statsTexts) addSpeech(stats, withFloor((await render(text, voice)).pcm, seed++));
  const out: OnsetTemplate[] = [];
  const template = async (cls: OnsetClass, text: string, said: string) => {
    const r = await render(said, voice);
    const startMs = r.words[0]?.startMs ?? 0;
    // A backchannel is followed by the floor (the user has stopped); an opener goes on into its sentence.
    const heardSamples = Math.ceil(((startMs + TEMPLATE_MS) * 16_000) / 1000) + WINDOW_SAMPLES;
    const pcm = new Int16Array(Math.max(heardSamples, r.pcm.length));
    pcm.set(r.pcm);
    const features = sliceFrames(rawMfcc(withFloor(pcm, seed++)), startMs, startMs + TEMPLATE_MS);
    out.push({ cls, text, voice: voice.name, features: stats.normalize(features) });
  };
  for (const w of vocabulary.backchannels) await template('backchannel', w, w);
  for (const o of vocabulary.openers) await template('bid', o, `${o} ${vocabulary.carrier}`);
  if (voiceIndex < vocabulary.othersVoices) for (const w of vocabulary.others) await template('other', w, w);
  return out;
}
