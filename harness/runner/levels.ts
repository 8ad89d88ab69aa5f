/**
 * Active speech level: the RMS of a clip over the stretches the shared VAD calls speech, in dBFS
 * (0 dBFS = RMS of a full-scale square wave, the convention of harness/vad/energy.ts). A sound
 * bed's `snr_db` is set against this level of the scenario's own user speech.
 */
import { speechSegments } from '../vad/energy.ts';

/** Used when a scenario has no user speech to measure (a bed alone). */
export const NOMINAL_SPEECH_DBFS = -26;

export function activeSpeechDbfs(clips: readonly Int16Array[], sampleRate: number): number {
  let sum = 0;
  let n = 0;
  for (const pcm of clips) {
    for (const seg of speechSegments(pcm, sampleRate)) {
      const a = Math.round((seg.startMs * sampleRate) / 1000);
      const b = Math.min(pcm.length, Math.round((seg.endMs * sampleRate) / 1000));
      for (let i = a; i < b; i++) sum += (pcm[i] / 32768) ** 2;
      n += Math.max(0, b - a);
    }
  }
  return n === 0 || sum === 0 ? NOMINAL_SPEECH_DBFS : 10 * Math.log10(sum / n);
}
