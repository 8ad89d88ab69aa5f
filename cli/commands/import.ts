/** `crosstalk import fdb-v1|fdb-v1.5 <dir> -o <suite-dir>`: a scenario suite from another benchmark's input folder (datasets/importers/fdb-v1-suite.ts, fdb-v15-suite.ts). */
import { relative } from 'node:path';
import type { Argv } from 'yargs';
import { EXIT, InputError } from '../../harness/errors.ts';
import { importFdbV1Suite } from '../../datasets/importers/fdb-v1-suite.ts';
import { importFdbV15Suite } from '../../datasets/importers/fdb-v15-suite.ts';

export interface ImportArgs {
  format: string;
  dir: string;
  o: string;
  'take-turn-within-ms': number;
  'stop-within-ms': number;
  'answer-within-ms': number;
  'barge-after-agent-ms'?: number;
}

export const IMPORT_FORMATS = ['fdb-v1', 'fdb-v1.5'] as const;

export function importBuilder(y: Argv): Argv<ImportArgs> {
  return y
    .positional('format', { type: 'string', demandOption: true, describe: `Layout of the input folder: ${IMPORT_FORMATS.join(', ')}` })
    .positional('dir', { type: 'string', demandOption: true, describe: "The benchmark's folder (a release tree, a task folder or one sample folder)" })
    .option('o', {
      alias: 'out',
      type: 'string',
      demandOption: true,
      describe: 'The suite folder to write (scenario YAML files, media/ with clips and annotations)',
    })
    .option('take-turn-within-ms', { type: 'number', default: 2000, describe: 'take_turn budget of the imported scenarios' })
    .option('stop-within-ms', { type: 'number', default: 1500, describe: 'stop budget of an imported interruption' })
    .option('answer-within-ms', { type: 'number', default: 2500, describe: 'answer budget of an imported interruption' })
    .option('barge-after-agent-ms', {
      alias: 'overlap-after-agent-ms',
      type: 'number',
      describe:
        "Play an interruption (fdb-v1.5: any overlap event) this long after the agent starts answering, instead of at the peer's fixed time in input.wav",
    }) as unknown as Argv<ImportArgs>;
}

export function importCommand(args: ImportArgs): number {
  if (!(IMPORT_FORMATS as readonly string[]).includes(args.format)) {
    throw new InputError(`unknown import format "${args.format}"`, { field: 'format', hint: `Use one of: ${IMPORT_FORMATS.join(', ')}.` });
  }
  const budgets = { takeTurnWithinMs: args['take-turn-within-ms'], stopWithinMs: args['stop-within-ms'], answerWithinMs: args['answer-within-ms'] };
  const r =
    args.format === 'fdb-v1.5'
      ? importFdbV15Suite(args.dir, args.o, { ...budgets, overlapAfterAgentMs: args['barge-after-agent-ms'] })
      : importFdbV1Suite(args.dir, args.o, { ...budgets, bargeAfterAgentMs: args['barge-after-agent-ms'] });
  for (const s of r.scenarios) process.stdout.write(`${relative(process.cwd(), s.file) || s.file}  (${s.task})\n`);
  for (const s of r.skipped) process.stdout.write(`skipped ${relative(process.cwd(), s.dir) || s.dir}: ${s.reason}\n`);
  process.stdout.write(`${r.scenarios.length} scenario(s) written to ${args.o}; play them with: crosstalk run --suite ${args.o} --adapter <adapter>\n`);
  return EXIT.ok;
}
