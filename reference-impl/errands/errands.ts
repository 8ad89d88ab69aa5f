/**
 * What the agent was asked to do later: say something at a requested time ("tell me when ten
 * seconds have passed") or bring in the result of a slow background task ("can you look up
 * my flight?"). It hears each finished user turn through the keyword spotter, answers a
 * request with an acknowledgement, and hands the agent the due phrase at the first suitable
 * moment: due, the agent silent, the user quiet for a moment.
 *
 * Time is counted in 20 ms steps (the agent is input-clocked), so it is deterministic. A
 * requested time counts from the end of the request (as people and the time-awareness metric
 * count it): the turn-end decision comes `silenceMs` after the last speech, so that is taken off.
 */
import { FRAME_MS } from '../frames.ts';
import type { KeywordSpotter, Spotted } from '../perception/keywords/spotter.ts';
import { TurnAudio } from './turn-audio.ts';

/** What the agent says about an errand; a timer's lines name the time it heard ("ten seconds"). */
export interface ErrandLines {
  timerSet(heard: string): string;
  timerDue(heard: string): string;
  taskStarted: string;
  taskDone: string;
}

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** "have" after a plural duration ("ten seconds"), "has" after a singular one ("a minute", "an hour and a half"). */
const passed = (heard: string) => `${heard} ${heard.endsWith('s') ? 'have' : 'has'} passed`;

export const ERRAND_LINES: ErrandLines = {
  timerSet: (heard) => `Okay, I will tell you when ${passed(heard)}.`,
  timerDue: (heard) => `${capitalized(passed(heard))}. That is the time you asked for.`,
  taskStarted: 'Sure, I will look into that. It may take a few seconds.',
  taskDone: 'Here is what I found. It is all sorted, and I have the details ready for you.',
};

/**
 * The simulated background task (a lookup) takes this long. Fixed, and the agent's own: it
 * cannot know how long a scenario says the result takes.
 */
export const TASK_DURATION_MS = 10_000;
/** A due phrase waits for the user to have been quiet this long (not into a breath). */
export const QUIET_BEFORE_MS = 300;

interface Pending {
  dueStep: number;
  line: string;
}

/** The spotter starts this long before the answer is due (see Errands.answerDueIn), ms. */
export const SPOT_LEAD_MS = 100;

/** The spotter already set to work on a turn whose speech may have ended (see Errands.answerDueIn). */
interface EarlySpot {
  audio: Int16Array;
  heard: Promise<Spotted | null>;
}

export class Errands {
  private readonly turn = new TurnAudio();
  private pending: Pending[] = [];
  private stepIndex = 0;
  private quietMs = 0;
  private early: EarlySpot | undefined;

  constructor(
    private readonly spotter: Pick<KeywordSpotter, 'spot'>,
    private readonly lines: ErrandLines = ERRAND_LINES,
  ) {}

  /** Every frame of the user's audio, before the policy decides. */
  hear(frame: Int16Array, speech: boolean): void {
    this.stepIndex++;
    this.quietMs = speech ? 0 : this.quietMs + FRAME_MS;
    this.turn.push(frame, speech);
    // Speech again: the turn goes on, and an early result, if one comes, is not used.
    if (speech) this.early = undefined;
  }

  /**
   * The policy will answer the silence going on in `answerDueInMs` unless speech comes. The
   * answer waits for the spotter (8-34 ms of CPU a turn, and sessions of one process that end
   * their turns together wait for each other's), so the spotter starts SPOT_LEAD_MS before the
   * answer is due, once the turn's audio is complete (its trailing edge heard, 100 ms into the
   * silence). Not at every pause: a spotting that speech makes useless costs as much as one used.
   */
  answerDueIn(answerDueInMs: number): void {
    if (this.early || answerDueInMs > SPOT_LEAD_MS || !this.turn.settled) return;
    const audio = this.turn.peek();
    const heard = this.spotter.spot(audio);
    // Awaited in reply() if used; a dropped one must not be an unhandled rejection.
    heard.catch(() => {});
    this.early = { audio, heard };
  }

  /**
   * At a turn's end (the policy decided to answer, `silenceMs` after the last speech): the
   * acknowledgement to say instead of an answer if the turn asked for something, else null.
   */
  async reply(silenceMs: number): Promise<string | null> {
    const audio = this.turn.take();
    const early = this.early;
    this.early = undefined;
    // The early result is the spotter's on these very samples, so it is what spotting now would give.
    const heard = audio.length === 0 ? null : early && sameSamples(early.audio, audio) ? await early.heard : await this.spotter.spot(audio);
    if (!heard) return null;
    const afterMs = heard.kind === 'duration' ? heard.durationMs : TASK_DURATION_MS;
    const dueStep = this.stepIndex + Math.round((afterMs - silenceMs) / FRAME_MS);
    this.pending.push({ dueStep, line: heard.kind === 'duration' ? this.lines.timerDue(heard.text) : this.lines.taskDone });
    this.pending.sort((a, b) => a.dueStep - b.dueStep);
    return heard.kind === 'duration' ? this.lines.timerSet(heard.text) : this.lines.taskStarted;
  }

  /** When the agent is silent: what is due now, if the moment suits. */
  due(): string | null {
    const next = this.pending[0];
    if (!next || next.dueStep > this.stepIndex || this.quietMs < QUIET_BEFORE_MS) return null;
    this.pending.shift();
    return next.line;
  }
}

function sameSamples(a: Int16Array, b: Int16Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
