/** `crosstalk schema`: print (or write) the scenario JSON Schema, generated from the validator's source. */
import { writeFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { ScenarioSchema } from '../../harness/scenario/schema.ts';

export interface SchemaArgs {
  out?: string;
}

export function schemaBuilder(y: Argv): Argv<SchemaArgs> {
  return y.option('out', { type: 'string', describe: 'Write to this file instead of stdout' }) as unknown as Argv<SchemaArgs>;
}

export function scenarioJsonSchema(): string {
  return JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...ScenarioSchema }, null, 2) + '\n';
}

export function schemaCommand(args: SchemaArgs): number {
  if (args.out) writeFileSync(args.out, scenarioJsonSchema());
  else process.stdout.write(scenarioJsonSchema());
  return 0;
}
