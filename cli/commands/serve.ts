/** `crosstalk serve reference`: the reference agent as a crosstalk-ws v1 server. */
import type { Argv } from 'yargs';
import { startReferenceServer } from '../../reference-impl/server.ts';
import { InputError, EXIT } from '../../harness/errors.ts';

export interface ServeArgs {
  system: string;
  port: number;
  host: string;
}

export function serveBuilder(y: Argv): Argv<ServeArgs> {
  return y
    .positional('system', { type: 'string', choices: ['reference'], describe: 'What to serve' })
    .option('port', { type: 'number', default: 8765, describe: 'TCP port (0: any free port)' })
    .option('host', { type: 'string', default: '127.0.0.1', describe: 'Address to listen on (loopback by default)' }) as unknown as Argv<ServeArgs>;
}

export async function serveCommand(args: ServeArgs): Promise<number> {
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new InputError(`--port must be 0-65535, got ${args.port}`, undefined, undefined, '--port');
  const server = await startReferenceServer({ host: args.host, port: args.port });
  process.stdout.write(`reference agent listening on ${server.url} (crosstalk-ws v1); Ctrl-C to stop\n`);
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  await server.close();
  return EXIT.interrupted;
}
