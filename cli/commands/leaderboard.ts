/** `crosstalk leaderboard <stores...>`: systems side by side, as HTML and/or Markdown. */
import { dirname, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { EXIT } from '../../harness/errors.ts';
import type { Store } from '../../harness/store/store.ts';
import { buildLeaderboard } from '../../reports/leaderboard.ts';
import { leaderboardCharts, leaderboardHtml, leaderboardMarkdown } from '../../reports/leaderboard-render.ts';
import { chartsDirFor, openExistingStore, outputKind, writeText } from '../output.ts';
import { writeCharts } from '../../reports/charts/render.ts';

export interface LeaderboardArgs {
  stores: string[];
  o: string[];
}

export function leaderboardBuilder(y: Argv): Argv<LeaderboardArgs> {
  return y
    .positional('stores', {
      type: 'string',
      array: true,
      demandOption: true,
      describe: 'DuckDB stores (one per system, or shards; systems are told apart by adapter and label)',
    })
    .option('o', {
      alias: 'out',
      type: 'string',
      array: true,
      default: ['leaderboard.html'],
      describe: 'Files to write, by extension: .html (static page), .md (Markdown with chart PNGs beside it); repeatable',
    }) as unknown as Argv<LeaderboardArgs>;
}

export async function leaderboardCommand(args: LeaderboardArgs): Promise<number> {
  const outs = args.o.map((o) => ({ path: resolve(o), kind: outputKind(o, ['html', 'md'] as const) }));
  const stores: Store[] = [];
  try {
    for (const path of args.stores) stores.push(await openExistingStore(path));
    const lb = await buildLeaderboard(stores);
    const charts = await leaderboardCharts(lb);
    for (const out of outs) {
      if (out.kind === 'html') writeText(out.path, leaderboardHtml(lb, charts));
      else {
        const links = writeCharts(chartsDirFor(out.path), charts, dirname(out.path));
        writeText(
          out.path,
          leaderboardMarkdown(lb, (name) => links.get(name)),
        );
      }
      process.stdout.write(`wrote ${out.path}\n`);
    }
    process.stdout.write(
      `${lb.systems.length} systems on ${lb.scenarios.length} common scenarios${lb.droppedScenarios.length ? ` (${lb.droppedScenarios.length} left out: not completed by every system)` : ''}\n`,
    );
    return EXIT.ok;
  } finally {
    for (const s of stores) await s.close();
  }
}
