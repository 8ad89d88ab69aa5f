/**
 * Active speech level (harness/runner/levels.ts: RMS over what the speech detector calls speech)
 * set to a target: the reference for a noise perturbation's SNR, and the telephone path's line
 * gain.
 */
import { activeSpeechDbfs, NOMINAL_SPEECH_DBFS } from '../../harness/runner/levels.ts';

/** The user's speech level under a noise perturbation, dBFS active. */
export const SPEECH_DBFS = NOMINAL_SPEECH_DBFS;

/** The clip scaled so its active speech level is `targetDbfs` (a clip without speech is scaled as if at NOMINAL_SPEECH_DBFS). */
export function levelSpeech(pcm: Int16Array, sampleRate: number, targetDbfs = SPEECH_DBFS): Int16Array {
  const k = 10 ** ((targetDbfs - activeSpeechDbfs([pcm], sampleRate)) / 20);
  return Int16Array.from(pcm, (v) => Math.max(-32768, Math.min(32767, Math.round(v * k))));
}
