/**
 * The echo path (`run --perturb echo:-20dB@120ms`): the agent's own played audio coming back
 * into the user's microphone, attenuated by `gainDb` and delayed by `delayMs`, as a speaker
 * phone or a laptop without echo cancellation does. It is live: the echo of what the agent
 * actually played, so it runs in the session, not at render time.
 *
 * Sample-exact on the session clock: push() takes the played agent channel in order from
 * sample 0 (what the recording's agent channel holds), and mixInto() adds to user sample s
 * gain * played[s - delay]. A played sample not pushed yet when its echo is due (the playout
 * lagging the user track by more than the delay) counts as silence and is counted in
 * `lateSamples`; with the session's order (user frame, then the played frame) a delay of one
 * frame (20 ms) or more never needs one.
 */
export class EchoPath {
  readonly gain: number;
  readonly delaySamples: number;
  /** Played samples still needed: pushed[i] is agent sample `base + i`. */
  private held = new Float64Array(0);
  private base = 0;
  private pushed = 0;
  lateSamples = 0;

  constructor(
    readonly gainDb: number,
    readonly delayMs: number,
    readonly sampleRate: number,
  ) {
    this.gain = 10 ** (gainDb / 20);
    this.delaySamples = Math.round((delayMs * sampleRate) / 1000);
  }

  /** The agent samples played next (contiguous with those pushed before). */
  push(played: Int16Array): void {
    const next = new Float64Array(this.pushed - this.base + played.length);
    next.set(this.held);
    for (let i = 0; i < played.length; i++) next[this.pushed - this.base + i] = played[i] * this.gain;
    this.held = next;
    this.pushed += played.length;
  }

  /** Add the echo to user samples [fromSample, fromSample + mix.length), in int16 units. */
  mixInto(mix: Float64Array, fromSample: number): void {
    for (let i = 0; i < mix.length; i++) {
      const s = fromSample + i - this.delaySamples;
      if (s < 0) continue;
      if (s >= this.pushed) this.lateSamples++;
      else if (s >= this.base) mix[i] += this.held[s - this.base];
    }
    // The user track only moves forward: older played samples are never needed again.
    const keepFrom = Math.max(this.base, Math.min(this.pushed, fromSample + mix.length - this.delaySamples));
    this.held = this.held.slice(keepFrom - this.base);
    this.base = keepFrom;
  }
}
