/**
 * Synthetic recordings with a planted truth, for known-answer tests of the VAD, the scorer and
 * anything downstream. Agent speech is the speech-like vowel voice (harness/audio/vowel-voice.ts:
 * no sample below its -38 dBFS floor, so the detectors' sample-exact edges land exactly on the
 * planted samples) over a seeded Gaussian noise floor. Times in ms are converted to samples with
 * Math.round(ms * sampleRate / 1000).
 */
import type { ActionStart, RecordingEvent, RecordingHeader } from '../../recording/events.ts';
import type { Word } from '../../media.ts';
import type { Action, Expectation, Family, Scenario } from '../../scenario/schema.ts';
import { seededRandom } from '../../stats.ts';
import { vowelVoice } from '../../audio/vowel-voice.ts';
import { msToSamples } from '../../audio/units.ts';
import type { Recording } from '../types.ts';

const FULL_SCALE = 32767;

/** Overwrite pcm[start, end) with a square wave of the given amplitude and period. */
export function writeSquareBurst(pcm: Int16Array, startSample: number, endSample: number, amplitude = FULL_SCALE, periodSamples = 80): void {
  const half = Math.max(1, periodSamples >> 1);
  for (let i = Math.max(0, startSample); i < Math.min(endSample, pcm.length); i++) {
    pcm[i] = Math.floor((i - startSample) / half) % 2 === 0 ? amplitude : -amplitude;
  }
}

/** Overwrite pcm[start, end) with the vowel voice (from its beginning), as an agent's utterance. */
export function writeVoiceBurst(pcm: Int16Array, startSample: number, endSample: number, sampleRate: number): void {
  const from = Math.max(0, startSample);
  const to = Math.min(endSample, pcm.length);
  if (to > from) pcm.set(vowelVoice(((to - from) * 1000) / sampleRate, sampleRate).subarray(0, to - from), from);
}

/** Add seeded Gaussian noise with the given RMS level (dBFS, 0 = 32768), clipping to int16. */
export function addNoise(pcm: Int16Array, levelDbfs: number, seed: number): void {
  const random = seededRandom(seed);
  const sigma = 32768 * 10 ** (levelDbfs / 20);
  for (let i = 0; i < pcm.length; i++) {
    // Box-Muller; 1 - random() is in (0, 1], so the log is finite.
    const g = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    pcm[i] = Math.max(-32768, Math.min(32767, Math.round(pcm[i] + sigma * g)));
  }
}

/** A user action with its planted truth (absolute ms on the session clock). */
export interface SyntheticAction {
  id: string;
  /** Default 'speak'. */
  kind?: ActionStart['kind'];
  speechStartMs: number;
  speechEndMs: number;
  /** Default speechStartMs. */
  startMs?: number;
  /** Default speechEndMs. */
  endMs?: number;
  /** Absolute word timings; default none. */
  words?: Word[];
  pauses?: ActionStart['pauses'];
  /** Vocal tics inside the speech, each within one of `pauses`; default none. */
  tics?: ActionStart['tics'];
  expect?: Expectation[];
}

export interface SyntheticRecordingSpec {
  /** Default 16000. */
  sampleRate?: number;
  durationMs: number;
  /** The scenario's family; default 'turn_taking'. */
  family?: Family;
  actions: SyntheticAction[];
  /** Agent speech, planted as vowel-voice utterances on the agent channel. */
  agentBursts: { startMs: number; endMs: number }[];
  /** Noise floor under both channels, RMS dBFS; default -65 (20 dB under the VAD threshold). null: digital silence. */
  noiseDbfs?: number | null;
  /** Seed of the noise; default 1. */
  seed?: number;
  /** Scenario actions the session never placed: skipped (with the runner's reason) or never reached. */
  unplaced?: { action: Action; skippedReason?: string }[];
}

/**
 * A Recording whose agent channel holds the planted bursts and whose event log holds one
 * action.start per action. The user channel carries half-scale bursts over each action's
 * speech extent minus its pauses, so it looks like a session too.
 */
export function buildRecording(spec: SyntheticRecordingSpec): Recording {
  const sampleRate = spec.sampleRate ?? 16_000;
  const family = spec.family ?? 'turn_taking';
  const length = msToSamples(spec.durationMs, sampleRate);
  const agent = new Int16Array(length);
  const user = new Int16Array(length);
  for (const b of spec.agentBursts) writeVoiceBurst(agent, msToSamples(b.startMs, sampleRate), msToSamples(b.endMs, sampleRate), sampleRate);

  const events: ActionStart[] = spec.actions.map((a) => ({
    type: 'action.start',
    t: a.startMs ?? a.speechStartMs,
    id: a.id,
    kind: a.kind ?? 'speak',
    startMs: a.startMs ?? a.speechStartMs,
    speechStartMs: a.speechStartMs,
    speechEndMs: a.speechEndMs,
    endMs: a.endMs ?? a.speechEndMs,
    words: a.words ?? [],
    pauses: a.pauses ?? [],
    ...(a.tics ? { tics: a.tics } : {}),
    expect: a.expect ?? [],
  }));
  for (const a of events) {
    if (a.kind === 'silence') continue;
    let from = a.speechStartMs;
    for (const p of [...a.pauses, { startMs: a.speechEndMs, endMs: a.speechEndMs }]) {
      writeSquareBurst(user, msToSamples(from, sampleRate), msToSamples(p.startMs, sampleRate), FULL_SCALE >> 1);
      from = p.endMs;
    }
  }
  const noiseDbfs = spec.noiseDbfs === undefined ? -65 : spec.noiseDbfs;
  if (noiseDbfs !== null) {
    addNoise(agent, noiseDbfs, spec.seed ?? 1);
    addNoise(user, noiseDbfs, (spec.seed ?? 1) + 1);
  }

  const header: RecordingHeader = {
    type: 'recording.header',
    t: 0,
    version: 1,
    sessionId: 'synthetic',
    scenarioKey: `synthetic/${family}`,
    scenario: syntheticScenario(
      family,
      events,
      (spec.unplaced ?? []).map((u) => u.action),
    ),
    adapter: 'synthetic',
    clock: 'virtual',
    sampleRate,
    startedAt: '1970-01-01T00:00:00.000Z',
    harnessVersion: 'test',
  };
  const skipped: RecordingEvent[] = (spec.unplaced ?? []).flatMap((u) =>
    u.skippedReason === undefined ? [] : [{ type: 'action.skipped' as const, t: spec.durationMs, id: u.action.id, reason: u.skippedReason }],
  );
  const log: RecordingEvent[] = [...events, ...skipped].sort((x, y) => x.t - y.t);
  return { header, events: log, sampleRate, user, agent };
}

function syntheticScenario(family: Family, actions: ActionStart[], unplaced: Action[]): Scenario {
  const timeline: Action[] = actions.map((a) => {
    const base = { id: a.id, at_ms: a.startMs, expect: a.expect };
    if (a.kind === 'silence') return { ...base, silence: { ms: Math.max(1, a.endMs - a.startMs) } };
    return { ...base, [a.kind]: { text: 'synthetic' } };
  });
  return { version: 1, id: `synthetic-${family}`, family, timeline: [...timeline, ...unplaced] };
}
