/**
 * An imported Full-Duplex-Bench sample as a crosstalk Recording, so crosstalk's own scorer
 * (harness/scoring/score.ts) can score it like a native session: the user channel is input.wav
 * and the agent channel output.wav, both on one clock at the output's rate (input resampled
 * when the rates differ); the header carries a scenario synthesized from the task file, and one
 * `action.start` per user action carries its planted timing (turn end, pause, interruption).
 *
 * User speech extents that the task file does not give (where the context turn starts and
 * ends) come from crosstalk's VAD on input.wav. The expectation budgets are crosstalk's
 * defaults for imported data (the peers set none), listed in IMPORT_BUDGETS_MS.
 */
import { statSync } from 'node:fs';
import { resample } from '../audio/resample.ts';
import { InputError } from '../../harness/errors.ts';
import { RECORDING_VERSION, type ActionStart, type RecordingHeader } from '../../harness/recording/events.ts';
import type { Action, Expectation, Family, Scenario } from '../../harness/scenario/schema.ts';
import type { Recording } from '../../harness/scoring/types.ts';
import type { SpanS } from '../../harness/metrics/peer/types.ts';
import { HARNESS_VERSION } from '../../harness/version.ts';
import { speechSegments } from '../../harness/vad/speech.ts';
import { readMonoWav } from './wav.ts';
import type { FdbV15Sample, FdbV1Sample, ImportedSample } from './types.ts';

export const IMPORT_BUDGETS_MS = { takeTurn: 1500, stop: 1000, answer: 2000 } as const;

interface Planned {
  id: string;
  kind: ActionStart['kind'];
  speech: SpanS;
  pauses?: SpanS[];
  expect: Expectation[];
}

const ms = (s: number) => Math.round(s * 1000);

function action(p: Planned): ActionStart {
  return {
    type: 'action.start',
    t: ms(p.speech.startS),
    id: p.id,
    kind: p.kind,
    startMs: ms(p.speech.startS),
    speechStartMs: ms(p.speech.startS),
    speechEndMs: ms(p.speech.endS),
    endMs: ms(p.speech.endS),
    words: [],
    // afterWord 0: the peers' task files give the pause's time, not the word it follows.
    pauses: (p.pauses ?? []).map((q) => ({ startMs: ms(q.startS), endMs: ms(q.endS), afterWord: 0 })),
    expect: p.expect,
  };
}

/** Extent of the user's speech within [fromS, toS] by the speech detector, or the window itself when silent. */
function userExtent(user: SpanS[], fromS: number, toS: number): SpanS {
  const inside = user.filter((s) => s.endS > fromS && s.startS < toS);
  if (inside.length === 0) return { startS: fromS, endS: toS };
  return { startS: Math.max(fromS, inside[0].startS), endS: Math.min(toS, inside[inside.length - 1].endS) };
}

function planV1(s: FdbV1Sample, user: SpanS[], durS: number): { family: Family; actions: Planned[] } {
  const b = IMPORT_BUDGETS_MS;
  switch (s.task) {
    case 'pause_handling':
      return {
        family: 'pause',
        actions: [{ id: 'turn', kind: 'speak', speech: userExtent(user, 0, durS), pauses: [s.pause!], expect: [{ no_takeover: {} }] }],
      };
    case 'smooth_turn_taking':
      return {
        family: 'turn_taking',
        actions: [
          {
            id: 'turn',
            kind: 'speak',
            speech: { startS: userExtent(user, 0, s.turnEndS!).startS, endS: s.turnEndS! },
            expect: [{ take_turn: { within_ms: b.takeTurn } }],
          },
        ],
      };
    case 'user_interruption':
      return {
        family: 'interruption',
        actions: [
          { id: 'context', kind: 'speak', speech: userExtent(user, 0, s.interrupt!.startS), expect: [] },
          { id: 'barge_in', kind: 'speak', speech: s.interrupt!, expect: [{ stop: { within_ms: b.stop } }, { answer: { within_ms: b.answer } }] },
        ],
      };
    case 'backchannel':
      return { family: 'backchannel', actions: [{ id: 'turn', kind: 'speak', speech: userExtent(user, 0, durS), expect: [{ backchannel_opportunity: {} }] }] };
  }
}

/** v1.5 subsets: only a real interruption asks the agent to stop; the others ask it to go on. */
function planV15(s: FdbV15Sample, user: SpanS[]): { family: Family; actions: Planned[] } {
  const b = IMPORT_BUDGETS_MS;
  const context: Planned = { id: 'context', kind: 'speak', speech: userExtent(user, 0, s.event.startS), expect: [] };
  if (s.subset === 'user_interruption') {
    return {
      family: 'interruption',
      actions: [context, { id: 'event', kind: 'speak', speech: s.event, expect: [{ stop: { within_ms: b.stop } }, { answer: { within_ms: b.answer } }] }],
    };
  }
  const kind = s.subset === 'user_backchannel' ? 'backchannel' : 'speak';
  return { family: 'user_backchannel', actions: [context, { id: 'event', kind, speech: s.event, expect: [{ keep_talking: {} }] }] };
}

function scenarioOf(id: string, family: Family, planned: Planned[], title: string): Scenario {
  const timeline: Action[] = planned.map((p) => ({ id: p.id, at_ms: ms(p.speech.startS), [p.kind]: { text: 'imported' }, expect: p.expect }));
  return { version: 1, id: id.replace(/[^A-Za-z0-9_.-]/g, '_'), family, title, timeline };
}

/** The sample as a Recording (user: input.wav, agent: output.wav, at the output's rate). */
export function toRecording(sample: ImportedSample): Recording {
  if (sample.source === 'fd-bench') {
    throw new InputError('an FD-Bench conversation carries voice-activity timestamps, not audio', {
      file: sample.file,
      hint: 'Score it with scoreCrosstalkFdBench, which reads the timestamps directly.',
    });
  }
  const input = readMonoWav(sample.input.file);
  const output = readMonoWav(sample.output.file);
  const sampleRate = output.sampleRate;
  const userPcm = input.sampleRate === sampleRate ? input.pcm : resample(input.pcm, input.sampleRate, sampleRate);
  const length = Math.max(userPcm.length, output.pcm.length);
  const user = new Int16Array(length);
  user.set(userPcm);
  const agent = new Int16Array(length);
  agent.set(output.pcm);
  const userSpeech = speechSegments(input.pcm, input.sampleRate).map((s) => ({ startS: s.startMs / 1000, endS: s.endMs / 1000 }));
  const plan = sample.source === 'fdb-v1' ? planV1(sample, userSpeech, length / sampleRate) : planV15(sample, userSpeech);
  const subject = sample.source === 'fdb-v1' ? `${sample.task}/${sample.id}` : `${sample.subset}/${sample.id}`;
  const events = plan.actions.map(action);
  const header: RecordingHeader = {
    type: 'recording.header',
    t: 0,
    version: RECORDING_VERSION,
    sessionId: `${sample.source}:${subject}`,
    scenarioKey: `${sample.source}/${subject}`,
    scenario: scenarioOf(`${sample.source}-${subject}`, plan.family, plan.actions, `imported from ${sample.dir}`),
    adapter: `imported:${sample.source}`,
    clock: 'real',
    sampleRate,
    startedAt: statSync(sample.output.file).mtime.toISOString(),
    harnessVersion: HARNESS_VERSION,
  };
  return { header, events: [header, ...events], sampleRate, user, agent };
}
