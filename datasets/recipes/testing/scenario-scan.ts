/**
 * Reading what the scenario files under scenarios/ say, for the tests that keep sets apart (the
 * frozen held-out set, the agent's training and development data): which files, which voices,
 * which texts, split into normalized sentences.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCENARIOS_ROOT = fileURLToPath(new URL('../../../scenarios/', import.meta.url));

/** Every YAML file under scenarios/, except the suites named in `except`. */
export function scenarioFiles(except: readonly string[] = []): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.yaml') || f.endsWith('.yml')) out.push(p);
    }
  };
  for (const d of readdirSync(SCENARIOS_ROOT)) if (!except.includes(d) && statSync(join(SCENARIOS_ROOT, d)).isDirectory()) walk(join(SCENARIOS_ROOT, d));
  return out;
}

export interface NamedVoice {
  engine?: string;
  name: string;
}
export const voiceKey = (v: NamedVoice) => `${v.engine ?? 'espeak'}:${v.name}`;

/** Every voice (an object under a `voice` key) in a parsed YAML tree. */
export function voicesIn(node: unknown, out: NamedVoice[] = []): NamedVoice[] {
  if (Array.isArray(node)) for (const x of node) voicesIn(x, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'voice' && v && typeof v === 'object' && typeof (v as NamedVoice).name === 'string')
        out.push({ engine: (v as NamedVoice).engine, name: (v as NamedVoice).name });
      else voicesIn(v, out);
    }
  }
  return out;
}

/** Every string value under keys `text` and `name` (voices) in a parsed YAML tree. */
export function stringsUnder(node: unknown, key: 'text' | 'name', out: string[] = []): string[] {
  if (Array.isArray(node)) for (const x of node) stringsUnder(x, key, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === key && typeof v === 'string') out.push(v);
      else stringsUnder(v, key, out);
    }
  }
  return out;
}

export const normalizeText = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** Sentences of a text, normalized (the `|` pause marks dropped). */
export const sentencesOf = (text: string) =>
  text
    .replace(/\|/g, ' ')
    .split(/(?<=[.?!])\s+/)
    .map(normalizeText)
    .filter(Boolean);
