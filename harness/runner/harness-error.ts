/**
 * Harness-made timing error, per session. A latency runs from a user speech end to an agent
 * onset; if the harness sent the frames around the speech end late, the agent heard the end
 * late, and if its event loop was late around the onset, the onset's audio was read (and
 * stamped) late. Frame deadlines are absolute, so how late each frame went out is a direct
 * sample of the loop's lateness every 20 ms. An adapter that runs part of the harness (a browser
 * page's injected microphone) adds where that part delivered the user's audio late or out of
 * place. The error bound of a session is the worst of those samples near the moments its
 * latencies are measured at.
 */
import type { InstrumentLateness } from '../adapter.ts';
import type { PlayoutStats } from './playout.ts';
import type { SessionTiming } from '../recording/events.ts';
import type { NoiseWaits } from './noise-ring.ts';

/** Frames this close to a measured moment (either side) count toward its error, ms. */
export const HARNESS_ERROR_WINDOW_MS = 60;
/** A session whose harness-made error passes this is flagged: its latencies are not trusted, ms. */
export const HARNESS_ERROR_BOUND_MS = 10;

interface TimingInputs {
  /** How late frame k (deadline (k + 1) * frameMs) went out, ms. */
  latenessMs: readonly number[];
  frameMs: number;
  /** Moments latencies are measured from or to: user speech ends and played agent onsets, ms. */
  measuredAtMs: readonly number[];
  playout: PlayoutStats;
  owedAtOnsetMs: readonly number[];
  /** Real time: the session clock's zero, epoch ms (RealClock.originEpochMs). */
  clockOriginEpochMs?: number;
  /** A floor drawn in the noise thread: the frame steps' waits for it (noise-ring.ts). */
  noiseWaits?: NoiseWaits;
  /** Lateness of a part of the harness the adapter runs (a page's injected microphone), by session time. */
  instrumentLateness?: readonly InstrumentLateness[];
  /** Real time: the live loop's nice value (harness/priority.ts). */
  liveNice?: number;
  /** Real time: whether the live loop's deadline wake-ups ran in the real-time class (harness/priority.ts). */
  wakeRealtime?: boolean;
}

export function sessionTiming(x: TimingInputs): SessionTiming {
  let worst = 0;
  for (const t of x.measuredAtMs) {
    // Frames whose deadlines, (k + 1) * frameMs, fall within the window around t.
    const first = Math.max(0, Math.ceil((t - HARNESS_ERROR_WINDOW_MS) / x.frameMs) - 1);
    const last = Math.min(x.latenessMs.length - 1, Math.floor((t + HARNESS_ERROR_WINDOW_MS) / x.frameMs) - 1);
    for (let k = first; k <= last; k++) worst = Math.max(worst, x.latenessMs[k]);
    for (const i of x.instrumentLateness ?? []) if (Math.abs(i.atMs - t) <= HARNESS_ERROR_WINDOW_MS) worst = Math.max(worst, i.latenessMs);
  }
  return {
    harnessErrorMs: worst,
    flagged: worst > HARNESS_ERROR_BOUND_MS,
    playout: x.playout,
    owedAtOnsetMaxMs: x.owedAtOnsetMs.reduce((a, b) => Math.max(a, b), 0),
    ...(x.clockOriginEpochMs === undefined ? {} : { clockOriginEpochMs: x.clockOriginEpochMs }),
    ...(x.noiseWaits === undefined ? {} : { noiseWaits: { ...x.noiseWaits } }),
    ...(x.liveNice === undefined ? {} : { liveNice: x.liveNice }),
    ...(x.wakeRealtime === undefined ? {} : { wakeRealtime: x.wakeRealtime }),
  };
}
