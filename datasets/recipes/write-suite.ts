/** Writing a generated suite: the folder's YAML files replaced by one file per scenario. */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../../harness/scenario/schema.ts';

/** Replace `dir`'s .yaml files with one `<id>.yaml` per scenario, as `yamlOf` writes it; returns the files. */
export function writeScenarioFiles(dir: string, scenarios: Scenario[], yamlOf: (s: Scenario) => string): string[] {
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) if (f.endsWith('.yaml')) rmSync(join(dir, f));
  return scenarios.map((s) => {
    const file = join(dir, `${s.id}.yaml`);
    writeFileSync(file, yamlOf(s));
    return file;
  });
}
