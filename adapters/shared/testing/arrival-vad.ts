/**
 * A fake vendor's VAD: the energy VAD over received audio, with each transition tied to the
 * wall time (performance.now()) at which the audio holding it arrived. Planted delays are
 * measured from that arrival, so they do not depend on how long the VAD's hangover is.
 */
import { EnergyVad, type EnergyVadOptions, type VadTransition } from '../energy-vad.ts';
import { pcmDurationMs } from '../pcm.ts';

type TimedTransition = VadTransition & { arrivedAt: number };

export class ArrivalVad {
  private vad: EnergyVad;
  private receivedMs = 0;
  private readonly arrivals: Array<{ endMs: number; at: number }> = [];

  constructor(private readonly opts: EnergyVadOptions) {
    this.vad = new EnergyVad(opts);
  }

  /** Start over with a new hangover (a session.update changed it). */
  reset(hangoverMs: number): void {
    this.vad = new EnergyVad({ ...this.opts, hangoverMs });
    this.arrivals.length = 0;
    this.receivedMs = 0;
  }

  push(pcm: Int16Array, at = performance.now()): TimedTransition[] {
    this.receivedMs += pcmDurationMs(pcm.length, this.opts.sampleRate);
    this.arrivals.push({ endMs: this.receivedMs, at });
    return this.vad.push(pcm).map((t) => ({
      ...t,
      // An onset is the sample at atMs; an end is the sample just before atMs.
      arrivedAt: this.arrivalOf(t.kind === 'start' ? (a) => a.endMs > t.atMs : (a) => a.endMs >= t.atMs),
    }));
  }

  private arrivalOf(holds: (a: { endMs: number }) => boolean): number {
    return (this.arrivals.find(holds) ?? this.arrivals[this.arrivals.length - 1]).at;
  }
}
