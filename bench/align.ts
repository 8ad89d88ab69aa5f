/**
 * `npm run bench -- align`: word-timing error per speech engine against known answers
 * (datasets/tts/measure.ts): planted pauses found again in each engine's audio, and the forced
 * aligner (used by engines without timings: gnuspeech) on speech whose timings are exact.
 */
import { ENGINE_INFO, type SpeechVoice } from '../datasets/tts/engine.ts';
import { alignerError, pauseEdgeError, stats, type ErrorStats } from '../datasets/tts/measure.ts';
import type { Row } from './engine.ts';

const VOICES: SpeechVoice[] = [
  { name: 'en-us', rate_wpm: 175, pitch: 50 },
  { name: 'en-gb+f3', rate_wpm: 160, pitch: 60 },
  { engine: 'flite', name: 'slt', rate_wpm: 175, pitch: 50 },
  { engine: 'flite', name: 'rms', rate_wpm: 175, pitch: 50 },
  { engine: 'flite', name: 'awb', rate_wpm: 175, pitch: 50 },
  { engine: 'gnuspeech', name: 'male', rate_wpm: 175, pitch: 50 },
  { engine: 'gnuspeech', name: 'female', rate_wpm: 175, pitch: 50 },
];

const ALIGNER_TARGETS: SpeechVoice[] = [
  { name: 'en-gb+f3', rate_wpm: 160, pitch: 60 },
  { name: 'en-us+m3', rate_wpm: 200, pitch: 40 },
  { engine: 'flite', name: 'slt', rate_wpm: 175, pitch: 50 },
  { engine: 'flite', name: 'rms', rate_wpm: 175, pitch: 50 },
];

const fmt = (s: ErrorStats) => ({
  n: s.n,
  'median ms': s.medianMs.toFixed(1),
  'p90 ms': s.p90Ms.toFixed(1),
  'max ms': s.maxMs.toFixed(1),
  '<= 10 ms': `${(s.withinFrame * 100).toFixed(0)}%`,
});

export async function alignBench(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const v of VOICES) {
    const engine = v.engine ?? 'espeak';
    rows.push({
      measure: 'planted pause edges',
      engine,
      voice: v.name,
      timings: engine === 'gnuspeech' ? 'forced alignment' : 'engine',
      ...fmt(stats(await pauseEdgeError(v))),
    });
  }
  for (const v of ALIGNER_TARGETS) {
    const engine = v.engine ?? 'espeak';
    rows.push({
      measure: 'aligner word edges vs exact timings',
      engine,
      voice: v.name,
      timings: ENGINE_INFO[engine].name,
      ...fmt(stats(await alignerError(v))),
    });
  }
  return rows;
}
