/**
 * A conversation on one 20 ms grid for agent tests: the user's track (noise floor plus placed
 * clips) is stepped through a ReferenceAgent, and what it said and did is kept per frame.
 */
import { ReferenceAgent, type AgentEvent } from '../agent.ts';
import { FRAME_MS, FRAME_SAMPLES } from '../frames.ts';
import type { KeywordSpotter } from '../perception/keywords/spotter.ts';
import type { Recognizer } from '../perception/lexical/recognizer.ts';
import { bundledOnsetClassifier } from '../perception/keywords/onset-model.ts';
import { loadSileroModel, SileroBatcher } from '../perception/silero.ts';
import type { PolicyConfig } from '../policy.ts';
import type { VoiceBank } from '../voice-bank.ts';

export interface AgentRun {
  /** Per frame: did the agent produce audio. */
  speaking: boolean[];
  /** What it played, frame by frame (zeros where it produced none). */
  played: Int16Array;
  events: { frame: number; event: AgentEvent }[];
  /** Time of the first frame at or after `fromMs` on which the agent speaks (null: never). */
  speechStartAfter(fromMs: number): number | null;
  /** Time of the first frame at or after `fromMs` on which the agent is silent. */
  silenceStartAfter(fromMs: number): number | null;
  eventsOf<T extends AgentEvent['type']>(type: T): { tMs: number; event: Extract<AgentEvent, { type: T }> }[];
}

/**
 * What the agent hears lags the audio by under this: Silero's 32 ms windows and the energy gate,
 * measured on the agent tests' clips (reference-impl/test/agent.test.ts's file comment).
 */
export const PERCEPTION_LAG_MS = 120;

let batcher: Promise<SileroBatcher> | undefined;
/** The CPU model, one batcher for every test run in this process. */
export function testSilero(): Promise<SileroBatcher> {
  batcher ??= loadSileroModel('cpu').then((m) => new SileroBatcher(m));
  return batcher;
}

/** `video(i)`: the JPEG frame to show before audio frame i, if one is due then. */
export async function runAgent(
  bank: VoiceBank,
  track: Int16Array,
  opts: { policy?: PolicyConfig; spotter?: KeywordSpotter; recognizer?: Recognizer; video?: (frame: number) => Uint8Array | undefined } = {},
): Promise<AgentRun> {
  const { video, ...agentOpts } = opts;
  const agent = new ReferenceAgent({ bank, silero: await testSilero(), onset: await bundledOnsetClassifier(), ...agentOpts });
  const speaking: boolean[] = [];
  const out: (Int16Array | null)[] = [];
  const events: AgentRun['events'] = [];
  for (let i = 0; (i + 1) * FRAME_SAMPLES <= track.length; i++) {
    const jpeg = video?.(i);
    if (jpeg) {
      const problem = agent.see(jpeg);
      if (problem !== null) throw new Error(`runAgent: frame before step ${i}: ${problem}`);
    }
    const r = await agent.step(track.subarray(i * FRAME_SAMPLES, (i + 1) * FRAME_SAMPLES));
    speaking.push(r.out !== null);
    out.push(r.out && Int16Array.from(r.out));
    for (const event of r.events) events.push({ frame: i, event });
  }
  agent.close();
  const firstFrom = (fromMs: number, want: boolean): number | null => {
    const i = speaking.indexOf(want, Math.ceil(fromMs / FRAME_MS));
    return i < 0 ? null : i * FRAME_MS;
  };
  const played = new Int16Array(out.length * FRAME_SAMPLES);
  out.forEach((f, i) => f && played.set(f, i * FRAME_SAMPLES));
  return {
    speaking,
    played,
    events,
    speechStartAfter: (fromMs) => firstFrom(fromMs, true),
    silenceStartAfter: (fromMs) => firstFrom(fromMs, false),
    eventsOf: (type) =>
      events.filter((e) => e.event.type === type).map((e) => ({ tMs: e.frame * FRAME_MS, event: e.event as Extract<AgentEvent, { type: typeof type }> })),
  };
}
