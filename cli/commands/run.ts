/** `crosstalk run`: play a suite against an adapter, score, store, summarize. */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { fork } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { dirname, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { loadSuite } from '../../harness/scenario/load.ts';
import { checkClips } from '../../harness/scenario/check-clips.ts';
import { runSuite, findRunToResume, type SessionResult } from '../../harness/runner/run.ts';
import { parseShard, formatShard } from '../../harness/runner/shard.ts';
import { runnerProcessCount, SESSIONS_PER_PROCESS } from '../../harness/runner/processes.ts';
import { Store } from '../../harness/store/store.ts';
import { EXIT, InputError } from '../../harness/errors.ts';
import { liveNiceAsked, livePriorityNote } from '../../harness/priority.ts';
import { createMediaSource } from '../../datasets/media-source.ts';
import { formatVoiceSet, parseVoiceSet } from '../../datasets/tts/voice-set.ts';
import { PERTURB_OPTION, perturbationOf, perturbLabel } from '../perturb.ts';
// The report modules (vega among them) load when a report is written, not in every runner
// process that imports prepareRun from here (cli/run-child.ts): they took 2 of its 5 s to start.
import { createAdapter, parseAdapterOptions, adapterNames } from '../adapters.ts';
import { redactSecrets, redactUrl } from '../../harness/redact.ts';
import { SCENARIOS_ROOT, recordingsDirFor } from '../paths.ts';
import { afterSessionConfig, afterSessionHook, type AfterSessionArgs } from '../after-session.ts';

export interface RunArgs extends AfterSessionArgs {
  suite: string;
  grep?: string;
  adapter: string;
  url?: string;
  repeat: number;
  workers: number;
  clock: 'real' | 'virtual';
  out?: string;
  recordings?: string;
  'adapter-option': string[];
  label?: string;
  check: boolean;
  quiet: boolean;
  replace: boolean;
  report?: string;
  shard?: string;
  resume?: string;
  voices?: string;
  perturb?: string;
  processes?: number;
}

export function runBuilder(y: Argv): Argv<RunArgs> {
  return y
    .option('suite', { type: 'string', default: 'core', describe: 'Suite folder under scenarios/, a folder path, or one .yaml file' })
    .option('grep', { type: 'string', describe: 'Only scenarios whose suite/id matches this regular expression' })
    .option('adapter', { type: 'string', default: 'reference', describe: `System under test: ${adapterNames().join(', ')}` })
    .option('url', { type: 'string', describe: 'Server URL, for adapters that connect (ws, vendors)' })
    .option('repeat', { type: 'number', default: 1, describe: 'Run every scenario this many times' })
    .option('workers', { type: 'number', default: 4, describe: 'Sessions at once' })
    .option('clock', {
      choices: ['real', 'virtual'] as const,
      default: 'real' as const,
      describe: 'real: paced by the wall clock; virtual: as fast as the CPU allows (in-process adapters only)',
    })
    .option('out', { type: 'string', describe: 'DuckDB store to append to (default results/<suite>.duckdb)' })
    .option('recordings', { type: 'string', describe: 'Folder for session recordings (default: next to the store)' })
    .option('adapter-option', { type: 'string', array: true, default: [] as string[], describe: 'Adapter setting key=value (repeatable)' })
    .option('label', { type: 'string', describe: 'A label stored with the run (e.g. a model version)' })
    .option('check', { type: 'boolean', default: false, describe: 'Exit 3 if any session failed an expectation' })
    .option('quiet', { type: 'boolean', default: false, describe: 'No per-session lines' })
    .option('replace', { type: 'boolean', default: false, describe: 'Start a fresh store (delete the existing store file and its recordings first)' })
    .option('report', { type: 'string', describe: 'Also write the HTML report of the store to this file' })
    .option('shard', {
      type: 'string',
      describe: 'Run only shard i of n (e.g. 2/4): a deterministic split of the selected sessions, balanced by expected duration',
    })
    .option('resume', {
      type: 'string',
      describe: 'Continue the interrupted run stored in this store: run only the sessions it has not stored (same flags as the original run)',
    })
    .option('processes', {
      type: 'number',
      describe: `Child processes to play the sessions in, this process only storing (0: play them here too). Default: none in virtual time; in real time one per ${SESSIONS_PER_PROCESS} workers, at least one (storing a session blocks its event loop, so the live sessions are paced elsewhere)`,
    })
    .option('perturb', PERTURB_OPTION)
    .option('voices', {
      type: 'string',
      describe:
        "Render every user voice with these engines and voices, cycling over the suite's scenarios: engine:voice,... (e.g. flite:slt,gnuspeech:female; `crosstalk list --engines`). Stored per session as its speech source",
    })
    .option('transcribe-url', {
      type: 'string',
      describe:
        'After each session, transcribe the played agent audio with this OpenAI-compatible server (POST /v1/audio/transcriptions, word timestamps) for content checks; key from $CROSSTALK_TRANSCRIBE_API_KEY. Off by default',
    })
    .option('transcribe-model', { type: 'string', default: 'whisper-1', describe: 'Model name for --transcribe-url' })
    .option('judge-url', {
      type: 'string',
      describe:
        'Judge free-form content checks (says.judge) with this OpenAI-compatible server (POST /v1/chat/completions); key from $CROSSTALK_JUDGE_API_KEY. Off by default: such checks are N/A (judge_unavailable)',
    })
    .option('judge-model', { type: 'string', describe: 'Model for --judge-url (stored with every verdict)' }) as unknown as Argv<RunArgs>;
}

export async function runCommand(args: RunArgs): Promise<number> {
  if (!Number.isInteger(args.workers) || args.workers < 1)
    throw new InputError(`--workers must be a positive integer, got ${args.workers}`, { field: '--workers' });
  if (!Number.isInteger(args.repeat) || args.repeat < 1) throw new InputError(`--repeat must be a positive integer, got ${args.repeat}`, { field: '--repeat' });
  if (args.processes !== undefined && !(Number.isInteger(args.processes) && args.processes >= 0))
    throw new InputError(`--processes must be a whole number >= 0, got ${args.processes}`, { field: '--processes' });
  // A bad CROSSTALK_LIVE_NICE is bad input before anything starts, not an error in every session.
  if (args.clock === 'real') liveNiceAsked();
  const { scenarios, voices, options, afterSession, adapter, media } = await prepareRun(args);
  const suiteName = scenarios[0].suite;
  const shard = args.shard === undefined ? undefined : parseShard(args.shard);
  const processCount = runnerProcessCount(args.workers, args.clock, args.processes);
  await checkClips(scenarios, media);
  const out = resolve(resumeTarget(args) ?? args.out ?? `results/${suiteName}.duckdb`);
  mkdirSync(dirname(out), { recursive: true });
  const recordingsDir = resolve(args.recordings ?? recordingsDirFor(out));
  if (args.replace) {
    for (const p of [out, `${out}.wal`, recordingsDir]) rmSync(p, { recursive: true, force: true });
  }
  const store = await Store.open(out);
  let resume;
  try {
    resume =
      args.resume === undefined
        ? undefined
        : await findRunToResume(store, {
            suite: suiteName,
            adapter: adapter.name,
            clock: args.clock,
            repeat: args.repeat,
            grep: args.grep,
            shard,
            voices: voices && formatVoiceSet(voices),
            perturb: perturbLabel(args),
          });
  } catch (e) {
    await store.close();
    throw e;
  }

  const abort = new AbortController();
  // Every session in flight listens for the interruption.
  setMaxListeners(args.workers + 10, abort.signal);
  const onSigint = () => {
    process.stderr.write('\ninterrupted: finishing the sessions in flight...\n');
    abort.abort();
  };
  process.once('SIGINT', onSigint);
  let total = 0;
  let done = 0;
  let priorityNoted = false;
  const started = Date.now();
  try {
    const result = await runSuite({
      scenarios,
      adapter,
      adapterOptions: options,
      media,
      shard,
      resume,
      onPlanned: (planned, alreadyDone) => {
        total = planned;
        if (args.quiet) return;
        const part = shard ? `shard ${formatShard(shard)}: ` : '';
        const resumed = resume ? `, resuming run ${resume.runId} (${alreadyDone} sessions already stored)` : '';
        const spread = processCount > 0 ? ` in ${processCount} runner process${processCount > 1 ? 'es' : ''}` : '';
        process.stdout.write(
          `crosstalk: ${part}${planned} sessions of ${suiteName} against ${adapter.name} (${args.clock} time, ${args.workers} at once${spread}${resumed})\n`,
        );
      },
      clock: args.clock,
      repeat: args.repeat,
      workers: args.workers,
      recordingsDir,
      store,
      suite: suiteName,
      label: args.label,
      config: redactSecrets({
        adapter: args.adapter,
        url: args.url ? redactUrl(args.url) : undefined,
        options,
        clock: args.clock,
        workers: args.workers,
        processes: processCount,
        repeat: args.repeat,
        grep: args.grep,
        ...(voices ? { voices: formatVoiceSet(voices) } : {}),
        ...(args.perturb !== undefined ? { perturb: perturbLabel(args) } : {}),
        ...afterSessionConfig(args),
      }) as Record<string, unknown>,
      signal: abort.signal,
      afterSession,
      processes: processCount > 0 ? { count: processCount, start: () => startRunnerProcess(args) } : undefined,
      keepSessions: false,
      onSession: (r) => {
        done++;
        const priorityNote = livePriorityNote(r.outcome.timing);
        if (priorityNote && !priorityNoted) {
          priorityNoted = true;
          process.stderr.write(`note: ${priorityNote}\n`);
        }
        if (!args.quiet) process.stdout.write(sessionLine(r, done, total));
      },
    });
    const { summaryTable } = await import('../../reports/terminal.ts');
    process.stdout.write('\n' + (await summaryTable(store, result.runId)) + '\n');
    process.stdout.write(
      `\nrun ${result.runId}: ${result.counts.passed} passed, ${result.counts.failed} failed, ${result.counts.errored} errored in ${((Date.now() - started) / 1000).toFixed(1)} s\nstore: ${out}\nrecordings: ${recordingsDir}\n`,
    );
    if (args.report) await writeRunReport(store, resolve(args.report));
    if (abort.signal.aborted) return EXIT.interrupted;
    if (result.configError) {
      process.stderr.write(`error: ${result.configError}\n`);
      return EXIT.badInput;
    }
    if (result.counts.errored > 0) return EXIT.harnessError;
    if (args.check && result.counts.failed > 0) return EXIT.gateFailed;
    return EXIT.ok;
  } finally {
    process.off('SIGINT', onSigint);
    await store.close();
  }
}

/**
 * What a run is made of, from its flags: the selected scenarios, the adapter, the media. The
 * runner processes (cli/run-child.ts) build theirs from the same flags, so they play the same
 * selection against the same system.
 */
export async function prepareRun(args: RunArgs) {
  const voices = args.voices === undefined ? undefined : parseVoiceSet(args.voices);
  const perturbation = perturbationOf(args);
  let scenarios = loadSuite(args.suite, SCENARIOS_ROOT);
  const suiteFiles = scenarios.map((s) => s.file);
  if (args.grep) {
    let re: RegExp;
    try {
      re = new RegExp(args.grep);
    } catch (e) {
      throw new InputError(`--grep is not a valid regular expression: ${(e as Error).message}`, { field: '--grep' });
    }
    scenarios = scenarios.filter((s) => re.test(s.key));
    if (scenarios.length === 0)
      throw new InputError(`--grep ${args.grep} matches no scenario in ${args.suite}`, {
        field: '--grep',
        hint: 'See `crosstalk list --suite ' + args.suite + '`.',
      });
  }
  const options = parseAdapterOptions(args['adapter-option']);
  const afterSession = afterSessionHook(args);
  const adapter = await createAdapter(args.adapter, { url: args.url, options });
  const media = createMediaSource({ voices, suiteFiles, perturbation });
  await media.ready();
  return { scenarios, voices, options, afterSession, adapter, media };
}

/** Fork a runner process (cli/run-child.ts) and hand it the run's flags. */
export function startRunnerProcess(args: RunArgs) {
  const child = fork(new URL('../run-child-entry.mjs', import.meta.url), [], {
    execArgv: [],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.on('message', (m: { type?: string }) => {
    if (m.type === 'hello') child.send({ type: 'init', args });
  });
  return child;
}

/** `--resume <store>` names the store; an --out that names another one is a mistake. */
function resumeTarget(args: RunArgs): string | undefined {
  if (args.resume === undefined) return undefined;
  if (args.replace)
    throw new InputError('--resume and --replace contradict each other', {
      field: '--resume',
      hint: 'Drop --replace to continue the stored run, or drop --resume to start afresh.',
    });
  if (!existsSync(args.resume))
    throw new InputError('no store to resume', {
      file: resolve(args.resume),
      field: '--resume',
      hint: 'Give the path of the store the interrupted run wrote (its --out).',
    });
  if (args.out !== undefined && resolve(args.out) !== resolve(args.resume)) {
    throw new InputError(`--out ${args.out} is not the store being resumed (${args.resume})`, {
      field: '--out',
      hint: 'Leave --out out: a resumed run writes to the store it resumes.',
    });
  }
  return args.resume;
}

async function writeRunReport(store: Store, file: string): Promise<void> {
  const [{ buildReport }, { writeText }] = await Promise.all([import('../../reports/report.ts'), import('../output.ts')]);
  const report = await buildReport(store, { htmlDir: dirname(file) });
  writeText(file, report.html);
  process.stdout.write(`report: ${file}\n`);
}

function sessionLine(r: SessionResult, done: number, total: number): string {
  const head = `[${String(done).padStart(String(total).length)}/${total}] ${r.status.padEnd(7)} ${r.scenario.key}${r.repeat ? ` r${r.repeat}` : ''}`;
  const failed =
    r.scored?.metrics
      .filter((m) => m.passed === false)
      .map((m) => (m.value === null ? `${m.name}=N/A: ${m.reason ?? 'unknown'}` : `${m.name}=${Math.round(m.value)}${m.unit === 'ms' ? 'ms' : ''}`)) ?? [];
  const why = r.status === 'errored' ? `  (${r.outcome.error ?? r.scoreError})` : failed.length ? `  (${failed.slice(0, 3).join(', ')})` : '';
  return head + why + '\n';
}
