/**
 * Load and validate scenario files. Every error names the file, the line and the field, and
 * says what to change.
 */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, resolve, relative, dirname } from 'node:path';
import { Value, ValueErrorType, type ValueError } from '@sinclair/typebox/value';
import { parseYaml } from '../yaml.ts';
import { ScenarioSchema, ACTION_KINDS, EXPECTATION_KINDS, type Scenario, type Action } from './schema.ts';
import { InputError } from '../errors.ts';
import { checkSays } from './check-says.ts';
import { checkAvAction, checkVideo } from './check-av.ts';

export interface LoadedScenario {
  scenario: Scenario;
  /** Absolute path of the YAML file. */
  file: string;
  /** Suite name: the folder under scenarios/ (or the file's folder name). */
  suite: string;
  /** `suite/id`: unique across suites, the key used in the store. */
  key: string;
}

/** Parse one scenario from YAML text. `file` is used in messages and to resolve clips. */
export function parseScenario(text: string, file: string, suite = 'adhoc'): LoadedScenario {
  const { lineOf, toJS } = parseYaml(text, file);
  const data = toJS();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError('a scenario must be a YAML mapping with version, id, family and timeline', {
      file,
      line: 1,
      hint: 'Start from a scenario in scenarios/core/ or see scenarios/scenario.schema.json.',
    });
  }
  const errors = [...Value.Errors(ScenarioSchema, data)];
  if (errors.length > 0) {
    const e = mostUseful(errors);
    const path = e.path
      .split('/')
      .filter(Boolean)
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const field = path.join('.') || '(root)';
    const unknown = e.type === ValueErrorType.ObjectAdditionalProperties;
    const allowed = unknown ? Object.keys((e.schema as { properties?: object }).properties ?? {}) : [];
    const message = unknown
      ? `unknown field "${path[path.length - 1]}"`
      : `${e.message}${e.value !== undefined ? ` (got ${JSON.stringify(e.value)?.slice(0, 80)})` : ''}`;
    throw new InputError(message, { file, line: lineOf(path), field, hint: unknown ? `Allowed here: ${allowed.join(', ')}.` : hintFor(field) });
  }
  const scenario = data as Scenario;
  checkSemantics(scenario, file, lineOf);
  return { scenario, file, suite, key: `${suite}/${scenario.id}` };
}

/**
 * The error a person should read first: a misspelt field explains the "missing" one beside it,
 * so unknown fields win; otherwise the deepest path is the most specific.
 */
function mostUseful(errors: ValueError[]): ValueError {
  const unknown = errors.find((e) => e.type === ValueErrorType.ObjectAdditionalProperties);
  if (unknown) return unknown;
  return errors.reduce((a, b) => (b.path.split('/').length > a.path.split('/').length ? b : a));
}

function hintFor(field: string): string {
  if (field === 'version') return 'Set `version: 1` (the only scenario format version).';
  if (field.endsWith('family')) return 'Use one of the families listed by `crosstalk list --families`.';
  if (/timeline\.\d+$/.test(field)) return 'Each action needs an id and exactly one of speak, backchannel, silence.';
  return 'See scenarios/scenario.schema.json for the allowed fields.';
}

