/**
 * A chaos plan: which faults to inject into a session, when (session clock, ms). Given as
 * `--adapter-option chaos=...`, either inline or as the path of a YAML/JSON plan file:
 *
 *     chaos="stall@2000+1500; close@6000=1011"         inline: kind@atMs[+forMs][=value]; ...
 *     chaos=plans/flaky.yaml                           a file:
 *
 *     seed: 7                    # corruption and truncation are drawn from this (default 1)
 *     match: "^core/pause-"      # only sessions whose scenario key matches (default: all)
 *     faults:
 *       - { kind: stall, at_ms: 2000, for_ms: 1500 }
 *       - { kind: close, at_ms: 6000, code: 1011 }
 *
 * Kinds (value after `=` inline):
 *   disconnect@t          the connection drops: the session ends errored (infrastructure)
 *   close@t=code          the vendor closes with this WebSocket close code: errored
 *   stall@t+ms            nothing moves either way for ms, then everything held arrives at once
 *   corrupt@t+ms          agent audio in the window has damaged samples (passed on as received)
 *   truncate@t+ms         agent audio chunks in the window arrive cut short (recoverable error each; one cut to nothing is dropped)
 *   wrong_rate@t+ms=hz    agent audio in the window is labelled with this sample rate
 *   malformed_json@t      one unparsable vendor message (recoverable error)
 *   slow_read@t+ms=delay  the system reads user audio `delay` ms late for ms
 * Every mistake is an InputError naming the plan (file and line) and the fix.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseYaml } from '../../harness/yaml.ts';
import { InputError } from '../../harness/errors.ts';

const FAULT_KINDS = ['disconnect', 'close', 'stall', 'corrupt', 'truncate', 'wrong_rate', 'malformed_json', 'slow_read'] as const;
type FaultKind = (typeof FAULT_KINDS)[number];

export interface ChaosFault {
  kind: FaultKind;
  atMs: number;
  /** Length of the fault window (stall, corrupt, truncate, wrong_rate, slow_read). */
  forMs: number;
  /** close: the close code; wrong_rate: the rate in Hz; slow_read: the delay in ms. */
  value?: number;
}

export interface ChaosPlan {
  faults: ChaosFault[];
  seed: number;
  /** Only sessions whose scenario key matches are disturbed. */
  match?: RegExp;
}

/** What each kind needs: a window, and which value (with its unit). */
const NEEDS: Record<FaultKind, { window: boolean; value?: string }> = {
  disconnect: { window: false },
  close: { window: false, value: 'code' },
  stall: { window: true },
  corrupt: { window: true },
  truncate: { window: true },
  wrong_rate: { window: true, value: 'sample_rate' },
  malformed_json: { window: false },
  slow_read: { window: true, value: 'delay_ms' },
};

const SYNTAX_HINT =
  'Write faults as kind@atMs[+forMs][=value] separated by ";", e.g. "stall@2000+1500; close@6000=1011", or give the path of a YAML plan (see adapters/chaos/plan.ts).';

/** The `chaos` adapter option: an inline plan, a plan file path, or a parsed JSON object/array. */
export function readChaosPlan(option: unknown): ChaosPlan {
  if (typeof option === 'string' && /\.(ya?ml|json)$/i.test(option.trim())) return loadPlanFile(option.trim());
  if (typeof option === 'string') return parseInlinePlan(option);
  if (Array.isArray(option) || (option !== null && typeof option === 'object')) return planFromValue(option, '--adapter-option chaos', () => undefined);
  throw new InputError(`the chaos option must be a plan, got ${JSON.stringify(option)}`, { field: '--adapter-option chaos', hint: SYNTAX_HINT });
}

