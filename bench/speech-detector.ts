/**
 * The speech detector (harness/vad/speech.ts) measured: speed in x real time on a few minutes
 * of synthesized speech (one core, 16 kHz), edge error against the energy detector's edges of
 * the same speech over a quiet floor (the planted truth the tests use), and, per content-free
 * signal, how many segments it reports (0 is the answer) over six levels from -50 to -6 dBFS.
 * Run alone: `node --import tsx bench/speech-detector.ts`.
 */
import { speechSegments } from '../harness/vad/speech.ts';
import { speechSegments as energySegments } from '../harness/vad/energy.ts';
import { noise, nonSpeechSignals, SPEECH_CHECK_VOICES, toLevel } from '../harness/vad/nonspeech.ts';
import { quantile } from '../harness/stats.ts';
import { synthesize, type EspeakVoice } from '../datasets/tts/espeak.ts';

const SR = 16_000;
const VOICES: readonly EspeakVoice[] = SPEECH_CHECK_VOICES;
const TEXTS = [
  'The museum closes early on Fridays, so we should hurry.',
  'Could you pass me the salt, please?',
  'I think the meeting moved to Thursday afternoon.',
  'We moved into the new apartment last month and we still have boxes everywhere.',
  'Yes.',
  'Mm-hmm.',
  'Okay, sure, that sounds right to me.',
];

function time(run: () => unknown): number {
  const t0 = performance.now();
  run();
  return performance.now() - t0;
}

export async function speechDetectorBench(): Promise<Record<string, string | number>[]> {
  const rows: Record<string, string | number>[] = [];
  // A long recording: every voice says every text, 700 ms apart, over a -60 dBFS floor.
  const parts: Int16Array[] = [];
  for (const v of VOICES) for (const t of TEXTS) parts.push((await synthesize(t, v)).pcm);
  const gap = Math.round(0.7 * SR);
  const rounds = 3;
  const total = rounds * parts.reduce((n, p) => n + p.length + gap, 0);
  const pcm = new Int16Array(total);
  const floor = toLevel(noise('white', total, 1), -60);
  let at = 0;
  const levels = [-18, -26, -34];
  for (let round = 0; round < rounds; round++) {
    for (const p of parts) {
      pcm.set(toLevel(Float64Array.from(p), levels[round]), at);
      at += p.length + gap;
    }
  }
  for (let i = 0; i < total; i++) pcm[i] = Math.max(-32768, Math.min(32767, pcm[i] + floor[i]));
  const seconds = total / SR;
  speechSegments(pcm.subarray(0, SR * 10), SR); // warm up
  const speechMs = Math.min(...[0, 1, 2].map(() => time(() => speechSegments(pcm, SR))));
  const energyMs = Math.min(...[0, 1, 2].map(() => time(() => energySegments(pcm, SR))));
  rows.push({
    measure: `speed, ${(seconds / 60).toFixed(1)} min of speech + pauses, 16 kHz, one core`,
    value: `${Math.round((seconds * 1000) / speechMs)}x real time (energy VAD: ${Math.round((seconds * 1000) / energyMs)}x)`,
  });

  // Edges vs truth, per utterance placed alone.
  const errors: number[] = [];
  let missed = 0;
  let split = 0;
  for (const level of levels) {
    for (const p of parts) {
      const n = p.length + 12_000;
      const one = new Int16Array(n);
      one.set(toLevel(Float64Array.from(p), level), 4000);
      const f = toLevel(noise('white', n, 2), -60);
      for (let i = 0; i < n; i++) one[i] = Math.max(-32768, Math.min(32767, one[i] + f[i]));
      const truth = energySegments(one, SR);
      const got = speechSegments(one, SR);
      if (got.length === 0) missed++;
      else if (got.length !== truth.length) split++;
      else got.forEach((g, i) => errors.push(Math.abs(g.startMs - truth[i].startMs), Math.abs(g.endMs - truth[i].endMs)));
    }
  }
  rows.push({
    measure: `edge error vs energy edges of the utterance alone (${parts.length * levels.length} utterances, ${levels.join('/')} dBFS, -60 dBFS floor)`,
    value: `p50 ${quantile(errors, 0.5).toFixed(2)} ms, p90 ${quantile(errors, 0.9).toFixed(2)} ms, max ${Math.max(...errors).toFixed(1)} ms; missed ${missed}, segment count differs ${split}`,
  });

  // Content-free signals: segments found (raw runs, no merging, no minimum) over six levels.
  const found = new Map<string, number>();
  for (const level of [-50, -40, -30, -20, -12, -6]) {
    for (const sig of nonSpeechSignals(level, SR, 4000, 3)) {
      const n = speechSegments(sig.pcm, SR, { mergeGapMs: 0, minSpeechMs: 0 }).length;
      found.set(sig.name, (found.get(sig.name) ?? 0) + n);
    }
  }
  for (const [name, n] of found) rows.push({ measure: `segments in "${name}", 6 levels x 4 s`, value: n });
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await speechDetectorBench()) console.log(`| ${row.measure} | ${row.value} |`);
}
