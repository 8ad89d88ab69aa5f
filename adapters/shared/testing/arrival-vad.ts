/**
 * A fake vendor's VAD: the energy VAD over received audio, with each transition tied to the
 * wall time (performance.now()) at which the audio holding it arrived. Planted delays are
 * measured from that arrival, so they do not depend on how long the VAD's hangover is.
 */
import type { VadChange } from '../../../harness/vad/energy.ts';
import { EnergyEndpointer, type EnergyEndpointerOptions } from '../energy-endpointer.ts';
import { pcmDurationMs } from '../pcm.ts';

type TimedChange = VadChange & { arrivedAtMs: number };

export class ArrivalVad {
  private vad: EnergyEndpointer;
  private receivedMs = 0;
  private readonly arrivals: Array<{ endMs: number; at: number }> = [];

  constructor(private readonly opts: EnergyEndpointerOptions) {
    this.vad = new EnergyEndpointer(opts);
  }

  /** Start over with a new hangover (a session.update changed it). */
  reset(hangoverMs: number): void {
    this.vad = new EnergyEndpointer({ ...this.opts, hangoverMs });
    this.arrivals.length = 0;
    this.receivedMs = 0;
  }

  push(pcm: Int16Array, at = performance.now()): TimedChange[] {
    this.receivedMs += pcmDurationMs(pcm.length, this.opts.sampleRate);
    this.arrivals.push({ endMs: this.receivedMs, at });
    return this.vad.push(pcm).map((t) => ({
      ...t,
      // An onset is the sample at atMs; an offset is the sample just before atMs.
      arrivedAtMs: this.arrivalOf(t.type === 'onset' ? (a) => a.endMs > t.atMs : (a) => a.endMs >= t.atMs),
    }));
  }

  private arrivalOf(holds: (a: { endMs: number }) => boolean): number {
    return (this.arrivals.find(holds) ?? this.arrivals[this.arrivals.length - 1]).at;
  }
}
