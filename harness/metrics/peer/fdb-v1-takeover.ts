/**
 * Takeover (TO / TOR): did the agent take the turn?
 *
 * Peer rule (Full-Duplex-Bench v1, v1_v1.5/evaluation/eval_pause_handling.py, the same test
 * inlined in eval_smooth_turn_taking.py and eval_user_interruption.py, commit d7336bd): take
 * the ASR words of the agent's output (`output.json` chunks). No words: no takeover. Otherwise
 * measure from the first word's start to the last word's end (pause handling falls back to the
 * last word's start when its end is null); a span of 1 s or more is a takeover, and a shorter
 * span is one only if it holds more than 3 words.
 *
 * What it gets wrong, and the crosstalk rule that fixes it:
 * - The span runs from the first to the last word of the whole output, so two short sounds far
 *   apart ("mm" at 1 s, "yeah" at 6 s) make a 5 s "turn". crosstalk: a takeover is one
 *   continuous agent utterance (speech runs merged across gaps up to 1 s) of at least 1 s.
 * - Without ASR words the word-count part cannot be applied; the row says so instead of
 *   pretending (voice activity stands in for words: first onset, last offset).
 */
import type { SpanS, TimedWord } from './types.ts';

const PEER_TURN_DURATION_S = 1;
const PEER_TURN_MAX_WORDS_SHORT = 3;

export interface PeerTakeover {
  takeover: 0 | 1;
  /** Start of the first word (or first voice onset); null when nothing was said. */
  firstStartS: number | null;
  spanS: number | null;
  /** false when voice activity stood in for words: the word-count test was not applied. */
  wordCountApplied: boolean;
}

/** The peer's test on ASR words (output.json chunks, in their order). */
export function peerTakeoverFromWords(words: TimedWord[]): PeerTakeover {
  if (words.length === 0) return { takeover: 0, firstStartS: null, spanS: null, wordCountApplied: true };
  const first = words[0];
  const last = words[words.length - 1];
  const spanS = (last.endS ?? last.startS) - first.startS;
  const takeover = spanS < PEER_TURN_DURATION_S ? (words.length <= PEER_TURN_MAX_WORDS_SHORT ? 0 : 1) : 1;
  return { takeover, firstStartS: first.startS, spanS, wordCountApplied: true };
}

/**
 * The peer's test with voice activity standing in for words (no output.json): span from the
 * first onset to the last offset; the word-count branch is not applied, so a short span is no
 * takeover.
 */
export function peerTakeoverFromSpeech(speech: SpanS[]): PeerTakeover {
  if (speech.length === 0) return { takeover: 0, firstStartS: null, spanS: null, wordCountApplied: false };
  const spanS = speech[speech.length - 1].endS - speech[0].startS;
  return { takeover: spanS < PEER_TURN_DURATION_S ? 0 : 1, firstStartS: speech[0].startS, spanS, wordCountApplied: false };
}

/** crosstalk: gaps up to this long stay inside one agent utterance. */
const UTTERANCE_MERGE_GAP_S = 1;
/** crosstalk: an utterance at least this long takes the turn. */
const TAKEOVER_MIN_S = 1;

/** Merge speech spans whose gap is at most `gapS` (sorted by start). */
export function mergeSpans(spans: SpanS[], gapS: number): SpanS[] {
  const sorted = [...spans].sort((a, b) => a.startS - b.startS);
  const out: SpanS[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.startS - last.endS <= gapS) last.endS = Math.max(last.endS, s.endS);
    else out.push({ ...s });
  }
  return out;
}

/**
 * crosstalk: the agent's utterances (speech merged across gaps up to 1 s) that take the turn
 * (at least 1 s long) and are still going at or after `fromS`, in time order.
 */
export function takeoverUtterances(speech: SpanS[], fromS = 0): SpanS[] {
  return mergeSpans(speech, UTTERANCE_MERGE_GAP_S).filter((u) => u.endS - u.startS >= TAKEOVER_MIN_S && u.endS > fromS);
}
