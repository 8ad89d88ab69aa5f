/**
 * Spoken-keyword spotting over one finished user turn: every template (a vocabulary entry in
 * one of several voices) is matched anywhere in the turn with subsequence DTW on MFCCs. A raw
 * DTW distance means little across templates (a short, vowel-like template matches any speech
 * well), so each is measured against its own scores on keyword-free speech: z = (score - mean)
 * / sd, and the entry with the lowest z is taken if it clears a threshold. Durations win over
 * task cues ("check back in ten seconds" is a timer).
 *
 * Matching a turn costs tens of milliseconds, so it yields to the event loop between templates:
 * run synchronously it stalled every other real-time session in the process (one reference
 * process held 1 session within 2 ms pacing instead of 8 or more).
 */
import { subsequenceDtw } from './dtw.ts';
import { mfcc, pooled, type Features } from './mfcc.ts';

export interface Template {
  /** The vocabulary entry it renders. */
  text: string;
  features: Features;
  /** Its DTW scores on speech without any keyword (mean and spread): the yardstick of its scores. */
  backgroundMean: number;
  backgroundSd: number;
}

export type Spotted =
  | { kind: 'duration'; text: string; durationMs: number; z: number }
  | { kind: 'task'; text: string; z: number };

export interface SpotterConfig {
  /** A duration phrase is heard when its best template's z is at most this... */
  maxDurationZ: number;
  /** ...and a task cue when at most this. */
  maxTaskZ: number;
}

export const DEFAULT_SPOTTER: SpotterConfig = { maxDurationZ: -3, maxTaskZ: -3.5 };

/** A template's score on a query against its yardstick (lower: a closer match than usual). */
export function zScore(t: Template, query: Features): number {
  return (subsequenceDtw(t.features, query) - t.backgroundMean) / t.backgroundSd;
}

export class KeywordSpotter {
  constructor(
    private readonly durations: readonly { template: Template; durationMs: number }[],
    private readonly tasks: readonly Template[],
    private readonly cfg: SpotterConfig = DEFAULT_SPOTTER,
  ) {}

  /** What the turn (16 kHz PCM) asks for, or null. */
  async spot(turn: Int16Array): Promise<Spotted | null> {
    const { duration, task } = await this.closest(turn);
    if (duration && duration.z <= this.cfg.maxDurationZ) return duration;
    if (task && task.z <= this.cfg.maxTaskZ) return task;
    return null;
  }

  /** The closest duration phrase and the closest task cue, thresholds not applied. */
  async closest(turn: Int16Array): Promise<{ duration: Extract<Spotted, { kind: 'duration' }> | null; task: Extract<Spotted, { kind: 'task' }> | null }> {
    const query = pooled(mfcc(turn));
    const d = await best(this.durations, (x) => zScore(x.template, query));
    const t = await best(this.tasks, (x) => zScore(x, query));
    return {
      duration: d && { kind: 'duration', text: d.item.template.text, durationMs: d.item.durationMs, z: d.score },
      task: t && { kind: 'task', text: t.item.text, z: t.score },
    };
  }
}

const nextTurnOfEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function best<T>(items: readonly T[], score: (item: T) => number): Promise<{ item: T; score: number } | null> {
  let out: { item: T; score: number } | null = null;
  for (const item of items) {
    await nextTurnOfEventLoop();
    const s = score(item);
    if (!out || s < out.score) out = { item, score: s };
  }
  return out;
}
