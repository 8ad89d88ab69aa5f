/**
 * scenarios/held_out: the frozen held-out set (held-out-suite.ts). Its folder is pinned by a hash,
 * its texts share no sentence with any other suite or anything the agent was built from, and its
 * voices share no eSpeak language voice or variant with any other suite or agent template.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadSuite } from '../../harness/scenario/load.ts';
import { createMediaSource } from '../media-source.ts';
import { ONSET_TEMPLATE_VOICES } from '../../reference-impl/perception/keywords/onset-vocabulary.ts';
import { AGENT_LANGUAGES, AGENT_VARIANTS, TEMPLATE_VOICES } from '../../reference-impl/perception/keywords/vocabulary.ts';
import { ONSET_DEV_VOICES } from '../../reference-impl/tools/onset-dev-voices.ts';
import {
  buildHeldOutSuite,
  HELD_OUT_DIR,
  HELD_OUT_EXTENSION_COUNTS,
  HELD_OUT_FAMILY_COUNTS,
  HELD_OUT_LANGUAGES,
  HELD_OUT_VARIANTS,
  HELD_OUT_VOICES,
  heldOutYaml,
} from './held-out-suite.ts';
import { normalizeText, scenarioFiles, SCENARIOS_ROOT, sentencesOf, stringsUnder, voiceKey, voicesIn } from './testing/scenario-scan.ts';

/**
 * sha256 of the held-out folder (file names and bytes, sorted by name). FROZEN: do not update
 * it to make a change pass. A new held-out set is a new, deliberate version: say so in the
 * commit, and never after looking at per-scenario results. The first part's 48 files still hash
 * to the value they were frozen with (FIRST_PART_SHA256); the second part was added on
 * 2026-12-07 (held-out-suite.ts).
 */
const HELD_OUT_SHA256 = '69f0d07c7aa3b586245d741cabdc92d7e5662f4bc12113f01d09645d41e4c2f2';
const FIRST_PART_SHA256 = '7e1c08ee90452569b1ad3a533c1e31aad8c8b879709159b3bbd7010ed5b7a9d0';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** sha256 of the files `names` (default: all) of `dir`, name and bytes, sorted by name. */
function folderHash(dir: string, names = readdirSync(dir)): string {
  const h = createHash('sha256');
  for (const f of [...names].sort()) {
    h.update(`${f}\0`);
    h.update(readFileSync(join(dir, f)));
    h.update('\0');
  }
  return h.digest('hex');
}

