/** `crosstalk merge <stores..> -o all.duckdb`: join shard stores into one (harness/store/merge.ts). */
import { rmSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { EXIT } from '../../harness/errors.ts';
import { mergeStores } from '../../harness/store/merge.ts';

export interface MergeArgs {
  stores: string[];
  o: string;
  dedupe: boolean;
  replace: boolean;
}

export function mergeBuilder(y: Argv): Argv<MergeArgs> {
  return y
    .positional('stores', { type: 'string', array: true, demandOption: true, describe: 'Stores to merge (e.g. the shard stores of one run)' })
    .option('o', { alias: 'out', type: 'string', demandOption: true, describe: 'The merged store (created, or appended to if it exists)' })
    .option('dedupe', { type: 'boolean', default: false, describe: 'Keep the first copy of a session found in several inputs instead of refusing' })
    .option('replace', { type: 'boolean', default: false, describe: 'Delete the output store first' }) as unknown as Argv<MergeArgs>;
}

export async function mergeCommand(args: MergeArgs): Promise<number> {
  const out = resolve(args.o);
  if (args.replace) for (const p of [out, `${out}.wal`]) rmSync(p, { force: true });
  const summary = await mergeStores(args.stores, out, { duplicates: args.dedupe ? 'skip' : 'refuse' });
  for (const i of summary.inputs) {
    const skipped = i.sessionsSkipped ? `, ${i.sessionsSkipped} duplicate sessions skipped` : '';
    process.stdout.write(`${relative(process.cwd(), i.file) || i.file}: ${i.runs} run(s), ${i.sessionsAdded} sessions added${skipped}\n`);
  }
  process.stdout.write(`merged store: ${summary.output} (${summary.sessions} sessions)\n`);
  return EXIT.ok;
}
