/** `crosstalk score <recording...>`: re-score recordings without calling any system again. */
import { resolve } from 'node:path';
import { hostname } from 'node:os';
import type { Argv } from 'yargs';
import { readRecording } from '../../harness/recording/reader.ts';
import { score } from '../../harness/scoring/score.ts';
import { Store, toEventRows } from '../../harness/store/store.ts';
import { HARNESS_VERSION, gitSha, newRunId } from '../../harness/version.ts';
import { EXIT } from '../../harness/errors.ts';
import type { MetricValue } from '../../harness/scoring/types.ts';
import { IMPORT_FORMATS, scoreImported, importTable, storeImported, type ImportFormat } from './score-import.ts';

export interface ScoreArgs {
  recordings: string[];
  out?: string;
  json: boolean;
  format: 'crosstalk' | ImportFormat;
  'icc-reference'?: string;
  'sample-rate'?: number;
}

export function scoreBuilder(y: Argv): Argv<ScoreArgs> {
  return y
    .positional('recordings', { type: 'string', array: true, describe: 'Session folders (holding events.jsonl and audio.wav)' })
    .option('out', { type: 'string', describe: 'Append the scores to this DuckDB store as a new run' })
    .option('json', { type: 'boolean', default: false, describe: 'Print metrics as JSON' })
    .option('format', {
      choices: ['crosstalk', ...IMPORT_FORMATS] as const,
      default: 'crosstalk' as const,
      describe: "Layout of the recordings: crosstalk session folders, or another benchmark's published layout (scored with its rules and ours)",
    })
    .option('icc-reference', { type: 'string', describe: 'fdb-v1 backchannel: icc_gt_distribution.json (default: looked for beside the data)' })
    .option('sample-rate', { type: 'number', describe: 'fd-bench: the rate its sample indices are at (default 16000)' }) as unknown as Argv<ScoreArgs>;
}

export async function scoreCommand(args: ScoreArgs): Promise<number> {
  if (args.format !== 'crosstalk') {
    const units = await scoreImported(args.format, args.recordings, { iccReference: args['icc-reference'], sampleRate: args['sample-rate'] });
    process.stdout.write((args.json ? JSON.stringify(units, null, 2) : importTable(units)) + '\n');
    if (args.out) process.stdout.write(`stored as run ${await storeImported(args.out, args.format, args.recordings, units)} in ${resolve(args.out)}\n`);
    return EXIT.ok;
  }
  const scored = args.recordings.map((dir) => {
    const recording = readRecording(resolve(dir));
    return { dir: resolve(dir), recording, result: score(recording) };
  });
  if (args.json) {
    process.stdout.write(
      JSON.stringify(
        scored.map((s) => ({ recording: s.dir, sessionId: s.recording.header.sessionId, metrics: s.result.metrics })),
        null,
        2,
      ) + '\n',
    );
  } else {
    for (const s of scored) process.stdout.write(`${s.dir}\n${metricLines(s.result.metrics)}\n`);
  }
  if (args.out) {
    const store = await Store.open(resolve(args.out));
    try {
      const runId = newRunId();
      const first = scored[0].recording.header;
      await store.beginRun({
        runId,
        startedAt: new Date().toISOString(),
        harnessVersion: HARNESS_VERSION,
        gitSha: gitSha(),
        adapter: first.adapter,
        suite: 'rescored',
        clock: first.clock,
        label: 'rescored',
        config: { rescoredFrom: args.recordings },
        host: hostname(),
      });
      for (const s of scored) {
        const h = s.recording.header;
        const end = s.recording.events.find((e) => e.type === 'session.end');
        const sessionId = `${runId}:${h.sessionId}`;
        const completed = end?.type === 'session.end' && end.reason === 'completed';
        await store.appendSession(
          {
            sessionId,
            runId,
            scenarioKey: h.scenarioKey,
            scenarioId: h.scenario.id,
            suite: h.scenarioKey.split('/')[0],
            family: h.scenario.family,
            tags: h.scenario.tags ?? [],
            repeat: 0,
            status: !completed ? 'errored' : s.result.metrics.some((m) => m.passed === false) ? 'failed' : 'passed',
            error: end?.type === 'session.end' ? (end.error ?? null) : 'recording has no session.end (cut short)',
            startedAt: h.startedAt,
            durationMs: end?.t ?? 0,
            recordingPath: s.dir,
          },
          toEventRows(s.recording.events, sessionId),
          s.result.segments,
          s.result.metrics,
        );
      }
      await store.finishRun(runId, new Date().toISOString());
      process.stdout.write(`stored as run ${runId} in ${resolve(args.out)}\n`);
    } finally {
      await store.close();
    }
  }
  return EXIT.ok;
}

function metricLines(metrics: MetricValue[]): string {
  return metrics
    .map((m) => {
      const v =
        m.value === null
          ? `N/A: ${m.reason ?? 'unknown'}${m.note ? ` (${m.note})` : ''}`
          : `${Number.isInteger(m.value) ? m.value : m.value.toFixed(1)} ${m.unit}`;
      const verdict = m.passed === null ? '' : m.passed ? '  pass' : '  FAIL';
      return `  ${m.name.padEnd(34)} ${m.subject.padEnd(16)} ${v}${verdict}${m.expectation ? `  (${m.expectation})` : ''}`;
    })
    .join('\n');
}