/** String literals of TypeScript files (single, double and back quotes; good enough for prose). */
function literals(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (f.endsWith('.ts') && !f.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const parts = (name: string) => {
  const [language, variant = ''] = name.split('+');
  return { language, variant };
};

describe('scenarios/held_out (frozen)', () => {
  it('is frozen: the folder hashes to the pinned value', () => {
    expect(
      folderHash(HELD_OUT_DIR),
      'scenarios/held_out changed. The held-out set is FROZEN: it must not be tuned on or edited to move the figures. ' +
        'Restore it (npx tsx datasets/recipes/held-out-suite.ts from the committed recipe). Feature work reads only the aggregate table of `npm run bench -- reference`, never per-scenario held-out results.',
    ).toBe(HELD_OUT_SHA256);
    // The first part is byte for byte what was frozen before the second was added.
    const firstPart = buildHeldOutSuite()
      .filter((b) => b.part.name === 'first')
      .map((b) => `${b.scenario.id}.yaml`);
    expect(firstPart).toHaveLength(48);
    expect(folderHash(HELD_OUT_DIR, firstPart)).toBe(FIRST_PART_SHA256);
  });

  it('is exactly what the recipe writes', () => {
    const built = buildHeldOutSuite();
    expect(buildHeldOutSuite()).toEqual(built);
    expect(readdirSync(HELD_OUT_DIR).sort()).toEqual(built.map((b) => `${b.scenario.id}.yaml`).sort());
    for (const b of built) expect(readFileSync(join(HELD_OUT_DIR, `${b.scenario.id}.yaml`), 'utf8'), b.scenario.id).toBe(heldOutYaml(b));
  });

  it('validates, with the family counts of both parts (48 + 164 scenarios)', () => {
    const loaded = loadSuite('held_out', SCENARIOS_ROOT);
    const sum = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    expect(sum(HELD_OUT_FAMILY_COUNTS)).toBe(48);
    expect(sum(HELD_OUT_EXTENSION_COUNTS)).toBe(164);
    expect(loaded.length).toBe(212);
    for (const [f, n] of Object.entries(HELD_OUT_FAMILY_COUNTS))
      expect(loaded.filter((l) => l.scenario.family === f).length, f).toBe(n + HELD_OUT_EXTENSION_COUNTS[f as keyof typeof HELD_OUT_EXTENSION_COUNTS]);
  });

  it('renders every speech with pauses in its own voice (a pause needs a word boundary there in that engine)', async () => {
    const media = createMediaSource();
    const failed: string[] = [];
    let rendered = 0;
    for (const { scenario, file } of loadSuite('held_out', SCENARIOS_ROOT))
      for (const a of scenario.timeline)
        if (a.speak?.pauses?.length) {
          rendered++;
          await media
            .renderSpeech(a.speak, { voice: scenario.voice, seed: scenario.seed ?? 0 }, file)
            .catch((e: Error) => failed.push(`${scenario.id}: ${e.message}`));
        }
    expect(rendered).toBeGreaterThan(40);
    expect(failed).toEqual([]);
  }, 300_000);

  it('speaks half in eSpeak languages and variants that no other suite and no agent template or training voice uses, half in other engines', () => {
    const built = buildHeldOutSuite().map((b) => b.scenario);
    expect(built.filter((s) => s.voice?.engine).length).toBe(built.length / 2);
    const held = built.flatMap((s) => voicesIn(s));
    expect(new Set(held.map(voiceKey))).toEqual(new Set(HELD_OUT_VOICES.map(voiceKey)));
    const heldEspeak = held.filter((v) => !v.engine).map((v) => v.name);
    const others = scenarioFiles(['held_out']).flatMap((f) => voicesIn(parse(readFileSync(f, 'utf8'))));
    expect(others.length).toBeGreaterThan(100);
    // No other suite names any of the held-out engine voices.
    const heldEngine = new Set(held.filter((v) => v.engine).map(voiceKey));
    for (const v of others) expect(heldEngine.has(voiceKey(v)), voiceKey(v)).toBe(false);
    const agent = [...ONSET_TEMPLATE_VOICES, ...TEMPLATE_VOICES].map((v) => v.name);
    const heldLanguages = new Set(heldEspeak.map((n) => parts(n).language));
    const heldVariants = new Set(heldEspeak.map((n) => parts(n).variant).filter(Boolean));
    expect(heldLanguages).toEqual(new Set(HELD_OUT_LANGUAGES));
    expect(heldVariants).toEqual(new Set(HELD_OUT_VARIANTS.map((v) => v.variant).filter(Boolean)));
    for (const n of [...others.filter((v) => !v.engine).map((v) => v.name), ...agent]) {
      expect(heldLanguages.has(parts(n).language), `${n} shares a language voice with the held-out set`).toBe(false);
      expect(heldVariants.has(parts(n).variant), `${n} shares a variant with the held-out set`).toBe(false);
    }
    // The agent's own side of eSpeak (templates, the onset study's dev voices) uses no held-out variant either.
    for (const v of [...AGENT_VARIANTS, ...ONSET_DEV_VOICES.map((n) => parts(n).variant)]) expect(heldVariants.has(v), v).toBe(false);
    for (const l of AGENT_LANGUAGES) expect(heldLanguages.has(l), l).toBe(false);
  });

  it('shares no sentence with any other suite, recipe text or anything in the agent', () => {
    const held = new Set(
      buildHeldOutSuite()
        .flatMap((b) => stringsUnder(b.scenario, 'text'))
        .flatMap(sentencesOf),
    );
    expect(held.size).toBeGreaterThan(60);
    const elsewhere = [
      ...scenarioFiles(['held_out']).flatMap((f) => stringsUnder(parse(readFileSync(f, 'utf8')), 'text')),
      ...tsFiles(join(repoRoot, 'datasets', 'recipes'))
        .filter((f) => !/held-out-(suite|texts)/.test(f))
        .flatMap(literals),
      ...tsFiles(join(repoRoot, 'reference-impl')).flatMap(literals),
    ];
    const other = new Set(elsewhere.flatMap(sentencesOf));
    const otherJoined = elsewhere.map((t) => normalizeText(t.replace(/\|/g, ' ')));
    expect(other.size).toBeGreaterThan(300);
    for (const s of held) {
      expect(other.has(s), `held-out sentence also elsewhere: "${s}"`).toBe(false);
      if (s.split(' ').length >= 3)
        expect(
          otherJoined.find((t) => t.includes(s)),
          `held-out sentence inside another text: "${s}"`,
        ).toBeUndefined();
    }
    for (const s of other)
      if (s.split(' ').length >= 4)
        expect(
          [...held].find((h) => h.includes(s)),
          `another text's sentence inside the held-out set: "${s}"`,
        ).toBeUndefined();
  });
});
