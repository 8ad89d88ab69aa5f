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

/** Lag (ms) maximising the normalised correlation, and that correlation (1 = identical shape). */
export function echoDelayMs(user: Int16Array, agent: Int16Array, sampleRate: number, maxLagMs: number): { delayMs: number; correlation: number } {
  const u = decimate(user);
  const a = decimate(agent);
  const rate = sampleRate / DECIMATE;
  const maxLag = Math.round((maxLagMs * rate) / 1000);
  let best = { lag: 0, r: -Infinity };
  for (let lag = 0; lag <= maxLag; lag++) {
    let uv = 0;
    let uu = 0;
    let aa = 0;
    for (let i = 0; i + lag < a.length && i < u.length; i++) {
      uv += u[i] * a[i + lag];
      uu += u[i] * u[i];
      aa += a[i + lag] * a[i + lag];
    }
    const r = uu > 0 && aa > 0 ? uv / Math.sqrt(uu * aa) : 0;
    if (r > best.r) best = { lag, r };
  }
  return { delayMs: (best.lag * 1000) / rate, correlation: best.r };
}

/**
 * The echo delay window by window (windowMs of user audio against the agent channel up to
 * maxLagMs later): robust to a glitch or a schedule move mid-session, which split a
 * whole-recording correlation between two delays.
 */
export function echoDelaysByWindow(user: Int16Array, agent: Int16Array, sampleRate: number, windowMs: number, maxLagMs: number): { delayMs: number; correlation: number }[] {
  const w = Math.round((windowMs * sampleRate) / 1000);
  const lag = Math.round((maxLagMs * sampleRate) / 1000);
  const out: { delayMs: number; correlation: number }[] = [];
  for (let s = 0; s + w + lag <= Math.min(user.length, agent.length); s += w) {
    out.push(echoDelayMs(user.subarray(s, s + w), agent.subarray(s, s + w + lag), sampleRate, maxLagMs));
  }
  return out;
}
