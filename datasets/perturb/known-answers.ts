/**
 * Known answers for the perturbations (perturb.test.ts; run this file to print the table):
 * an utterance with a planted mid-turn pause, rendered by every engine, perturbed, and put
 * through the project's speech detector (harness/vad/speech.ts) over a -60 dBFS floor. Each of
 * its four edges (speech start, pause start, pause end, speech end) is compared with the same
 * edge found in the clean rendering, moved by the perturbation's own time map (rate: t /
 * factor; noise: the clean clip at the level the perturbation sets, so the error is the noise's
 * alone, the gain being exact by construction): the error is what the perturbation did to the
 * timing. The perturbed detection's distance from the planted (synthesizer) times is reported
 * beside it; the clean row shows the detector's own distance from them.
 *
 *   node --import tsx datasets/perturb/known-answers.ts
 */
import { pathToFileURL } from 'node:url';
import { USER_SAMPLE_RATE, type RenderedSpeech } from '../../harness/media.ts';
import { speechSegments } from '../../harness/vad/speech.ts';
import { createNoise } from '../noise.ts';
import { renderSpeech } from '../speech.ts';
import { synthesizeWith, type SuiteEngineName } from '../tts/engine.ts';
import { perturbClip } from './apply.ts';
import { levelSpeech } from './level.ts';
import { perturbationNoise } from './noise.ts';
import { parsePerturbation } from './spec.ts';

const KNOWN_ANSWER_TEXT = 'Could you help me find a good recipe for dinner tonight?';
const KNOWN_ANSWER_PAUSE = { after_word: 4, ms: 800 };
export const KNOWN_ANSWER_ENGINES: readonly SuiteEngineName[] = ['espeak', 'flite', 'gnuspeech'];
export const KNOWN_ANSWER_SPECS = [
  'rate:1.25',
  'rate:0.8',
  'reverb:300ms',
  'reverb:800ms',
  'telephone:g711',
  'telephone:opus@8kbps',
  'noise:pink@30dB',
  'noise:room_tone@30dB',
  'noise:brown@25dB',
];

const LEAD_MS = 500;
const TAIL_MS = 2000;
const FLOOR_DBFS = -60;

/** Speech start, pause start, pause end, speech end, ms from the clip's start. */
type Edges = [number, number, number, number];

function plantedEdges(r: RenderedSpeech): Edges {
  return [r.speechStartMs, r.pauses[0].startMs, r.pauses[0].endMs, r.speechEndMs];
}

/** The detector's four edges of `pcm` placed after LEAD_MS over a floor (plus `noise`, if any, over everything). */
function detectedEdges(r: RenderedSpeech, noise?: Float32Array): Edges {
  const lead = (LEAD_MS * USER_SAMPLE_RATE) / 1000;
  const n = lead + r.pcm.length + (TAIL_MS * USER_SAMPLE_RATE) / 1000;
  const floor = createNoise({ kind: 'pink', level_dbfs: FLOOR_DBFS }, 7).next(n);
  const x = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const v = (floor[i] + (noise?.[i] ?? 0)) * 32767 + (i >= lead && i < lead + r.pcm.length ? r.pcm[i - lead] : 0);
    x[i] = Math.max(-32768, Math.min(32767, Math.round(v)));
  }
  const segments = speechSegments(x, USER_SAMPLE_RATE).map((s) => ({ startMs: s.startMs - LEAD_MS, endMs: s.endMs - LEAD_MS }));
  if (segments.length === 0) return [NaN, NaN, NaN, NaN];
  // The pause is the gap between segments that holds the planted pause's middle.
  const mid = (r.pauses[0].startMs + r.pauses[0].endMs) / 2;
  const after = segments.findIndex((s) => s.startMs > mid);
  const gap = after > 0 ? [segments[after - 1].endMs, segments[after].startMs] : [NaN, NaN];
  return [segments[0].startMs, gap[0], gap[1], segments.at(-1)!.endMs];
}

interface KnownAnswer {
  engine: SuiteEngineName;
  spec: string;
  /** Perturbed detection minus clean detection moved by the perturbation's time map, per edge, ms. */
  errorMs: Edges;
  /** Perturbed detection minus the perturbed planted times, per edge, ms. */
  vsPlantedMs: Edges;
}

export async function renderKnownAnswerClip(engine: SuiteEngineName): Promise<RenderedSpeech> {
  return renderSpeech({ text: KNOWN_ANSWER_TEXT, voice: { engine }, pauses: [KNOWN_ANSWER_PAUSE] }, { seed: 11 }, 'known-answer.yaml', synthesizeWith);
}

export function knownAnswer(engine: SuiteEngineName, clean: RenderedSpeech, spec: string): KnownAnswer {
  const p = parsePerturbation(spec);
  const out = perturbClip(clean, p, 11);
  const factor = p.rate?.factor ?? 1;
  const n = (LEAD_MS + TAIL_MS) * 16 + out.pcm.length;
  const noise = p.noise ? perturbationNoise(p.noise.kind, p.noise.snrDb, 3).next(n) : undefined;
  const before = p.noise ? { ...clean, pcm: levelSpeech(clean.pcm, clean.sampleRate) } : clean;
  const reference = detectedEdges(before).map((t) => t / factor);
  const found = detectedEdges(out, noise);
  const planted = plantedEdges(out);
  return {
    engine,
    spec,
    errorMs: found.map((t, i) => t - reference[i]) as Edges,
    vsPlantedMs: found.map((t, i) => t - planted[i]) as Edges,
  };
}

async function main(): Promise<void> {
  const fmt = (e: Edges) => e.map((v) => (Number.isNaN(v) ? '   --' : v.toFixed(0).padStart(5))).join(' ');
  process.stdout.write('engine     perturbation           error vs clean (start, pause start, pause end, end)   vs planted\n');
  for (const engine of KNOWN_ANSWER_ENGINES) {
    const clean = await renderKnownAnswerClip(engine);
    const own = detectedEdges(clean).map((t, i) => t - plantedEdges(clean)[i]) as Edges;
    process.stdout.write(`${engine.padEnd(10)} ${'(clean)'.padEnd(22)} ${fmt([0, 0, 0, 0])}   ${fmt(own)}\n`);
    for (const spec of KNOWN_ANSWER_SPECS) {
      const k = knownAnswer(engine, clean, spec);
      process.stdout.write(`${engine.padEnd(10)} ${spec.padEnd(22)} ${fmt(k.errorMs)}   ${fmt(k.vsPlantedMs)}\n`);
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
