/**
 * Scheduling priority by role, so the harness's own work never delays what it times. The live
 * loop (the thread that sends user frames on their deadlines and stamps the agent's audio as it
 * arrives) asks for a raised priority: on a machine whose cores are busy, a waking live loop
 * then runs before a CPU-bound neighbour instead of queueing behind it, as audio threads do.
 * Work that only has to finish (scoring, reading and encoding a finished session) asks for a
 * lowered one, so it yields the cores to a live loop and to an agent under test (nice 0) on the same
 * machine.
 *
 * Priorities are Linux nice values, and nice is per thread there: `os.setPriority(n)` sets the
 * calling thread's, and a thread starts with the nice of the thread that created it. So each
 * role sets its own thread's. Raising needs root or CAP_SYS_NICE; without it the live loop
 * stays where it was and says so (SessionTiming.liveNice, and `crosstalk run` prints a note).
 * CROSSTALK_LIVE_NICE overrides the live loop's value (0: leave the priority alone).
 *
 * The thread that wakes the live loop at each deadline (harness/precise-wake.ts) asks for more:
 * the real-time class (SCHED_FIFO), as audio servers run their wake-ups. At nice -10 it still
 * queued behind other raised threads (two runner processes' live loops and noise threads on two
 * cores): in a 3-minute, 32-session soak it woke more than 2 ms late 388-421 times in about
 * 155,000 wakes per runner process; in the real-time class, 38-40 times (ad hoc instrumentation,
 * 2026-12-07). It does microseconds of work per wake, so running it ahead of every ordinary
 * thread takes nothing from the agent under test. The live loop itself stays an ordinary thread:
 * a JavaScript loop ahead of everything starves the threads it depends on (tried: pacing p99 over
 * 300 ms).
 */
import { execFile } from 'node:child_process';
import { getPriority, setPriority } from 'node:os';
import { InputError } from './errors.ts';

/** The live loop's nice value: ahead of ordinary processes (0), behind the kernel's own threads. */
export const LIVE_NICE = -10;
/** Nice value of threads whose work only has to finish. */
export const BACKGROUND_NICE = 10;
/** Real-time (SCHED_FIFO) priority of the precise-wake thread: above ordinary threads, below the kernel's own (50 and up). */
export const WAKE_RT_PRIORITY = 20;

export interface ThreadNice {
  /** The calling thread's nice value after the attempt. */
  nice: number;
  /** Why the value asked for was not set (the system's error code), if it was not. */
  refused?: string;
}

/** Set the calling thread's nice value; a refusal is returned, not thrown. */
export function setThreadNice(askedNice: number): ThreadNice {
  try {
    setPriority(askedNice);
  } catch (e) {
    // Node's SystemError carries the system's code (EACCES without the privilege) in `info`.
    const reason = (e as { info?: { code?: string } }).info?.code ?? (e instanceof Error ? e.message : String(e));
    return { nice: getPriority(), refused: reason };
  }
  return { nice: getPriority() };
}

/** The live loop's nice value asked for: LIVE_NICE unless CROSSTALK_LIVE_NICE says otherwise. */
export function liveNiceAsked(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.CROSSTALK_LIVE_NICE;
  if (raw === undefined || raw.trim() === '') return LIVE_NICE;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < -20 || n > 19)
    throw new InputError(`CROSSTALK_LIVE_NICE=${raw} is not a nice value (an integer from -20 to 19)`, {
      field: 'CROSSTALK_LIVE_NICE',
      hint: `Unset it to raise the live loop to nice ${LIVE_NICE}, or give 0 to leave its priority alone.`,
    });
  return n === 0 ? undefined : n;
}

/** Whether a thread went into the real-time class, and if not, why (the system's refusal; unasked: no reason). */
export interface ThreadClass {
  realtime: boolean;
  refused?: string;
}

/**
 * Put Linux thread `tid` in the real-time FIFO class at `priority`, through util-linux's chrt
 * (Node has no call for it). Needs root or CAP_SYS_NICE, as raising a nice value does; a refusal
 * is returned, not thrown: EPERM without the privilege, ENOENT without chrt.
 */
export function setThreadRealtime(tid: number, priority: number): Promise<ThreadClass> {
  return new Promise((resolve) => {
    execFile('chrt', ['-f', '-p', String(priority), String(tid)], (e, _stdout, stderr) => {
      if (!e) return resolve({ realtime: true });
      const code = (e as NodeJS.ErrnoException).code;
      const reason = typeof code === 'string' ? code : /not permitted/i.test(stderr) ? 'EPERM' : stderr.trim().split('\n')[0] || e.message;
      resolve({ realtime: false, refused: reason });
    });
  });
}

let live: ThreadNice | undefined;

/**
 * Raise the calling thread to the live loop's priority, once per thread (module state is per
 * thread): every real-time session calls it before its clock starts.
 */
export function raiseLiveLoop(): ThreadNice {
  if (live) return live;
  const asked = liveNiceAsked();
  live = asked === undefined ? { nice: getPriority() } : setThreadNice(asked);
  return live;
}

/**
 * What a run should tell its user about a session's live-loop priority (SessionTiming.liveNice and
 * wakeRealtime), if anything: that raising it was refused, what that risks and how to allow it.
 */
export function livePriorityNote(timing: { liveNice?: number; wakeRealtime?: boolean }, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const asked = liveNiceAsked(env);
  if (timing.liveNice === undefined || asked === undefined) return undefined;
  const niceRefused = timing.liveNice > asked;
  const wakeRefused = timing.wakeRealtime === false;
  if (!niceRefused && !wakeRefused) return undefined;
  const refusals = [
    ...(niceRefused ? [`the live loop runs at nice ${timing.liveNice}, not ${asked}: raising its priority was refused`] : []),
    ...(wakeRefused ? ['the thread that wakes the live loop at its deadlines could not enter the real-time class (SCHED_FIFO)'] : []),
  ];
  return (
    `${refusals.join('; ')} (${niceRefused && wakeRefused ? 'both need' : niceRefused ? 'it needs' : 'that needs'} root or CAP_SYS_NICE${wakeRefused ? ', and a system that allows real-time threads' : ''}). ` +
    'On a busy machine other processes can then delay its frames and reads; sessions where that happened near a measured moment are flagged (timing_flagged). ' +
    'Set CROSSTALK_LIVE_NICE=0 to silence this note.'
  );
}
