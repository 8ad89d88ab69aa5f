/** `crosstalk compare <baseline> <candidate>`: paired per scenario, deltas with CIs. */
import { dirname, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { EXIT } from '../../harness/errors.ts';
import type { Store } from '../../harness/store/store.ts';
import { compareStores } from '../../harness/compare.ts';
import { compareChart, compareHtml, compareJson, compareMarkdown, compareText, type ComparisonView } from '../../reports/compare.ts';
import { chartsDirFor, openExistingStore, outputKind, writeText } from '../output.ts';
import { writeCharts } from '../../reports/charts/render.ts';

export interface CompareArgs {
  baseline: string;
  candidate: string;
  o: string[];
}

export function compareBuilder(y: Argv): Argv<CompareArgs> {
  return y
    .positional('baseline', { type: 'string', demandOption: true, describe: 'Store of the baseline run(s)' })
    .positional('candidate', { type: 'string', demandOption: true, describe: 'Store of the candidate run(s)' })
    .option('o', {
      alias: 'out',
      type: 'string',
      array: true,
      default: [] as string[],
      describe: 'Also write, by extension: .html, .md (chart PNG beside it), .json; repeatable',
    }) as unknown as Argv<CompareArgs>;
}

export async function compareCommand(args: CompareArgs): Promise<number> {
  const outs = args.o.map((o) => ({ path: resolve(o), kind: outputKind(o, ['html', 'md', 'json'] as const) }));
  const stores: Store[] = [];
  try {
    const baseline = await openExistingStore(args.baseline, 'baseline store');
    stores.push(baseline);
    const candidate = await openExistingStore(args.candidate, 'candidate store');
    stores.push(candidate);
    const view: ComparisonView = { baseline: args.baseline, candidate: args.candidate, comparisons: await compareStores(baseline, candidate) };
    process.stdout.write(compareText(view) + '\n');
    const chart = outs.some((o) => o.kind !== 'json') ? await compareChart(view) : null;
    for (const out of outs) {
      if (out.kind === 'html') writeText(out.path, compareHtml(view, chart));
      else if (out.kind === 'json') writeText(out.path, compareJson(view));
      else writeText(out.path, compareMarkdown(view, chart ? writeCharts(chartsDirFor(out.path), [chart], dirname(out.path)).get(chart.name) : undefined));
      process.stdout.write(`wrote ${out.path}\n`);
    }
    return EXIT.ok;
  } finally {
    for (const s of stores) await s.close();
  }
}
