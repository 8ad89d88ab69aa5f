/**
 * The delay of `agent` behind `user` by cross-correlation, for the echo page (the page plays
 * the injected microphone straight back); `decimate` also serves the parity check's transport
 * lags. Both are decimated to 2 kHz first (mean of 8), so a search over 0..maxLagMs is cheap;
 * the answer is to 0.5 ms.
 */
export const DECIMATE = 8;

export function decimate(pcm: Int16Array): Float64Array {
  const out = new Float64Array(Math.floor(pcm.length / DECIMATE));
  for (let i = 0; i < out.length; i++) {
    let s = 0;
    for (let k = 0; k < DECIMATE; k++) s += pcm[i * DECIMATE + k];
    out[i] = s / DECIMATE;
  }
  return out;
}

/**
 * Where window `w` best matches inside `r`, among the start positions [from, to] at which it
 * fits whole: the position and its normalised correlation (1 = identical shape, 0 = none).
 */
export function bestMatch(w: Float64Array, r: Float64Array, from: number, to: number): { at: number; correlation: number } {
  let ww = 0;
  for (const x of w) ww += x * x;
  let best = { at: from, correlation: 0 };
  if (ww === 0) return best;
  for (let p = Math.max(0, from); p <= to && p + w.length <= r.length; p++) {
    let wr = 0;
    let rr = 0;
    for (let i = 0; i < w.length; i++) {
      wr += w[i] * r[p + i];
      rr += r[p + i] * r[p + i];
    }
    const c = rr > 0 ? wr / Math.sqrt(ww * rr) : 0;
    if (c > best.correlation) best = { at: p, correlation: c };
  }
  return best;
}

/** Lag (ms, 0..maxLagMs) of `agent` behind `user` maximising the normalised correlation, and that correlation. */
function echoDelayMs(user: Int16Array, agent: Int16Array, sampleRate: number, maxLagMs: number): { delayMs: number; correlation: number } {
  const rate = sampleRate / DECIMATE;
  const best = bestMatch(decimate(user), decimate(agent), 0, Math.round((maxLagMs * rate) / 1000));
  return { delayMs: (best.at * 1000) / rate, correlation: best.correlation };
}

/**
 * The echo delay window by window (windowMs of user audio against the agent channel up to
 * maxLagMs later): robust to a glitch or a schedule move mid-session, which split a
 * whole-recording correlation between two delays.
 */
export function echoDelaysByWindow(
  user: Int16Array,
  agent: Int16Array,
  sampleRate: number,
  windowMs: number,
  maxLagMs: number,
): { delayMs: number; correlation: number }[] {
  const w = Math.round((windowMs * sampleRate) / 1000);
  const lag = Math.round((maxLagMs * sampleRate) / 1000);
  const out: { delayMs: number; correlation: number }[] = [];
  for (let s = 0; s + w + lag <= Math.min(user.length, agent.length); s += w) {
    out.push(echoDelayMs(user.subarray(s, s + w), agent.subarray(s, s + w + lag), sampleRate, maxLagMs));
  }
  return out;
}
