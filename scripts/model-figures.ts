/**
 * What the reference agent's stored model files hold, as README tables generated from the files
 * themselves (scripts/figure-blocks.ts `model:<name>` blocks), so the README cannot disagree with them.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { markdownTable } from '../bench/markdown.ts';
import type { Row } from '../bench/engine.ts';

const MODELS = 'reference-impl/models';

function readModel<T>(repoRoot: string, file: string): T {
  return JSON.parse(readFileSync(join(repoRoot, MODELS, file), 'utf8')) as T;
}

// The line reference-impl/tools/train-eot.ts `report` writes per set into the model's `evaluation`.
const EVALUATION =
  /^(.+): (\d+) turn ends, (\d+) planted pauses, (\d+) other gaps >= 160 ms; p >= ([\d.]+): ends ([\d.]+) %, planted ([\d.]+) %, gaps ([\d.]+) %; p >= ([\d.]+): ends ([\d.]+) %, planted ([\d.]+) %, gaps ([\d.]+) %$/;

/** A stored end-of-turn model's own evaluation (models/eot-<name>.json), one row per set and threshold. */
function eotBlock(repoRoot: string, file: string): string {
  const model = readModel<{ trainedBy: string; evaluation: string[] }>(repoRoot, file);
  const rows: Row[] = model.evaluation.flatMap((line) => {
    const m = EVALUATION.exec(line);
    if (!m) throw new Error(`${MODELS}/${file}: evaluation line not in ${model.trainedBy}'s format: ${line}`);
    const [, set, ends, planted, gaps] = m;
    return [5, 9].map((at) => ({
      set,
      'p >=': m[at],
      'turn ends': `${m[at + 1]} % of ${ends}`,
      'planted pauses': `${m[at + 2]} % of ${planted}`,
      'other gaps >= 160 ms': `${m[at + 3]} % of ${gaps}`,
    }));
  });
  return `generated from \`${MODELS}/${file}\` (its \`evaluation\`, written by \`${model.trainedBy}\`): share of each kind of gap the model scores at or above p\n\n${markdownTable(rows)}\n`;
}

interface StoredTemplates {
  format: string;
  templates: { voice: string; text: string; cls?: string; kind?: string }[];
}

/** Templates per class (onset) or kind (keywords) in the two stored template files. */
export function templatesBlock(repoRoot: string): string {
  const rows: Row[] = [];
  for (const file of ['onset-templates.json', 'keyword-templates.json']) {
    const stored = readModel<StoredTemplates>(repoRoot, file);
    const kib = Math.round(statSync(join(repoRoot, MODELS, file)).size / 1024);
    const groups = new Map<string, StoredTemplates['templates']>();
    for (const t of stored.templates) {
      const group = t.cls ?? t.kind ?? '-';
      groups.set(group, [...(groups.get(group) ?? []), t]);
    }
    for (const [group, ts] of groups) {
      rows.push({
        file: `${file} (${kib} KiB, ${stored.format})`,
        'class or kind': group,
        texts: new Set(ts.map((t) => t.text)).size,
        voices: new Set(ts.map((t) => t.voice)).size,
        templates: ts.length,
      });
    }
    rows.push({
      file: `${file}: all`,
      'class or kind': '',
      texts: '',
      voices: new Set(stored.templates.map((t) => t.voice)).size,
      templates: stored.templates.length,
    });
  }
  return `generated from \`${MODELS}/onset-templates.json\` and \`keyword-templates.json\`\n\n${markdownTable(rows)}\n`;
}

export const MODEL_BLOCKS: Record<string, (repoRoot: string) => string> = {
  'eot-espeak': (root) => eotBlock(root, 'eot-espeak.json'),
  'eot-festival': (root) => eotBlock(root, 'eot-festival.json'),
  templates: templatesBlock,
};
