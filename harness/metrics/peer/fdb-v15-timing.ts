/**
 * Stop latency and response latency around an overlap event (Full-Duplex-Bench v1.5: user
 * interruption, user backchannel, talking to someone else, background speech).
 *
 * Peer rule (v1_v1.5/evaluation/get_timing.py, commit d7336bd), per sample:
 * 1. Silero VAD on input.wav and output.wav (both resampled to 16 kHz). User segments closer
 *    than 0.6 s are merged, model segments closer than 0.5 s.
 * 2. Stop list: every overlap between a user segment and a model segment (a two-pointer walk
 *    over both lists), rounded to ms; of overlaps ending at the same ms the shortest is kept.
 *    Stop latency = overlap end - overlap start.
 * 3. Response list: for each user segment, the first model segment starting strictly after the
 *    user segment ends; of user segments answered by the same model start, the latest is kept.
 *    Response latency = model start - user end.
 * The event window in metadata.json is not used: every overlap and every gap in the sample counts.
 *
 * What it gets wrong, and the crosstalk rule that fixes it:
 * - Overlaps and gaps unrelated to the event (the agent answering the context turn, a second
 *   answer) are mixed in. crosstalk measures around the event window from metadata.json only.
 * - An agent that starts answering before the user has finished has no "next start after the
 *   user end", so its early answer is skipped and a later restart (or nothing) is reported.
 *   crosstalk: the reply is the first agent utterance starting after the event began and still
 *   going when it ends; its latency is signed (negative = early).
 * - Stop latency is the overlap length, 0-capped by construction: an agent that was silent at the
 *   event start yields no row, indistinguishable from one that never stopped beyond the list.
 *   crosstalk: stop latency = end of the agent utterance under way when the event began - event
 *   start, null with the reason when the agent was silent then, and whether it stopped before
 *   the event ended.
 */
import { pyRound, pyRoundInt } from './py-round.ts';
import { mergeSpans } from './fdb-v1-takeover.ts';
import { crosstalkResponseLatencyS } from './fdb-v1-response-latency.ts';
import type { SpanS } from './types.ts';

const PEER_USER_MERGE_GAP_S = 0.6;
const PEER_MODEL_MERGE_GAP_S = 0.5;

/** The peer's `overlaps(user, model)`: [start, end] seconds, rounded to ms, sorted by end. */
function peerOverlaps(user: SpanS[], model: SpanS[]): [number, number][] {
  const raw: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < user.length && j < model.length) {
    const s = Math.max(user[i].startS, model[j].startS);
    const e = Math.min(user[i].endS, model[j].endS);
    if (e > s) raw.push([s, e]);
    if (user[i].endS < model[j].endS) i++;
    else j++;
  }
  const best = new Map<number, [number, number]>();
  for (const [s, e] of raw) {
    const key = pyRoundInt(e * 1000);
    const prev = best.get(key);
    if (!prev || e - s < prev[1] - prev[0]) best.set(key, [s, e]);
  }
  return [...best.values()].sort((a, b) => a[1] - b[1]).map(([s, e]) => [pyRound(s, 3), pyRound(e, 3)]);
}

/** The peer's `response_gaps(user, model)`: [user end, next model start], rounded to ms. */
function peerResponseGaps(user: SpanS[], model: SpanS[]): [number, number][] {
  const tmp = new Map<number, [number, number]>();
  for (const u of user) {
    const next = model.find((m) => m.startS > u.endS);
    if (!next) continue;
    const key = pyRoundInt(next.startS * 1000);
    const cand: [number, number] = [pyRound(u.endS, 3), pyRound(next.startS, 3)];
    const prev = tmp.get(key);
    if (!prev || cand[0] > prev[0]) tmp.set(key, cand);
  }
  return [...tmp.values()].sort((a, b) => a[1] - b[1]);
}

export interface PeerTiming {
  stop: [number, number][];
  response: [number, number][];
}

/** Steps 1-3 on raw VAD segments (seconds at 16 kHz, as the peer's VAD reports them). */
export function peerTiming(userVad: SpanS[], modelVad: SpanS[]): PeerTiming {
  const user = mergeSpans(userVad, PEER_USER_MERGE_GAP_S);
  const model = mergeSpans(modelVad, PEER_MODEL_MERGE_GAP_S);
  return { stop: peerOverlaps(user, model), response: peerResponseGaps(user, model) };
}

export interface CrosstalkTiming {
  /** Seconds from the event start to the end of the agent utterance under way then. */
  stopLatencyS: number | null;
  /** Whether that utterance ended before the event did; null when there was none. */
  stoppedDuringEvent: boolean | null;
  /** Signed seconds from the event end to the reply's start; null when no reply. */
  responseLatencyS: number | null;
}

/** crosstalk: see the header. `agentSpeech` in true seconds, event from metadata.json. */
export function crosstalkTiming(agentSpeech: SpanS[], event: SpanS): CrosstalkTiming {
  const talking = mergeSpans(agentSpeech, PEER_MODEL_MERGE_GAP_S).find((u) => u.startS < event.startS && u.endS > event.startS);
  return {
    stopLatencyS: talking ? talking.endS - event.startS : null,
    stoppedDuringEvent: talking ? talking.endS <= event.endS : null,
    responseLatencyS: crosstalkResponseLatencyS(agentSpeech, event.endS, event.startS),
  };
}
