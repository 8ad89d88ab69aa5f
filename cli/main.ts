/**
 * The `crosstalk` command. Exit codes (DESIGN.md): 0 ok; 1 harness or adapter error; 2 bad
 * input or configuration; 3 a gate or --check failed; 130 interrupted.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { EXIT } from '../harness/errors.ts';
import { exitCodeFor, describeError } from './exit.ts';
import { runBuilder, runCommand, type RunArgs } from './commands/run.ts';
import { listBuilder, listCommand, type ListArgs } from './commands/list.ts';
import { scoreBuilder, scoreCommand, type ScoreArgs } from './commands/score.ts';
import { serveBuilder, serveCommand, type ServeArgs } from './commands/serve.ts';
import { schemaBuilder, schemaCommand, type SchemaArgs } from './commands/schema.ts';
import { reportBuilder, reportCommand, type ReportArgs } from './commands/report.ts';
import { leaderboardBuilder, leaderboardCommand, type LeaderboardArgs } from './commands/leaderboard.ts';
import { compareBuilder, compareCommand, type CompareArgs } from './commands/compare.ts';
import { gateBuilder, gateCommand, type GateArgs } from './commands/gate.ts';
import { mergeBuilder, mergeCommand, type MergeArgs } from './commands/merge.ts';
import { importBuilder, importCommand, type ImportArgs } from './commands/import.ts';

async function guarded(body: () => number | Promise<number>): Promise<void> {
  try {
    process.exitCode = await body();
  } catch (e) {
    process.stderr.write(describeError(e) + '\n');
    process.exitCode = exitCodeFor(e);
  }
}

await yargs(hideBin(process.argv))
  .scriptName('crosstalk')
  .usage('$0 <command> [options]')
  .command('run', 'Play a suite against a system, score it, store it, summarize', runBuilder, (a) => guarded(() => runCommand(a as unknown as RunArgs)))
  .command('list', 'List suites, scenarios (--suite), metrics (--metrics), adapters (--adapters)', listBuilder, (a) =>
    guarded(() => listCommand(a as unknown as ListArgs)),
  )
  .command('score <recordings..>', 'Re-score recordings without calling the system again', scoreBuilder, (a) =>
    guarded(() => scoreCommand(a as unknown as ScoreArgs)),
  )
  .command('serve <system>', 'Serve the reference agent over crosstalk-ws v1', serveBuilder, async (a) => {
    await guarded(() => serveCommand(a as unknown as ServeArgs));
    // Everything of ours is closed by now, but once a WebRTC session has run, libwebrtc's own
    // threads (@roamhq/wrtc) would hold the process open after Ctrl-C.
    process.exit();
  })
  .command('report <store>', 'Write a self-contained HTML report of a store (charts also as SVG and PNG)', reportBuilder, (a) =>
    guarded(() => reportCommand(a as unknown as ReportArgs)),
  )
  .command('leaderboard <stores..>', 'Rank systems side by side (HTML and Markdown)', leaderboardBuilder, (a) =>
    guarded(() => leaderboardCommand(a as unknown as LeaderboardArgs)),
  )
  .command('compare <baseline> <candidate>', 'Paired per-scenario deltas with confidence intervals', compareBuilder, (a) =>
    guarded(() => compareCommand(a as unknown as CompareArgs)),
  )
  .command('gate <store>', 'CI verdict: thresholds and a baseline comparison (exit 3 on a failed gate)', gateBuilder, (a) =>
    guarded(() => gateCommand(a as unknown as GateArgs)),
  )
  .command('merge <stores..>', 'Join shard stores into one', mergeBuilder, (a) => guarded(() => mergeCommand(a as unknown as MergeArgs)))
  .command(
    'import <format> <dir>',
    "Write a scenario suite from another benchmark's input folder (fdb-v1, fdb-v1.5), its recordings replayed live",
    importBuilder,
    (a) => guarded(() => importCommand(a as unknown as ImportArgs)),
  )
  .command('schema', 'Print the scenario JSON Schema', schemaBuilder, (a) => guarded(() => schemaCommand(a as unknown as SchemaArgs)))
  .demandCommand(1, 'Name a command: run, list, score, import, report, leaderboard, compare, gate, merge, serve, schema (see --help).')
  .strict()
  .fail((msg, err) => {
    if (err) throw err;
    process.stderr.write(`error: ${msg}\nSee \`crosstalk --help\`.\n`);
    process.exit(EXIT.badInput);
  })
  .help()
  .parseAsync();
