/**
 * crosstalk's reading of an FD-Bench conversation (user and agent voice-activity timestamps),
 * correcting the peer rule in fd-bench-rounds.ts and fd-bench-summary.ts.
 *
 * What the peer gets wrong:
 * - Sample indices become ms by /16: right only at 16 kHz. crosstalk takes the sample rate.
 * - Times are truncated to whole ms, and zeros and negatives are dropped before the median, so
 *   an agent that answers early simply disappears from the reply time. crosstalk keeps one
 *   signed reply latency per user turn (negative = the agent started before the user ended).
 * - Counts are of agent segments, not of turns: three early interrupts in one turn count three
 *   times over one round, so a rate can pass 100 %. crosstalk counts turns, so every rate lies
 *   in [0, 1], and reports its denominator.
 * - A successful interrupt is credited by several unrelated paths (an early interrupt that
 *   stops, a reply while the flag is set). crosstalk: the user barges in when an agent segment
 *   is active at the user's start; the barge-in succeeds when that segment ends before the user
 *   does; stop time = its end - the user's start.
 * The noise-interrupt rule depends on where the benchmark placed its noise, which the layout
 * does not carry; crosstalk does not redefine it.
 *
 * crosstalk rules, per user turn (start us, end ue; next user start nu):
 * - early interrupt: an agent segment starts inside the turn more than 0.5 s before ue; lead
 *   time = ue - its start (the first one).
 * - reply: the first agent segment starting after us that is still going at ue and starts before
 *   nu; latency = its start - ue, signed.
 */
import type { SampleSpan } from './fd-bench-rounds.ts';

const EARLY_MARGIN_S = 0.5;

export interface CrosstalkTurn {
  /** Turn index (0-based) within the conversation. */
  turn: number;
  bargeIn: boolean;
  /** When the user barged in: did the agent stop before the user ended? */
  stopped: boolean | null;
  stopMs: number | null;
  earlyInterrupt: boolean;
  earlyLeadMs: number | null;
  replied: boolean;
  /** Signed: negative when the agent began before the user ended. */
  replyLatencyMs: number | null;
}

export function crosstalkFdBenchTurns(user: SampleSpan[], agent: SampleSpan[], sampleRate: number): CrosstalkTurn[] {
  const ms = (samples: number) => (samples * 1000) / sampleRate;
  const margin = EARLY_MARGIN_S * sampleRate;
  return user.map((u, i) => {
    const nextStart = i + 1 < user.length ? user[i + 1].start : Infinity;
    const active = agent.find((a) => a.start < u.start && a.end > u.start);
    const early = agent.find((a) => a.start > u.start && a.start < u.end - margin);
    const reply = agent.find((a) => a.start > u.start && a.end > u.end && a.start < nextStart);
    return {
      turn: i,
      bargeIn: active !== undefined,
      stopped: active ? active.end < u.end : null,
      stopMs: active ? ms(active.end - u.start) : null,
      earlyInterrupt: early !== undefined,
      earlyLeadMs: early ? ms(u.end - early.start) : null,
      replied: reply !== undefined,
      replyLatencyMs: reply ? ms(reply.start - u.end) : null,
    };
  });
}
