/**
 * FD-Bench per-conversation analysis: for each user round, classify every agent (AI) speech
 * segment as an early interrupt, a successful interrupt, a reply, or a noise interrupt.
 *
 * Peer rule (pengyizhou/FD-Bench, benchmark/benchmarking.py, `analyze_VAD_interruption_new2`,
 * the one its main functions call; commit 8a4b7df). Inputs are voice-activity timestamps in
 * 16 kHz sample indices (0.5 s = 8000 samples). For each user round i (start us, end ue), with
 * a flag "the user is interrupting" cleared at the round's start, each agent segment (as, ae):
 * - as < us < ae: the user barges in on the agent: interruption count + 1, flag set.
 * - us < as < ue - 0.5 s: early interrupt (the agent cuts in): count + 1, lead time ue - as
 *   recorded; if the agent also stops before ue and the round has no interrupt delay yet, it
 *   counts as a successful interrupt too (interruption count + 1, delay ae - as).
 * - otherwise us < as < ue (within the last 0.5 s): without the flag a reply (+1, lead time
 *   ue - as, overwritten by a later one); with it, once per round, a reply to the interruption
 *   (lead time ue - as) and, if none yet, a successful interrupt with delay ae - us.
 * - otherwise, for all rounds but the last (bound: the next user start): an agent segment that
 *   started before us counts as a successful interrupt (delay ae - us) when the flag is set and
 *   it ends inside the round (us < ae <= ue); one starting in the gap (ue < as < next us) is a
 *   reply (delay as - ue) or, with the flag, a reply to the interruption plus, if none yet, a
 *   successful interrupt (delay ae - us). The last round: the same without the bounds.
 * - Noise interrupt: an agent segment ending in a gap (ue < ae < next us) at least 2.5 s before
 *   the next user start and lasting under 5.5 s, counted once per such gap.
 * Delays and lead times equal to 0 are stored as 1 sample (a 0 means "none" to the code).
 * For Moshi the peer drops the first agent segment (its greeting): `dropFirstAgentSegment`.
 * The peer's per-type tallies (Further Inquiry, Topic Shift...) need its ground-truth labels
 * and are not reproduced. One branch in the peer (agent segment ending in the gap after
 * starting before us) is unreachable there and so is absent here.
 */

/** Sample indices at the peer's 16 kHz. */
export interface SampleSpan {
  start: number;
  end: number;
}

export const PEER_SAMPLE_RATE = 16_000;
const HALF_S = 8000;
const NOISE_GAP = 40_000;
const NOISE_MAX_LEN = 88_000;

export interface RoundMarks {
  rounds: number;
  gaps: number;
  interruptions: number;
  successResponse: number;
  successResponseToInterruption: number;
  successInterrupt: number;
  earlyInterrupt: number;
  noiseInterrupt: number;
  /** Per round, in samples; 0 = none (the peer's convention). */
  responseDelay: number[];
  responseDelayToInterruption: number[];
  leadTimes: number[];
  leadTimeToInterruption: number[];
  interruptDelay: number[];
  /** Per round, every early interrupt's lead time. */
  earlyInterruptLead: number[][];
}

const orOne = (v: number) => (v === 0 ? 1 : v);

export function peerFdBenchRounds(user: SampleSpan[], agent: SampleSpan[], dropFirstAgentSegment = false): RoundMarks {
  const ai = dropFirstAgentSegment ? agent.slice(1) : agent;
  const R = user.length;
  const zeros = () => new Array<number>(R).fill(0);
  const m: RoundMarks = {
    rounds: R,
    gaps: R - 1,
    interruptions: 0,
    successResponse: 0,
    successResponseToInterruption: 0,
    successInterrupt: 0,
    earlyInterrupt: 0,
    noiseInterrupt: 0,
    responseDelay: zeros(),
    responseDelayToInterruption: zeros(),
    leadTimes: zeros(),
    leadTimeToInterruption: zeros(),
    interruptDelay: zeros(),
    earlyInterruptLead: Array.from({ length: R }, () => []),
  };
  const interruptSucceeded = (i: number, delay: number) => {
    if (m.interruptDelay[i] !== 0) return;
    m.successInterrupt++;
    m.interruptDelay[i] = orOne(delay);
  };
  for (let i = 0; i < R; i++) {
    const us = user[i].start;
    const ue = user[i].end;
    const last = i === R - 1;
    const nextUs = last ? Infinity : user[i + 1].start;
    let interrupting = false;
    const replyAfterGap = (as: number, ae: number) => {
      if (!interrupting) {
        if (m.responseDelay[i] === 0) {
          m.successResponse++;
          m.responseDelay[i] = as - ue;
        }
      } else if (m.responseDelayToInterruption[i] === 0 && m.leadTimeToInterruption[i] === 0) {
        m.successResponseToInterruption++;
        m.responseDelayToInterruption[i] = orOne(as - ue);
        interrupting = false;
        interruptSucceeded(i, ae - us);
      }
    };
    for (const { start: as, end: ae } of ai) {
      if (as < us && us < ae) {
        m.interruptions++;
        interrupting = true;
      }
      if (us < as && as < ue - HALF_S) {
        m.earlyInterrupt++;
        m.earlyInterruptLead[i].push(ue - as);
        if (ae < ue && m.interruptDelay[i] === 0) {
          m.interruptions++;
          interrupting = true;
          interruptSucceeded(i, ae - as);
        }
        continue;
      }
      if (us < as && as < ue) {
        if (!interrupting) {
          m.successResponse++;
          m.leadTimes[i] = ue - as;
        } else if (m.leadTimeToInterruption[i] === 0 && m.responseDelayToInterruption[i] === 0) {
          m.successResponseToInterruption++;
          m.leadTimeToInterruption[i] = orOne(ue - as);
          interrupting = false;
          interruptSucceeded(i, ae - us);
        }
        continue;
      }
      if (as < us) {
        const endsInRound = last ? us < ae : us < ae && ae <= ue;
        if (endsInRound && interrupting) interruptSucceeded(i, ae - us);
        continue;
      }
      if (ue < as && as < nextUs) replyAfterGap(as, ae);
    }
  }
  for (const { start: as, end: ae } of ai) {
    for (let i = 0; i < R - 1; i++) {
      const nextUs = user[i + 1].start;
      if (user[i].end < ae && ae < nextUs && nextUs - ae >= NOISE_GAP && ae - as < NOISE_MAX_LEN) m.noiseInterrupt++;
    }
  }
  return m;
}
