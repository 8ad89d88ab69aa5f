/**
 * Voice activity of an imported WAV, in seconds on the file's own clock, from crosstalk's one
 * speech detector (harness/vad/speech.ts) run at the file's own sample rate.
 */
import { speechSegments } from '../../harness/vad/speech.ts';
import type { SpanS } from '../../harness/metrics/peer/types.ts';
import { pyRound } from '../../harness/metrics/peer/py-round.ts';
import { readMonoWav } from './wav.ts';

export function speechOf(file: string): SpanS[] {
  const { pcm, sampleRate } = readMonoWav(file);
  return speechSegments(pcm, sampleRate).map((s) => ({ startS: s.startMs / 1000, endS: s.endMs / 1000 }));
}

/**
 * The times Full-Duplex-Bench's backchannel script would see: its Silero call passes no sample
 * rate, so it reads the samples as 16 kHz, and reports seconds rounded to 0.1 s. Applied to our
 * VAD's segments to emulate that reading (the detector itself differs: energy, not Silero).
 */
export function asPeerBackchannelVad(speech: SpanS[], sampleRate: number): SpanS[] {
  const k = sampleRate / 16_000;
  return speech.map((s) => ({ startS: pyRound(s.startS * k, 1), endS: pyRound(s.endS * k, 1) }));
}
