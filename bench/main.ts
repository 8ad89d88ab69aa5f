/**
 * `npm run bench [-- name...]`: prints measured figures as Markdown tables and writes each bench's
 * tables, with the date, commit and machine, to bench/figures/<name>.json (bench/summary.ts;
 * BENCH_NO_WRITE=1 skips writing). The README's figure blocks are generated from those files
 * (`npm run readme-figures`). With no names it runs the quick ones; the long ones (barge-in, soak,
 * long-real, browser, ...) run only when named.
 *
 *   pacing     real-time pacing and measured-latency error at 1, 16, 64 sessions
 *   virtual    core suite in virtual time (speed) and scoring speed
 *   speech     the scorer's speech detector: speed, edge error, segments found in content-free signals
 *   reference  reference agent vs its targets, core suites and the frozen held-out set side by side (virtual time), and
 *              the event-loop time of its onset judgement
 *   reference-capacity   concurrent real-time sessions one process holds with the in-process agent
 *   reference-processes  the same with the agent in its own processes (REFERENCE_COUNTS, default 1,4,8,16,32)
 *   barge-in   each --barge-in choice (talk, careful, words, patient, fast) on scenarios/core: stop latency, stop rate, false stops
 *   reference-visual  reference agent vs its targets on the visual_interjection, side_talk and background suites
 *   reference-timing  reference agent on the time_awareness and background_task suites
 *   reports    report and gate over 10,000 sessions
 *   long       30/60-minute sessions in virtual time (memory, drift)
 *   long-real  the 30-minute session in real time
 *   browser    the same scenarios direct vs through the demo web page (needs chromium)
 *   soak       32 concurrent real-time sessions for an hour, pacing p99 per wall-clock minute (SOAK_MINUTES,
 *              SOAK_CONCURRENCY, SOAK_PROCESSES to change)
 *   adversaries  content-free agents (adapters/adversary) on every suite vs the reference agent
 *   panel      the interaction panel per system (reference, scripted good and bad partners, adversaries)
 *   align      word-timing error per speech engine: planted pauses found again, the forced aligner vs exact timings
 *   onset      an independent planted-onset agent (own process, crosstalk-ws) on the core turn-taking scenarios in real
 *              time at 8, 32, 64 sessions, without and with a CPU-bound process: measured minus planted onset
 *              (ONSET_COUNTS, ONSET_LOAD to change)
 *   frame-step the CPU time of a user frame step with the noise floor drawn in it vs copied from the noise thread (ratio)
 */
import { join } from 'node:path';
import { pacingBench, virtualAndScoringBench, createMediaSource, type Row } from './engine.ts';
import { bargeInBench, onsetJudgeBench, referenceSideBySideBench, referenceTargetsBench, referenceCapacityBench } from './reference.ts';
import { reportsBench } from './reports.ts';
import { longSessionBench } from './long-session.ts';
import { browserBench } from './browser.ts';
import { soakBench } from './soak.ts';
import { adversariesBench } from './adversaries.ts';
import { speechDetectorBench } from './speech-detector.ts';
import { panelBench } from './panel.ts';
import { alignBench } from './align.ts';
import { onsetBench } from './onset.ts';
import { frameStepBench } from './frame-step.ts';
import { referenceProcessCapacityBench } from './reference-processes.ts';
import { markdownTable } from './markdown.ts';
import { gitProvenance, loadAverage1m, machineFacts, writeSummary, type BenchTable } from './summary.ts';

const media = createMediaSource();
const envNumber = (name: string): number | undefined => (process.env[name] === undefined ? undefined : Number(process.env[name]));
const root = join(import.meta.dirname, '..', 'scenarios');
const QUICK = [
  'pacing',
  'virtual',
  'speech',
  'align',
  'reference',
  'reference-capacity',
  'reference-processes',
  'reference-visual',
  'reference-timing',
  'reports',
  'long',
];
const named = process.argv.slice(2);
const want = (name: string) => (named.length === 0 ? QUICK.includes(name) : named.includes(name));

