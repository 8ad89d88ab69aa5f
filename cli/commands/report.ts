/** `crosstalk report <store>`: one self-contained HTML page, plus its charts as SVG and PNG. */
import { dirname, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { EXIT, InputError } from '../../harness/errors.ts';
import { buildReport, DEFAULT_EMBED_AUDIO_BYTES } from '../../reports/report.ts';
import { chartsDirFor, openExistingStore, outputKind, writeText } from '../output.ts';
import { writeCharts } from '../../reports/charts/render.ts';

export interface ReportArgs {
  store: string;
  o?: string;
  'embed-audio-mb': number;
  charts: boolean;
}

export function reportBuilder(y: Argv): Argv<ReportArgs> {
  return y
    .positional('store', { type: 'string', demandOption: true, describe: 'DuckDB store to report on' })
    .option('o', { alias: 'out', type: 'string', describe: 'HTML file to write (default: <store>.report.html)' })
    .option('embed-audio-mb', {
      type: 'number',
      default: DEFAULT_EMBED_AUDIO_BYTES / 2 ** 20,
      describe: "Embed failed and errored sessions' recordings in the page up to this many MiB in all; other sessions link to their WAV beside the store",
    })
    .option('charts', { type: 'boolean', default: true, describe: 'Also write every chart as SVG and PNG in <out>-charts/' }) as unknown as Argv<ReportArgs>;
}

export async function reportCommand(args: ReportArgs): Promise<number> {
  const budget = args['embed-audio-mb'];
  if (!(budget >= 0)) throw new InputError(`--embed-audio-mb must be a number >= 0, got ${budget}`, { field: '--embed-audio-mb' });
  const out = resolve(args.o ?? args.store.replace(/\.duckdb$/, '') + '.report.html');
  outputKind(out, ['html'] as const);
  const store = await openExistingStore(args.store);
  try {
    const started = performance.now();
    const report = await buildReport(store, { htmlDir: dirname(out), embedAudioBytes: Math.round(budget * 2 ** 20) });
    writeText(out, report.html);
    process.stdout.write(
      `report of ${report.sessions} sessions: ${out} (${(report.html.length / 2 ** 20).toFixed(1)} MiB, ${((performance.now() - started) / 1000).toFixed(1)} s)\n`,
    );
    if (args.charts && report.charts.length > 0) {
      const dir = chartsDirFor(out);
      writeCharts(dir, report.charts, dirname(out));
      process.stdout.write(`charts (SVG and PNG): ${dir}\n`);
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
