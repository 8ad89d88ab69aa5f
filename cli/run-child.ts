/**
 * A runner process of `crosstalk run` (harness/runner/processes.ts): told the run's flags by the
 * parent, it builds the same selection, adapter and media, then plays the sessions the parent
 * hands it and sends back what the store needs. It writes no store and prints nothing.
 */
import { reportSetupFailure, serveRunnerProcess } from '../harness/runner/processes.ts';
import { HARNESS_VERSION } from '../harness/version.ts';
import { prepareRun, type RunArgs } from './commands/run.ts';

// Nothing could store this process's sessions once the parent is gone.
process.on('disconnect', () => process.exit(1));
process.once('message', (m: { type: string; args: RunArgs }) => {
  // Closed before it was told what to play: nothing to do.
  if (m.type !== 'init') process.exit(0);
  void (async () => {
    try {
      const { scenarios, options, afterSession, adapter, media } = await prepareRun(m.args);
      await serveRunnerProcess({
        scenarios,
        adapter,
        adapterOptions: options,
        media,
        clock: m.args.clock,
        harnessVersion: HARNESS_VERSION,
        afterSession,
      });
    } catch (e) {
      await reportSetupFailure(e);
      process.exit(1);
    }
  })();
});
// Listening now: ask for the flags (a message sent before a listener exists would be lost).
process.send?.({ type: 'hello' });
