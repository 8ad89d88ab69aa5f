/**
 * A voice set (`crosstalk run --voices flite:slt,gnuspeech:female`): render every suite's user
 * speech with other engines and voices, whatever its scenarios name.
 *
 * Each scenario gets a slot, its position in its whole suite (sorted by key, before --grep and
 * --shard, so a scenario keeps its voice in every shard and selection); slot k speaks with
 * voice k mod n of the set. A speech that names a voice other than its scenario's (a second
 * speaker: side talk, a bystander) speaks with voice k + 1 mod n, so two speakers stay two
 * voices when the set has two or more. Rate and pitch stay as the scenario sets them; clips
 * are untouched. Festival, the reference agent's training engine (engine.ts), is refused.
 */
import { InputError } from '../../harness/errors.ts';
import type { Speech, Voice } from '../../harness/scenario/schema.ts';
import { ENGINE_INFO, isEngine, SUITE_ENGINES, unknownEngine, type SuiteEngineName } from './engine.ts';
import { FLITE_VOICES } from './flite.ts';
import { GNUSPEECH_VOICES } from './gnuspeech.ts';

export interface VoiceRef {
  engine: SuiteEngineName;
  name: string;
}

const FIXED_VOICES: Partial<Record<SuiteEngineName, readonly string[]>> = { flite: FLITE_VOICES, gnuspeech: GNUSPEECH_VOICES };

/** `engine:voice,engine:voice,...`; an engine alone means its default voice. */
export function parseVoiceSet(spec: string, field = '--voices'): VoiceRef[] {
  const items = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0)
    throw new InputError(`${field} names no voice`, {
      field,
      hint: 'Give engine:voice pairs, e.g. --voices flite:slt,gnuspeech:female,espeak:en-gb (`crosstalk list --engines`).',
    });
  return items.map((item) => {
    const [engine, ...rest] = item.split(':');
    if (!isEngine(engine)) throw unknownEngine(engine, field, SUITE_ENGINES);
    if (!isSuiteEngine(engine)) {
      throw new InputError(`speech engine "${engine}" renders only the reference agent's training speech, never a suite`, {
        field,
        hint: `Suites render with: ${SUITE_ENGINES.join(', ')}.`,
      });
    }
    const name = rest.join(':') || ENGINE_INFO[engine].defaultVoice;
    const fixed = FIXED_VOICES[engine];
    if (fixed && !fixed.includes(name)) {
      throw new InputError(`unknown ${engine} voice "${name}" in ${field}`, { field, hint: `${engine} voices: ${fixed.join(', ')}.` });
    }
    return { engine, name };
  });
}

function isSuiteEngine(name: string): name is SuiteEngineName {
  return (SUITE_ENGINES as readonly string[]).includes(name);
}

export function formatVoiceSet(set: readonly VoiceRef[]): string {
  return set.map((v) => `${v.engine}:${v.name}`).join(',');
}

/** Slots: each scenario file's position among `files` sorted. */
export function slotsOf(files: readonly string[]): Map<string, number> {
  return new Map([...new Set(files)].sort().map((f, i) => [f, i]));
}

/** The voice a speech and its scenario get in slot `slot`. */
export function applyVoiceSet(
  set: readonly VoiceRef[],
  slot: number,
  speech: Speech,
  defaults: { voice?: Voice; seed: number },
): { speech: Speech; defaults: { voice?: Voice; seed: number } } {
  const main = set[slot % set.length];
  const other = set[(slot + 1) % set.length];
  const own = speech.voice?.name;
  const second = own !== undefined && own !== defaults.voice?.name;
  const pick = second ? other : main;
  return {
    speech: speech.voice ? { ...speech, voice: { ...speech.voice, engine: pick.engine, name: pick.name } } : speech,
    defaults: { ...defaults, voice: { ...defaults.voice, engine: main.engine, name: main.name } },
  };
}