const benches: [string, string, () => Promise<Row[]>][] = [
  ['pacing', 'Real-time pacing and measured-latency error (scripted agent, planted 430 ms)', () => pacingBench(media)],
  ['virtual', 'Virtual-time speed and scoring speed (core suite)', () => virtualAndScoringBench(media, root)],
  ['speech', 'Speech detector: speed, edges against the planted truth, content-free signals', () => speechDetectorBench()],
  ['align', 'Word-timing error per speech engine against known answers (datasets/tts/measure.ts)', () => alignBench()],
  [
    'reference',
    'Reference agent vs its targets: core suites and the frozen held-out set side by side (virtual time)',
    () => referenceSideBySideBench(media, root),
  ],
  [
    'reference-timing',
    'Reference agent on time_awareness and background_task',
    () => referenceTargetsBench(media, root, ['time_awareness', 'background_task']),
  ],
  ['reference-capacity', 'Reference agent: CPU and concurrent real-time sessions', () => referenceCapacityBench(media, root)],
  [
    'reference-processes',
    'Reference agent in its own processes (one crosstalk serve reference --processes behind one URL): concurrent real-time sessions the machine holds (target 16)',
    () => referenceProcessCapacityBench(process.env.REFERENCE_COUNTS ? process.env.REFERENCE_COUNTS.split(',').map(Number) : undefined),
  ],
  ['reference', 'Reference agent: onset judgement per held burst (event-loop time)', () => onsetJudgeBench()],
  ['barge-in', 'Each --barge-in choice on scenarios/core', () => bargeInBench(media, root)],
  [
    'reference-visual',
    'Reference agent on the visual_interjection, side_talk and background suites vs their targets',
    () => referenceTargetsBench(media, root, ['visual_interjection', 'side_talk', 'background']),
  ],
  ['reports', 'Report and gate over 10,000 sessions', () => reportsBench()],
  ['long', 'Long sessions in virtual time', () => longSessionBench(media, root)],
  ['long-real', 'Long session in real time', () => longSessionBench(media, root, { realTime: true })],
  ['browser', 'Direct ws vs through the demo web page', () => browserBench(media, root)],
  [
    'soak',
    'Soak: concurrent real-time sessions, pacing by wall-clock minute (target: p99 <= 2 ms in every minute)',
    () => soakBench(media, { minutes: envNumber('SOAK_MINUTES'), concurrency: envNumber('SOAK_CONCURRENCY'), processes: envNumber('SOAK_PROCESSES') }),
  ],
  [
    'onset',
    'Onset truth under load: independent planted agent (own process, crosstalk-ws, loopback) on core turn-taking in real time; measured minus planted onset',
    () => onsetBench(),
  ],
  [
    'frame-step',
    'User frame step (UserTrack.nextFrame, 20 ms at 16 kHz): CPU time on the live loop with the noise floor drawn in the step vs copied from the noise thread',
    () => frameStepBench(),
  ],
  ['panel', 'Interaction panel per system (virtual time): value [95% CI] n=events, * under 10 events', () => panelBench({ media, scenariosRoot: root })],
  [
    'adversaries',
    'Adversaries: sessions passed per suite and family (at most 10 % may pass; the reference must rank above)',
    () => adversariesBench({ media, scenariosRoot: root }),
  ],
];

const provenance = gitProvenance(join(import.meta.dirname, '..'));
const noWrite = process.env.BENCH_NO_WRITE === '1';
const m = machineFacts();
console.log(
  `crosstalk bench at ${provenance.commit}${provenance.dirty ? ' (dirty)' : ''} on ${m.platform} ${m.arch}, Node ${m.node}, ${m.cores} cores, load ${m.loadAverage1m}, ${new Date().toISOString()}\n`,
);
// Benches in the order listed; one name may print several tables, and they share one JSON file.
const names = [...new Set(benches.map(([name]) => name))].filter(want);
for (const name of names) {
  const date = new Date().toISOString();
  const machine = machineFacts();
  const t0 = performance.now();
  const tables: BenchTable[] = [];
  for (const [, title, run] of benches.filter(([n]) => n === name)) {
    const rows = await run();
    tables.push({ title, rows });
    console.log(`### ${title}\n\n${markdownTable(rows)}\n`);
  }
  const wallSeconds = Math.round((performance.now() - t0) / 100) / 10;
  console.log(`(${name}: ${wallSeconds.toFixed(1)} s)\n`);
  if (!noWrite) console.log(`wrote ${writeSummary({ bench: name, date, ...provenance, machine, wallSeconds, loadAverage1mAtEnd: loadAverage1m(), tables })}\n`);
}
