/** Test audio: tone bursts standing in for speech, quiet noise floors, and a real-time player. */
import type { AdapterSession } from '../../../harness/adapter.ts';
import type { Clock } from '../../../harness/clock.ts';

/** A sine at `dbfs` RMS. */
export function tone(ms: number, sampleRate: number, dbfs = -20, hz = 440): Int16Array {
  const n = Math.round((ms * sampleRate) / 1000);
  const amp = 32768 * 10 ** (dbfs / 20) * Math.SQRT2;
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(amp * Math.sin((2 * Math.PI * hz * i) / sampleRate));
  return out;
}

/** Deterministic low-level noise (a room-tone stand-in, never digital zero). */
export function noiseFloor(ms: number, sampleRate: number, dbfs = -60, seed = 1): Int16Array {
  const n = Math.round((ms * sampleRate) / 1000);
  const amp = 32768 * 10 ** (dbfs / 20) * Math.sqrt(3);
  const out = new Int16Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = Math.round(amp * (((s >>> 0) / 2 ** 32) * 2 - 1));
  }
  return out;
}

export function concat(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Send `pcm` in 20 ms frames in real time: the frame covering [t, t+20) is sent at clock time
 * startMs + t + 20, the moment a microphone would have delivered it. Resolves after the last,
 * with the clock time each frame was really handed to the adapter (later than its deadline when
 * the event loop was busy: a wall-clock check measures the adapter from there).
 */
export function playFrames(session: AdapterSession, pcm: Int16Array, sampleRate: number, clock: Clock, startMs: number): Promise<number[]> {
  const frame = Math.round((sampleRate * 20) / 1000);
  const frames = Math.ceil(pcm.length / frame);
  const handedAtMs: number[] = [];
  return new Promise((resolve, reject) => {
    for (let k = 0; k < frames; k++) {
      const deadline = startMs + (k + 1) * 20;
      clock.at(deadline, async () => {
        try {
          handedAtMs[k] = clock.nowMs();
          await session.sendAudio(pcm.slice(k * frame, (k + 1) * frame), deadline);
          if (k === frames - 1) resolve(handedAtMs);
        } catch (e) {
          reject(e);
        }
      });
    }
  });
}

/** Stream position (ms) of the first sample louder than `threshold` (absolute value), or -1. */
export function firstLoudMs(pcm: Int16Array, sampleRate: number, threshold = 1000): number {
  for (let i = 0; i < pcm.length; i++) if (Math.abs(pcm[i]) > threshold) return (i / sampleRate) * 1000;
  return -1;
}
