/**
 * `crosstalk gate <store> --config gate.yaml [--baseline <store>] [--allow-no-data] [--allow-timing-flags]`: the CI
 * verdict, failing closed (harness/gate/gate.ts). Exit 0 all gates held; 1 something could not
 * be judged because sessions errored (infrastructure), or a harness error; 2 bad input or
 * configuration; 3 a gate failed (a limit, a min_count, a threshold without data, a regression,
 * a baseline metric missing from the candidate). The config's grammar: harness/gate/config.ts.
 */
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import type { Store } from '../../harness/store/store.ts';
import { loadGateConfig } from '../../harness/gate/config.ts';
import { gateExitCode, runGate } from '../../harness/gate/gate.ts';
import { gateJson, gateJunit, gateMarkdown, gateText } from '../../reports/gate-output.ts';
import { openExistingStore, outputKind, writeText } from '../output.ts';

export interface GateArgs {
  store: string;
  config: string;
  baseline?: string;
  'allow-no-data'?: boolean;
  'allow-timing-flags'?: boolean;
  o: string[];
}

export function gateBuilder(y: Argv): Argv<GateArgs> {
  return y
    .positional('store', { type: 'string', demandOption: true, describe: 'Store of the run to judge' })
    .option('config', {
      type: 'string',
      demandOption: true,
      describe: 'Gate config (YAML): thresholds like `turn_taking.latency_ms p90 < 800`, and a baseline section',
    })
    .option('baseline', { type: 'string', describe: 'Store to compare with: fails only on a significant regression beyond the tolerance' })
    .option('allow-no-data', {
      type: 'boolean',
      default: false,
      describe: 'A threshold with no value in its scope passes as "no data" (default: it fails); per threshold: `allow_no_data`',
    })
    .option('allow-timing-flags', {
      type: 'boolean',
      default: false,
      describe: 'Sessions whose timing is flagged (the harness was late where a latency is measured) are listed but do not make the outcome errored (exit 1)',
    })
    .option('o', {
      alias: 'out',
      type: 'string',
      array: true,
      default: [] as string[],
      describe: 'Write the verdict, by extension: .xml (JUnit), .json (summary), .md (Markdown); repeatable',
    }) as unknown as Argv<GateArgs>;
}

export async function gateCommand(args: GateArgs): Promise<number> {
  const outs = args.o.map((o) => ({ path: resolve(o), kind: outputKind(o, ['xml', 'json', 'md'] as const) }));
  const config = loadGateConfig(args.config);
  const stores: Store[] = [];
  try {
    const store = await openExistingStore(args.store);
    stores.push(store);
    const baseline = args.baseline === undefined ? undefined : await openExistingStore(args.baseline, 'baseline store');
    if (baseline) stores.push(baseline);
    const result = await runGate(store, config, baseline, {
      allowNoData: args['allow-no-data'] === true,
      allowTimingFlags: args['allow-timing-flags'] === true,
    });
    process.stdout.write(gateText(result) + '\n');
    for (const out of outs) writeText(out.path, out.kind === 'xml' ? gateJunit(result) : out.kind === 'json' ? gateJson(result) : gateMarkdown(result));
    const summary = process.env.GITHUB_STEP_SUMMARY;
    if (summary) appendFileSync(summary, gateMarkdown(result) + '\n');
    return gateExitCode(result);
  } finally {
    for (const s of stores) await s.close();
  }
}
