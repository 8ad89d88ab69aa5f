/**
 * Response latency: how long after the user's reference moment the agent's reply begins.
 * Two uses in Full-Duplex-Bench v1, one rule:
 * - smooth turn-taking: reference = the user's turn end, `turn_taking.json[0].timestamp[0]`
 *   (v1_v1.5/evaluation/eval_smooth_turn_taking.py);
 * - user interruption: reference = the interruption's end, `interrupt.json[0].timestamp[1]`
 *   (v1_v1.5/evaluation/eval_user_interruption.py; its `output.json` is transcribed from that
 *   moment on, by get_transcript/asr.py --task user_interruption).
 *
 * Peer rule (commit d7336bd): only when the takeover test passes (fdb-v1-takeover.ts), latency =
 * start of the first ASR word minus the reference, in seconds. The published average then
 * replaces every negative latency by 0.
 *
 * What it gets wrong, and the crosstalk rule that fixes it:
 * - An agent that starts 250 ms early is reported as 0 ms, the same as a perfect one, and its
 *   earliness vanishes from the average. crosstalk keeps the sign: -250 ms.
 * - "First word" is the first sound of any kind, a backchannel or a cough included.
 *   crosstalk: the reply is the first agent utterance that takes the turn (at least 1 s, gaps up
 *   to 1 s inside) and is still going at the reference; for an interruption it must also start
 *   after the interruption began (the talk the user interrupted is not the reply).
 */
import { takeoverUtterances } from './fdb-v1-takeover.ts';
import type { SpanS } from './types.ts';

export interface PeerLatency {
  /** first word minus reference, seconds, sign kept (what the peer prints per sample). */
  rawS: number;
  /** what enters the peer's average: max(0, rawS). */
  publishedS: number;
}

export function peerResponseLatency(firstWordStartS: number, referenceS: number): PeerLatency {
  const rawS = firstWordStartS - referenceS;
  return { rawS, publishedS: rawS < 0 ? 0 : rawS };
}

/**
 * crosstalk: signed seconds from the reference to the start of the reply utterance; null when
 * the agent never took the turn. `notBeforeS` excludes utterances that started earlier (for an
 * interruption: its start).
 */
export function crosstalkResponseLatencyS(agentSpeech: SpanS[], referenceS: number, notBeforeS = -Infinity): number | null {
  // Speech that began before `notBeforeS` is dropped before utterances are formed, so a stop
  // and a restart are two utterances however short the silence between them.
  const reply = takeoverUtterances(
    agentSpeech.filter((s) => s.startS > notBeforeS),
    referenceS,
  )[0];
  return reply ? reply.startS - referenceS : null;
}
