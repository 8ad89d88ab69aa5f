/**
 * `crosstalk serve reference`: the reference agent as a crosstalk-ws v1 server.
 * `crosstalk serve web-demo`: the demo web voice agent pages (over crosstalk-ws and WebRTC),
 * talking to a reference agent: a system under test for `--adapter browser`, and a template.
 */
import type { Argv } from 'yargs';
import { END_OF_TURN_MODELS, DEFAULT_END_OF_TURN, type EndOfTurnName } from '../../reference-impl/perception/turn-end.ts';
import {
  BARGE_IN_HELP,
  BARGE_INS,
  DEFAULT_BARGE_IN,
  DEFAULT_LEXICAL,
  END_OF_TURN_HELP,
  LEXICAL_CHOICES,
  LEXICAL_HELP,
  referencePolicy,
  type BargeIn,
  type LexicalChoice,
} from '../../reference-impl/policy.ts';
import { startHandedReferenceServer, startReferenceServer } from '../../reference-impl/server.ts';
import { raiseLiveLoop } from '../../harness/priority.ts';
import { startWebDemo } from '../../reference-impl/web/server.ts';
import { InputError, EXIT } from '../../harness/errors.ts';
import { isServeProcessCopy, servePrimary, serveHanded, shutdownAsked } from './serve-processes.ts';

export interface ServeArgs {
  system: 'reference' | 'web-demo';
  port: number;
  host: string;
  device: 'cpu' | 'gpu';
  'barge-in': BargeIn;
  'end-of-turn': EndOfTurnName;
  lexical: LexicalChoice;
  processes: number;
}

export function serveBuilder(y: Argv): Argv<ServeArgs> {
  return y
    .positional('system', { type: 'string', choices: ['reference', 'web-demo'], describe: 'What to serve' })
    .option('port', { type: 'number', default: 8765, describe: 'TCP port (0: any free port)' })
    .option('host', { type: 'string', default: '127.0.0.1', describe: 'Address to listen on (loopback by default)' })
    .option('device', {
      choices: ['cpu', 'gpu'] as const,
      default: 'cpu' as const,
      describe: 'Where the reference agent runs its neural parts (gpu: onnxruntime webgpu; exit 2 where there is none)',
    })
    .option('barge-in', {
      choices: BARGE_INS,
      default: DEFAULT_BARGE_IN,
      describe: `How it meets speech over its answer: ${BARGE_IN_HELP}`,
    })
    .option('end-of-turn', {
      choices: END_OF_TURN_MODELS,
      default: DEFAULT_END_OF_TURN,
      describe: `Which stored model judges where a turn ends: ${END_OF_TURN_HELP}`,
    })
    .option('lexical', {
      choices: LEXICAL_CHOICES,
      default: DEFAULT_LEXICAL,
      describe: `Whether it also hears the words for the end of a turn: ${LEXICAL_HELP}`,
    })
    .option('processes', {
      type: 'number',
      default: 1,
      describe:
        'reference: agent processes behind the one port, each connection handed to the one with the fewest open (one process paces about 4 real-time sessions on two cores; each loads its own models)',
    }) as unknown as Argv<ServeArgs>;
}

export async function serveCommand(args: ServeArgs): Promise<number> {
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new InputError(`--port must be 0-65535, got ${args.port}`, { field: '--port' });
  if (!Number.isInteger(args.processes) || args.processes < 1)
    throw new InputError(`--processes must be a whole number >= 1, got ${args.processes}`, { field: '--processes' });
  if (args.processes > 1 && args.system !== 'reference') throw new InputError('--processes is for `serve reference` only', { field: '--processes' });
  if (args.processes > 1 && !isServeProcessCopy())
    return servePrimary(
      args.processes,
      args.host,
      args.port,
      (line) => process.stdout.write(line),
      (line) => process.stderr.write(line),
    );
  // A copy listens for the primary's shutdown from the start: one asked while it still loads its models closes it once it listens.
  const stopAsked = isServeProcessCopy() ? shutdownAsked() : undefined;
  let close: () => Promise<void>;
  if (args.system === 'web-demo') {
    const demo = await startWebDemo({ host: args.host, port: args.port });
    process.stdout.write(`demo web voice agent: ${demo.wsPageUrl} (crosstalk-ws) and ${demo.webrtcPageUrl} (WebRTC), agent ${demo.agentUrl}; Ctrl-C to stop\n`);
    close = () => demo.close();
  } else {
    // A real-time audio server: its loop paces every session's frames, so it asks for the
    // priority the harness's live loop asks for (harness/priority.ts), before any thread starts.
    const live = raiseLiveLoop();
    const priority = live.refused ? `nice ${live.nice}: raising its priority was refused (${live.refused})` : `nice ${live.nice}`;
    const agent = { device: args.device, policy: referencePolicy(args['barge-in'], args['end-of-turn'], args.lexical) };
    if (isServeProcessCopy()) {
      // A copy of `--processes`: the primary listens and hands it connections.
      const server = await startHandedReferenceServer(agent);
      serveHanded(server, priority);
      close = () => server.close();
    } else {
      const server = await startReferenceServer({ host: args.host, port: args.port, ...agent });
      process.stdout.write(`reference agent listening on ${server.url} (crosstalk-ws v1, ${priority}); Ctrl-C to stop\n`);
      close = () => server.close();
    }
  }
  await (stopAsked ?? new Promise<void>((resolve) => process.once('SIGINT', () => resolve())));
  await close();
  return EXIT.interrupted;
}
