/**
 * How late one session's audio reached the agent and how late the agent's audio was heard,
 * measured on the audio itself. The tap gives each direction as a stream of messages with the
 * time each passed it; the recording gives the user channel (as sent) and the agent channel
 * (as heard) on the session clock. A window of messages is found in the recording by content
 * (cross-correlation), and its lag is the time between the two sightings:
 *   input:  the window's first message reached the agent - its first sample's session time;
 *   output: its first sample was heard - its first message left the agent.
 * Windows that do not match (silence, a flushed answer, a codec's changes) are left out; the
 * session's lag is the median of the rest, and each window's lag is kept with its time, because
 * a WebRTC path's delay moves within a session (its jitter buffer grows after a stall and
 * shrinks slowly): what a latency carries is the lag around its own moments (lagAroundMs).
 * Both lags include a part fixed by the measurement (the 20 ms framing, the tap's hop); it is
 * the same for every client, so differences between clients are exact.
 */
import type { Recording } from '../../../harness/scoring/types.ts';
import { SAMPLE_RATE } from '../../../reference-impl/frames.ts';
import type { TappedAudio, TappedConnection } from './agent-tap.ts';
import { DECIMATE, bestMatch, decimate } from './echo-delay.ts';
import { speechSegments, type SpeechSegmentMs } from '../../../harness/vad/speech.ts';

/**
 * Messages per window (20 ms each): 300 ms of the user's audio; 160 ms of the agent's, which a
 * page's playout stretches now and then, so that longer windows near an answer's onset rarely match.
 */
const WINDOW_MESSAGES = { input: 15, output: 8 };
/** A window starts every this many messages (100 ms): overlapping, so a short answer still has some. */
const STEP_MESSAGES = 5;
/**
 * Longer than any client's path here (pages: 40-250 ms each way quiet, about 800 ms into the
 * agent once in a loaded CI run, 2.4 s once through WebRTC beside three CPU-bound processes):
 * a lag past it leaves its windows unmatched.
 */
const MAX_LAG_MS = 3000;
/** A window counts when it matches the recording this well (unrelated audio stays far below). */
const MIN_CORRELATION = 0.8;

/** One matched window: where it lies in the recording (session clock, ms) and its lag (ms). */
export interface LagSample {
  atMs: number;
  lagMs: number;
}

export interface TransportLagMs {
  /** A user sample's time on the session clock -> the agent received it (median over windows). */
  inputMs: number;
  /** The agent sent a sample -> it was heard on the recording's agent channel (median over windows). */
  outputMs: number;
  /** Every matched window, in order; `atMs` is the user audio's time as sent (input) or the agent audio's as heard (output). */
  input: LagSample[];
  output: LagSample[];
}

/** How far from a moment a window may lie and still speak for it, and how many of the nearest count. */
const AROUND_MS = 1000;
const AROUND_WINDOWS = 3;

/**
 * Lags of tapped windows against a recording channel. `direction` +1: the recording comes first
 * (input: lag = tap time - recording time); -1: the tap comes first (output).
 */
