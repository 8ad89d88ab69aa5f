/**
 * Semantic checks for the actions and expectations beyond speech (side talk, background, visual
 * cues, time requests, interpretation, background tasks): what the schema cannot say, such as
 * "a background needs exactly one source" or "react belongs on a show action".
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { ACTION_KINDS, type Action, type ExpectationKind, type Scenario } from './schema.ts';

type LineOf = (path: (string | number)[]) => number | undefined;

/** Which action kinds each expectation may be attached to (kinds not listed: any). */
const EXPECTATION_ON: Partial<Record<ExpectationKind, readonly string[]>> = {
  react: ['show'],
  ignore: ['side_talk', 'background', 'vocal_tic'],
  latency_degradation: ['speak'],
  speak_at: ['speak'],
  interpret: ['speak'],
  deliver: ['speak'],
};

export function checkVideo(s: Scenario, file: string, lineOf: LineOf): void {
  if (s.video?.file && !existsSync(resolve(dirname(file), s.video.file))) {
    throw new InputError(`video file not found: ${resolve(dirname(file), s.video.file)}`, {
      file,
      line: lineOf(['video', 'file']),
      field: 'video.file',
      hint: 'Paths are relative to the scenario file; check the name or add the file.',
    });
  }
}

export function checkAvAction(s: Scenario, a: Action, file: string, i: number, lineOf: LineOf): void {
  const field = `timeline.${i}`;
  const kind = ACTION_KINDS.find((k) => a[k] !== undefined);
  if (a.background) {
    const b = a.background;
    const sources = (['text', 'clip', 'noise'] as const).filter((k) => b[k] !== undefined);
    const at = lineOf(['timeline', i, 'background']);
    if (sources.length !== 1) {
      throw new InputError(`background "${a.id}" needs exactly one of text, clip, noise`, {
        file,
        line: at,
        field: `${field}.background`,
        hint: 'Give another voice (`text` or `clip`) or a sound bed (`noise: babble`, `music`, `pink`...).',
      });
    }
    if (b.noise !== undefined && (b.ms === undefined || b.snr_db === undefined)) {
      throw new InputError(`background "${a.id}": a sound bed needs ms and snr_db`, {
        file,
        line: at,
        field: `${field}.background`,
        hint: 'Add `ms: 8000` (its length) and `snr_db: 10` (user speech level minus the bed level).',
      });
    }
    if (b.noise === undefined && (b.ms !== undefined || b.snr_db !== undefined)) {
      throw new InputError(`background "${a.id}": ms and snr_db apply to a sound bed only`, {
        file,
        line: at,
        field: `${field}.background`,
        hint: 'For another voice, set its level with `gain_db` (default -15).',
      });
    }
    if (b.clip && !existsSync(resolve(dirname(file), b.clip))) {
      throw new InputError(`clip not found: ${resolve(dirname(file), b.clip)}`, {
        file,
        line: at,
        field: `${field}.background.clip`,
        hint: 'Paths are relative to the scenario file; check the name or add the file.',
      });
    }
  }
  if (a.show) {
    const at = lineOf(['timeline', i, 'show']);
    if (!s.video)
      throw new InputError(`show "${a.id}" needs a video stream`, {
        file,
        line: at,
        field: `${field}.show`,
        hint: 'Add a scenario-level `video: { fps: 2 }` (generated frames) or `video: { file: talk.mp4 }`.',
      });
    if (a.show.cue !== 'recorded' && s.video.file) {
      throw new InputError(`show "${a.id}" draws a ${a.show.cue}, but frames of a recorded file are sent as they are`, {
        file,
        line: at,
        field: `${field}.show.cue`,
        hint: 'Use `cue: recorded` to mark when the cue appears in the file, or drop `video.file` to draw cues on a generated scene.',
      });
    }
    if (a.show.cue === 'recorded' && !s.video.file) {
      throw new InputError(`show "${a.id}" marks a recorded cue, but the scenario has no video file`, {
        file,
        line: at,
        field: `${field}.show.cue`,
        hint: 'Set `video.file`, or pick a drawn cue such as raised_hand.',
      });
    }
  }
  (a.expect ?? []).forEach((e, j) => {
    for (const k of Object.keys(e) as ExpectationKind[]) {
      const allowed = EXPECTATION_ON[k];
      if (allowed && kind && !allowed.includes(kind)) {
        throw new InputError(`expectation ${k} does not apply to a ${kind} action`, {
          file,
          line: lineOf(['timeline', i, 'expect', j]),
          field: `${field}.expect.${j}`,
          hint: `Attach ${k} to a ${allowed.join(' or ')} action.`,
        });
      }
    }
    const baseline = e.latency_degradation?.baseline;
    if (baseline !== undefined && !s.timeline.some((b) => b.id === baseline && (b.expect ?? []).some((x) => x.take_turn))) {
      throw new InputError(`latency_degradation baseline "${baseline}" is not an action with a take_turn expectation`, {
        file,
        line: lineOf(['timeline', i, 'expect', j]),
        field: `${field}.expect.${j}.latency_degradation.baseline`,
        hint: 'Name a clean question of this timeline that expects take_turn.',
      });
    }
  });
}