function checkSemantics(s: Scenario, file: string, lineOf: (p: (string | number)[]) => number | undefined): void {
  checkVideo(s, file, lineOf);
  const ids = new Set<string>();
  s.timeline.forEach((a: Action, i: number) => {
    const at = (f?: string) => lineOf(f ? ['timeline', i, f] : ['timeline', i]);
    const field = `timeline.${i}`;
    if (ids.has(a.id))
      throw new InputError(`duplicate action id "${a.id}"`, { file, line: at('id'), field: `${field}.id`, hint: 'Give every action its own id.' });
    ids.add(a.id);
    const kinds = ACTION_KINDS.filter((k) => a[k] !== undefined);
    if (kinds.length !== 1) {
      throw new InputError(kinds.length === 0 ? `action "${a.id}" does nothing` : `action "${a.id}" has ${kinds.join(' and ')}`, {
        file,
        line: at(),
        field,
        hint: `Give it exactly one of: ${ACTION_KINDS.join(', ')}.`,
      });
    }
    if (a.at_ms !== undefined && a.after !== undefined) {
      throw new InputError(`action "${a.id}" has both at_ms and after`, {
        file,
        line: at('after'),
        field: `${field}.after`,
        hint: 'Keep one trigger: an absolute at_ms or a reactive after.',
      });
    }
    if (i === 0 && a.at_ms === undefined && a.after === undefined) {
      throw new InputError('the first action needs a start time', { file, line: at(), field, hint: 'Add `at_ms: 500` (or another time) to the first action.' });
    }
    const speechKey = a.speak ? 'speak' : a.backchannel ? 'backchannel' : a.side_talk ? 'side_talk' : undefined;
    const speech = a.speak ?? a.backchannel ?? a.side_talk;
    if (speech && speechKey) {
      if ((speech.text === undefined) === (speech.clip === undefined)) {
        throw new InputError(`action "${a.id}" needs exactly one of text or clip`, {
          file,
          line: at(speechKey),
          field: `${field}.${speechKey}`,
          hint: 'Write the words to synthesize in `text`, or point `clip` at a WAV file.',
        });
      }
      if (speech.pauses && speech.text) {
        const words = speech.text.trim().split(/\s+/).length;
        speech.pauses.forEach((p, j) => {
          if (p.after_word >= words) {
            throw new InputError(`pause after word ${p.after_word}, but the text has ${words} words`, {
              file,
              line: lineOf(['timeline', i, speechKey, 'pauses', j]),
              field: `${field}.pauses.${j}.after_word`,
              hint: `A mid-turn pause must fall between words: use 1..${words - 1}.`,
            });
          }
        });
      }
      if (speech.clip) {
        const clipPath = resolve(dirname(file), speech.clip);
        if (!existsSync(clipPath)) {
          throw new InputError(`clip not found: ${clipPath}`, {
            file,
            line: at(speechKey),
            field: `${field}.clip`,
            hint: 'Paths are relative to the scenario file; check the name or add the file.',
          });
        }
      }
      if (speech.annotation) {
        if (!speech.clip)
          throw new InputError('an annotation belongs to a clip', {
            file,
            line: at(speechKey),
            field: `${field}.annotation`,
            hint: 'Use `annotation` with `clip` (a recording); synthesized text carries its own word timings.',
          });
        if (speech.speech_end_ms !== undefined)
          throw new InputError('speech_end_ms and annotation both set the end of speech', {
            file,
            line: at(speechKey),
            field: `${field}.speech_end_ms`,
            hint: 'Drop `speech_end_ms`: the annotation sets the turn end (JSON: `turn_end_ms`).',
          });
        const annotationPath = resolve(dirname(file), typeof speech.annotation === 'string' ? speech.annotation : speech.annotation.file);
        if (!existsSync(annotationPath)) {
          throw new InputError(`annotation not found: ${annotationPath}`, {
            file,
            line: at(speechKey),
            field: `${field}.annotation`,
            hint: 'Paths are relative to the scenario file; check the name or add the file.',
          });
        }
      }
    }
    (a.expect ?? []).forEach((e, j) => {
      const keys = Object.keys(e);
      if (keys.length !== 1) {
        throw new InputError(`an expectation needs exactly one kind, got ${keys.length ? keys.join(', ') : 'none'}`, {
          file,
          line: lineOf(['timeline', i, 'expect', j]),
          field: `${field}.expect.${j}`,
          hint: `Use one of: ${EXPECTATION_KINDS.join(', ')}.`,
        });
      }
      checkSays(e, file, lineOf(['timeline', i, 'expect', j, keys[0], 'says']), `${field}.expect.${j}`);
    });
    checkAvAction(s, a, file, i, lineOf);
    if (a.after?.action && !s.timeline.some((b) => b.id === a.after!.action)) {
      throw new InputError(`after.action refers to unknown action "${a.after.action}"`, {
        file,
        line: at('after'),
        field: `${field}.after.action`,
        hint: 'Name an action id from this timeline.',
      });
    }
  });
}

export function loadScenarioFile(file: string, suite?: string): LoadedScenario {
  const abs = resolve(file);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read scenario file: ${(e as Error).message}`, { file: abs, hint: 'Check the path.' });
  }
  return parseScenario(text, abs, suite ?? suiteOf(abs));
}

function suiteOf(file: string): string {
  return dirname(file).split(/[\\/]/).pop() ?? 'adhoc';
}

/**
 * Load a suite: a folder name under `scenariosRoot`, a folder path, or a single file.
 * Files are returned in a stable (sorted) order.
 */
export function loadSuite(suiteOrPath: string, scenariosRoot: string): LoadedScenario[] {
  const candidates = [resolve(suiteOrPath), join(scenariosRoot, suiteOrPath)];
  const target = candidates.find((c) => existsSync(c));
  if (!target) {
    throw new InputError(`no suite or scenario file "${suiteOrPath}"`, {
      hint: `Use a folder under ${relative(process.cwd(), scenariosRoot) || '.'} (see \`crosstalk list\`) or a path to a .yaml file.`,
    });
  }
  if (statSync(target).isFile()) return [loadScenarioFile(target)];
  const files = readdirSync(target, { recursive: true })
    .map(String)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  if (files.length === 0) throw new InputError('no .yaml scenario files in this folder', { file: target });
  const suite = target.split(/[\\/]/).pop()!;
  const loaded = files.map((f) => loadScenarioFile(join(target, f), suite));
  const seen = new Map<string, string>();
  for (const l of loaded) {
    const prev = seen.get(l.key);
    if (prev)
      throw new InputError(`scenario id "${l.scenario.id}" is also used by ${prev}`, {
        file: l.file,
        field: 'id',
        hint: 'Scenario ids must be unique within a suite.',
      });
    seen.set(l.key, l.file);
  }
  return loaded;
}
