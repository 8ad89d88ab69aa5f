/**
 * The agent's ear for the first words of user speech over its answer: it keeps the last second
 * of the user's audio and learns the user's cepstral statistics from their speech as the
 * session goes, so that when the policy asks (a few hundred ms into a burst) it can say whether
 * the burst began like a backchannel or like a bid for the turn (keywords/onset-words.ts).
 */
import { FRAME_MS, FRAME_SAMPLES } from '../frames.ts';
import { rawMfcc } from './keywords/mfcc.ts';
import type { OnsetJudge, OnsetVerdict } from '../policy.ts';
import type { OnsetClassifier } from './keywords/onset-words.ts';
import { addSpeech, CepstralStats } from './keywords/speaker-norm.ts';

/** Audio from this long before the VAD's first speech frame is heard too (its onset lags the word's). */
export const ONSET_PREROLL_MS = 60;
/** Speech is added to the user's statistics a second at a time... */
const STATS_CHUNK_FRAMES = 50;
/** ...up to this much (more changes them little). */
const MAX_STATS_FRAMES = 1_500;
/** The audio kept: the preroll plus more than any stretch that is judged. */
const RING_FRAMES = 50;

export class OnsetListener implements OnsetJudge {
  private readonly ring: Int16Array[] = [];
  private readonly stats = new CepstralStats();
  private pendingSpeech: Int16Array[] = [];
  private statsSpeechFrames = 0;

  constructor(private readonly classifier: OnsetClassifier) {}

  /** Every 20 ms frame of user audio, with the VAD's verdict on it. */
  hear(frame: Int16Array, speech: boolean): void {
    this.ring.push(frame);
    if (this.ring.length > RING_FRAMES) this.ring.shift();
    if (!speech || this.statsSpeechFrames + this.pendingSpeech.length >= MAX_STATS_FRAMES) return;
    this.pendingSpeech.push(frame);
    if (this.pendingSpeech.length >= STATS_CHUNK_FRAMES) this.flushStats();
  }

  /**
   * How the burst whose first speech frame came `sinceOnsetMs` ago (that frame included)
   * begins; null while less than a second of the user's speech has been heard to judge by.
   */
  judge(sinceOnsetMs: number): OnsetVerdict | null {
    // The statistics are of what the user said before (a second at least), not of this burst.
    if (!this.stats.ready) return null;
    const frames = Math.min(this.ring.length, Math.round((sinceOnsetMs + ONSET_PREROLL_MS) / FRAME_MS));
    const heard = new Int16Array(frames * FRAME_SAMPLES);
    this.ring.slice(-frames).forEach((f, i) => heard.set(f, i * FRAME_SAMPLES));
    const j = this.classifier.judge(rawMfcc(heard), this.stats);
    const closest = j.marginToBid > 0 ? j.bid : j.notBid;
    return { marginToBid: j.marginToBid, soundsLike: closest.text };
  }

  private flushStats(): void {
    const pcm = new Int16Array(this.pendingSpeech.length * FRAME_SAMPLES);
    this.pendingSpeech.forEach((f, i) => pcm.set(f, i * FRAME_SAMPLES));
    addSpeech(this.stats, pcm);
    this.statsSpeechFrames += this.pendingSpeech.length;
    this.pendingSpeech = [];
  }
}