export function parseInlinePlan(text: string): ChaosPlan {
  const where = '--adapter-option chaos';
  const parts = text
    .split(/[;,]/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new InputError('the chaos plan is empty', { field: where, hint: SYNTAX_HINT });
  const faults = parts.map((part) => {
    const m = /^([a-z_]+)@(\d+(?:\.\d+)?)(?:\+(\d+(?:\.\d+)?))?(?:=(-?\d+(?:\.\d+)?))?$/.exec(part);
    if (!m) throw new InputError(`cannot read chaos fault "${part}"`, { field: where, hint: SYNTAX_HINT });
    return checkFault(
      { kind: m[1], at_ms: Number(m[2]), for_ms: m[3] === undefined ? undefined : Number(m[3]), value: m[4] === undefined ? undefined : Number(m[4]) },
      where,
      true,
    );
  });
  return { faults, seed: 1 };
}

export function loadPlanFile(path: string): ChaosPlan {
  const file = resolve(path);
  if (!existsSync(file))
    throw new InputError('chaos plan file not found', {
      file,
      field: '--adapter-option chaos',
      hint: 'Give the path of a YAML or JSON plan, or an inline plan such as "stall@2000+1500".',
    });
  const { toJS, lineOf: lineOfNode } = parseYaml(readFileSync(file, 'utf8'), file);
  // An empty file has no node at all: its problem is on line 1.
  const lineOf = (path: (string | number)[]) => lineOfNode(path) ?? 1;
  return planFromValue(toJS(), file, lineOf);
}

function planFromValue(value: unknown, file: string, lineOf: (path: (string | number)[]) => number | undefined): ChaosPlan {
  const isFile = file !== '--adapter-option chaos';
  const fail = (path: (string | number)[], message: string, hint: string): never => {
    throw new InputError(message, { file: isFile ? file : undefined, line: lineOf(path), field: path.join('.') || (isFile ? undefined : file), hint });
  };
  const root = Array.isArray(value) ? { faults: value } : value;
  if (root === null || typeof root !== 'object' || Array.isArray(root))
    return fail([], 'a chaos plan must be a mapping with a `faults:` list', 'Start the file with `faults:` and list one fault per line.');
  const r = root as Record<string, unknown>;
  for (const key of Object.keys(r))
    if (!['faults', 'seed', 'match'].includes(key)) fail([key], `unknown key "${key}"`, 'A chaos plan has the keys faults, seed and match.');
  if (r.seed !== undefined && !Number.isInteger(r.seed)) fail(['seed'], `seed must be an integer, got ${JSON.stringify(r.seed)}`, 'Write e.g. `seed: 7`.');
  let match: RegExp | undefined;
  if (r.match !== undefined) {
    try {
      match = new RegExp(String(r.match));
    } catch (e) {
      fail(
        ['match'],
        `match is not a valid regular expression: ${(e as Error).message}`,
        'Write a regular expression over scenario keys, e.g. "^core/pause-".',
      );
    }
  }
  if (!Array.isArray(r.faults) || r.faults.length === 0)
    return fail(['faults'], '`faults` must be a non-empty list', 'List faults as `- { kind: stall, at_ms: 2000, for_ms: 1500 }`.');
  const faults = r.faults.map((f, i) => {
    if (f === null || typeof f !== 'object' || Array.isArray(f))
      return fail(['faults', i], 'a fault must be a mapping', 'Write `- { kind: stall, at_ms: 2000, for_ms: 1500 }`.');
    const raw = f as Record<string, unknown>;
    const valueKey = NEEDS[raw.kind as FaultKind]?.value;
    for (const key of Object.keys(raw)) {
      if (!['kind', 'at_ms', 'for_ms', valueKey].includes(key))
        fail(
          ['faults', i, key],
          `unknown key "${key}" in a ${String(raw.kind)} fault`,
          `A ${String(raw.kind)} fault has: kind, at_ms${NEEDS[raw.kind as FaultKind]?.window ? ', for_ms' : ''}${valueKey ? `, ${valueKey}` : ''}.`,
        );
    }
    try {
      return checkFault({ kind: raw.kind, at_ms: raw.at_ms, for_ms: raw.for_ms, value: valueKey ? raw[valueKey] : undefined }, file, false);
    } catch (e) {
      if (e instanceof InputError)
        fail(
          ['faults', i, e.field ?? ''].filter((p) => p !== ''),
          e.message,
          e.hint ?? SYNTAX_HINT,
        );
      throw e;
    }
  });
  return { faults, seed: (r.seed as number | undefined) ?? 1, match };
}

/** Validate one fault; field names in errors are the file's (at_ms, for_ms, code...). */
function checkFault(f: { kind: unknown; at_ms: unknown; for_ms: unknown; value: unknown }, where: string, inline: boolean): ChaosFault {
  const bad = (field: string, message: string, hint: string) => new InputError(message, { field: inline ? where : field, hint });
  if (typeof f.kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(f.kind)) {
    throw bad('kind', `unknown chaos fault kind ${JSON.stringify(f.kind)}`, `Use one of: ${FAULT_KINDS.join(', ')}.`);
  }
  const kind = f.kind as FaultKind;
  const need = NEEDS[kind];
  const isMs = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 86_400_000;
  if (!isMs(f.at_ms))
    throw bad(
      'at_ms',
      `${kind}: at_ms must be a time in ms on the session clock, got ${JSON.stringify(f.at_ms)}`,
      'Write e.g. at_ms: 2000 (inline: kind@2000).',
    );
  if (need.window && (!isMs(f.for_ms) || (f.for_ms as number) <= 0))
    throw bad(
      'for_ms',
      `${kind}: for_ms must be a positive length in ms, got ${JSON.stringify(f.for_ms)}`,
      `Give the window, e.g. ${kind}@${String(f.at_ms)}+1000.`,
    );
  if (!need.window && f.for_ms !== undefined)
    throw bad('for_ms', `${kind} happens at one time and takes no for_ms`, `Write ${kind}@${String(f.at_ms)}${need.value ? '=...' : ''}.`);
  if (need.value === undefined && f.value !== undefined) throw bad('value', `${kind} takes no value`, `Write ${kind}@${String(f.at_ms)}.`);
  if (need.value !== undefined) {
    const v = f.value;
    const ok =
      typeof v === 'number' &&
      Number.isInteger(v) &&
      (kind === 'close' ? v >= 1000 && v <= 4999 : kind === 'wrong_rate' ? v >= 4_000 && v <= 192_000 : v > 0 && v <= 60_000);
    const range =
      kind === 'close' ? 'a WebSocket close code (1000-4999)' : kind === 'wrong_rate' ? 'a sample rate in Hz (4000-192000)' : 'a delay in ms (1-60000)';
    if (!ok)
      throw bad(
        need.value,
        `${kind}: ${need.value} must be ${range}, got ${JSON.stringify(v)}`,
        `Write e.g. ${kind === 'close' ? 'close@6000=1011' : kind === 'wrong_rate' ? 'wrong_rate@1000+2000=8000' : 'slow_read@0+5000=40'}.`,
      );
  }
  return { kind, atMs: f.at_ms as number, forMs: need.window ? (f.for_ms as number) : 0, ...(need.value !== undefined ? { value: f.value as number } : {}) };
}
