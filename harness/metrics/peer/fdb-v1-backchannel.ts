/**
 * Backchannel: does the agent say short "mm-hm"s while the user talks, as often and where a
 * human listener would, without taking the turn?
 *
 * Peer rule (Full-Duplex-Bench v1, v1_v1.5/evaluation/eval_backchannel.py, commit d7336bd),
 * per sample folder `<id>`:
 * 1. Silero VAD on output.wav gives speech segments in seconds (called without a sample rate,
 *    so it reads the samples as 16 kHz, and rounds to 0.1 s).
 * 2. Walk the segments in order. One longer than 3 s sets TOR = 1 and ends the walk. Any other
 *    segment is appended to the backchannel list, and TOR is overwritten by it: the ASR words
 *    overlapping it are counted; more than 3 words, or 1 s or longer, gives TOR = 1; under 1 s
 *    with at most 2 words gives TOR = 0 (3 words: 1). So the last segment walked decides TOR.
 * 3. Frequency = number of backchannels / output duration (per second).
 * 4. Histogram: bins of 0.2 s over the output duration (int(duration / 0.2) + 1 bins); each
 *    backchannel adds 1 to every bin from int(start / 0.2) to int(end / 0.2) inclusive; add
 *    1e-10, normalize; stretch the ICC human reference histogram for `<id>` to the same length
 *    by linear interpolation over [0, 1]; score = scipy jensenshannon (base e). No backchannel:
 *    score = 1.
 *
 * What it gets wrong, and the crosstalk rule that fixes it:
 * - The last segment walked decides TOR. crosstalk: TOR = 1 if any agent utterance takes the turn.
 * - Segments of 1-3 s count as backchannels even when they set TOR = 1. crosstalk: a backchannel
 *   is shorter than 1 s, not part of a turn-taking utterance, and has at most 2 words when words
 *   are known.
 * - No backchannel scores 1, above the distance's own maximum sqrt(ln 2) ~= 0.833. crosstalk:
 *   no value (null, with the reason).
 * - The VAD assumes 16 kHz. crosstalk: times at the file's own sample rate.
 * - Frequency hides its denominator. crosstalk: per minute, with count and duration stated.
 */
import { interpLinear, jsDistance, linspace, npSum } from './jensen-shannon.ts';
import { takeoverUtterances } from './fdb-v1-takeover.ts';
import type { SpanS, TimedWord } from './types.ts';

const PEER_BIN_S = 0.2;
const PEER_EPSILON = 1e-10;
const PEER_FORMAL_SPEECH_S = 3;

/** Words the peer counts as overlapping [startS, endS] (its three cases, null ends included). */
export function peerWordsInSegment(words: TimedWord[], seg: SpanS): TimedWord[] {
  const out: TimedWord[] = [];
  for (const w of words) {
    if (w.endS === null && w.startS < seg.endS) continue;
    const end = w.endS ?? w.startS;
    if (w.startS >= seg.startS && end <= seg.endS) out.push(w);
    else if (w.startS <= seg.endS && end > seg.endS) out.push(w);
    else if (w.startS <= seg.startS && end > seg.startS) out.push(w);
  }
  return out;
}

/** The 0.2 s histogram of backchannel spans, normalized as the peer does (epsilon added). */
export function backchannelHistogram(backchannels: SpanS[], durationS: number): number[] {
  const bins = new Array<number>(Math.trunc(durationS / PEER_BIN_S) + 1).fill(0);
  for (const b of backchannels) {
    const from = Math.trunc(b.startS / PEER_BIN_S);
    const to = Math.trunc(b.endS / PEER_BIN_S);
    for (let i = from; i <= to; i++) if (i < bins.length) bins[i] += 1;
  }
  const withEps = bins.map((c) => c + PEER_EPSILON);
  const sum = npSum(withEps);
  return withEps.map((v) => v / sum);
}

/** JS distance of a histogram against the ICC reference stretched to its length. */
function distanceToReference(hist: number[], reference: number[]): number {
  const stretched = interpLinear(linspace(0, 1, reference.length), reference, linspace(0, 1, hist.length));
  return jsDistance(hist, stretched);
}

export interface PeerBackchannel {
  tor: 0 | 1;
  backchannels: SpanS[];
  frequencyPerS: number;
  /** 1 when there is no backchannel (the peer's convention). */
  jsd: number;
  wordCountApplied: boolean;
}

/**
 * The peer's rule. `segments` are the VAD segments as the peer's VAD reports them; `words` null
 * when there is no output.json (then the word-count parts are not applied: short means < 1 s).
 */
export function peerBackchannel(segments: SpanS[], words: TimedWord[] | null, durationS: number, reference: number[]): PeerBackchannel {
  let tor: 0 | 1 = 0;
  const backchannels: SpanS[] = [];
  for (const seg of segments) {
    const dur = seg.endS - seg.startS;
    if (dur > PEER_FORMAL_SPEECH_S) {
      tor = 1;
      break;
    }
    const n = words ? peerWordsInSegment(words, seg).length : 0;
    if (n > 3) tor = 1;
    else if (dur < 1) tor = n <= 2 ? 0 : 1;
    else tor = 1;
    backchannels.push(seg);
  }
  const jsd = backchannels.length === 0 ? 1 : distanceToReference(backchannelHistogram(backchannels, durationS), reference);
  return { tor, backchannels, frequencyPerS: backchannels.length / durationS, jsd, wordCountApplied: words !== null };
}

const BACKCHANNEL_MAX_S = 1;

export interface CrosstalkBackchannel {
  tor: 0 | 1;
  backchannels: SpanS[];
  ratePerMin: number;
  /** null when there is no backchannel: the distance is undefined, not "worst". */
  jsd: number | null;
  durationS: number;
}

/** crosstalk: see the header. `speech` in true seconds; `words` null when unknown. */
export function crosstalkBackchannel(speech: SpanS[], words: TimedWord[] | null, durationS: number, reference: number[]): CrosstalkBackchannel {
  const turns = takeoverUtterances(speech);
  const insideTurn = (s: SpanS) => turns.some((u) => s.startS >= u.startS && s.endS <= u.endS);
  const backchannels = speech.filter(
    (s) => s.endS - s.startS < BACKCHANNEL_MAX_S && !insideTurn(s) && (words === null || peerWordsInSegment(words, s).length <= 2),
  );
  const tor = turns.length > 0 ? 1 : 0;
  const jsd = backchannels.length === 0 ? null : distanceToReference(backchannelHistogram(backchannels, durationS), reference);
  return { tor, backchannels, ratePerMin: (backchannels.length / durationS) * 60, jsd, durationS };
}