function lagsMs(messages: TappedAudio[], channel: Int16Array, sampleRate: number, originMs: number, direction: 1 | -1, windowMessages: number): LagSample[] {
  const rate = sampleRate / DECIMATE;
  const r = decimate(channel);
  const maxLag = Math.round((MAX_LAG_MS * rate) / 1000);
  const lags: LagSample[] = [];
  for (let k = 0; k + windowMessages <= messages.length; k += STEP_MESSAGES) {
    const window = messages.slice(k, k + windowMessages);
    const pcm = new Int16Array(window.reduce((n, m) => n + m.pcm.length, 0));
    window.reduce((at, m) => (pcm.set(m.pcm, at), at + m.pcm.length), 0);
    const tapMs = window[0].atMs - originMs;
    const tapAt = Math.round((tapMs * rate) / 1000);
    const [from, to] = direction === 1 ? [tapAt - maxLag, tapAt] : [tapAt, tapAt + maxLag];
    const m = bestMatch(decimate(pcm), r, from, to);
    if (m.correlation < MIN_CORRELATION) continue;
    const recordingMs = (m.at * 1000) / rate;
    lags.push({ atMs: recordingMs, lagMs: direction * (tapMs - recordingMs) });
  }
  return lags;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * `originMs`: the session clock's origin in performance.now() time. Undefined when a direction
 * has no window that matched (nothing measurable).
 */
export function transportLagMs(rec: Recording, tapped: TappedConnection, originMs: number): TransportLagMs | undefined {
  // The tap holds the agent's wire audio; the recording must be at the same rate to compare.
  if (rec.sampleRate !== SAMPLE_RATE) throw new Error(`transport lag: recording at ${rec.sampleRate} Hz, the agent's audio at ${SAMPLE_RATE} Hz`);
  const input = lagsMs(tapped.toAgent, rec.user, rec.sampleRate, originMs, 1, WINDOW_MESSAGES.input);
  const output = lagsMs(tapped.fromAgent, rec.agent, rec.sampleRate, originMs, -1, WINDOW_MESSAGES.output);
  if (input.length === 0 || output.length === 0) return undefined;
  return { inputMs: median(input.map((x) => x.lagMs)), outputMs: median(output.map((x) => x.lagMs)), input, output };
}

/**
 * The lag around one moment of the session (ms): the median of the windows nearest `atMs`
 * (at most AROUND_WINDOWS, within AROUND_MS either side). Undefined when none lies that near.
 */
export function lagAroundMs(samples: LagSample[], atMs: number): number | undefined {
  const near = samples
    .filter((x) => Math.abs(x.atMs - atMs) <= AROUND_MS)
    .sort((a, b) => Math.abs(a.atMs - atMs) - Math.abs(b.atMs - atMs))
    .slice(0, AROUND_WINDOWS);
  return near.length === 0 ? undefined : median(near.map((x) => x.lagMs));
}

/** A pause this long in a client's audio to the agent is a stall: clients send every 20 ms. */
const STALL_MS = 100;

/** Where (session clock, the last message before the pause) and how long the client's audio stopped reaching the agent, ms. */
export function inputStalls(tapped: TappedConnection, originMs: number): { atMs: number; gapMs: number }[] {
  const out: { atMs: number; gapMs: number }[] = [];
  const m = tapped.toAgent;
  for (let k = 1; k < m.length; k++) {
    const gapMs = m[k].atMs - m[k - 1].atMs;
    if (gapMs > STALL_MS) out.push({ atMs: m[k - 1].atMs - originMs, gapMs });
  }
  return out;
}

/** Speech edges this far apart (ms) still agree: a client's path moves them by its jitter, and a codec by a little more. */
const SPEECH_EDGE_SLACK_MS = 300;
const GRID_MS = 10;

/**
 * How much speech the agent got that the user did not say, plus how much the user said that the
 * agent did not get, ms of session time: the scorer's speech detector on the user channel as sent,
 * and on the client's audio as it reached the agent, put on the session clock by its arrival
 * minus the session's input lag. Near zero whatever the client, unless the path lost, held back
 * or made up audio (a WebRTC session beside three CPU-bound processes once answered 2.4 s late
 * with no window matching for 3.9 s).
 */
export function speechMismatchMs(rec: Pick<Recording, 'user' | 'sampleRate'>, tapped: TappedConnection, originMs: number, inputLagMs: number): number {
  const sent = speechSegments(rec.user, rec.sampleRate);
  const pcm = new Int16Array(tapped.toAgent.reduce((n, m) => n + m.pcm.length, 0));
  const startsAt: number[] = [];
  tapped.toAgent.reduce((at, m) => (startsAt.push(at), pcm.set(m.pcm, at), at + m.pcm.length), 0);
  // A stream sample's session time: its message's arrival, less the input lag, plus its place in the message.
  const sessionMs = (sample: number): number => {
    let k = startsAt.length - 1;
    while (k > 0 && startsAt[k] > sample) k--;
    return tapped.toAgent[k].atMs - originMs - inputLagMs + ((sample - startsAt[k]) * 1000) / SAMPLE_RATE;
  };
  const toSamples = (ms: number) => Math.round((ms * SAMPLE_RATE) / 1000);
  const got = speechSegments(pcm, SAMPLE_RATE).map((x) => ({ startMs: sessionMs(toSamples(x.startMs)), endMs: sessionMs(toSamples(x.endMs)) }));
  return uncoveredMs(got, sent) + uncoveredMs(sent, got);
}

/** Time in `a` farther than SPEECH_EDGE_SLACK_MS from any of `b`, on a 10 ms grid. */
function uncoveredMs(a: SpeechSegmentMs[], b: SpeechSegmentMs[]): number {
  let n = 0;
  for (const x of a)
    for (let t = x.startMs; t < x.endMs; t += GRID_MS) if (!b.some((y) => t >= y.startMs - SPEECH_EDGE_SLACK_MS && t <= y.endMs + SPEECH_EDGE_SLACK_MS)) n++;
  return n * GRID_MS;
}
