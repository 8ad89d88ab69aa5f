/** `crosstalk list`: suites and scenarios, metrics with their definitions, adapters, families, speech engines. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { loadSuite } from '../../harness/scenario/load.ts';
import { FAMILIES } from '../../harness/scenario/schema.ts';
import { METRIC_DEFINITIONS } from '../../harness/metrics/registry.ts';
import { panelDefinitions } from '../../reports/panel.ts';
import { describeAdapters } from '../adapters.ts';
import { DEFAULT_ENGINE, ENGINES, ENGINE_INFO, engineVersion, installedRelease, loadEngine, shippedIn } from '../../datasets/tts/engine.ts';
import { SCENARIOS_ROOT } from '../paths.ts';

export interface ListArgs {
  suite?: string;
  metrics: boolean;
  adapters: boolean;
  families: boolean;
  engines: boolean;
  json: boolean;
}

export function listBuilder(y: Argv): Argv<ListArgs> {
  return y
    .option('suite', { type: 'string', describe: 'List the scenarios of this suite' })
    .option('metrics', {
      type: 'boolean',
      default: false,
      describe: "List metric names with definition, unit, direction, then the interaction panel's figures (panel.*)",
    })
    .option('adapters', { type: 'boolean', default: false, describe: 'List adapters' })
    .option('families', { type: 'boolean', default: false, describe: 'List scenario families' })
    .option('engines', { type: 'boolean', default: false, describe: 'List speech engines: installed or not, voices, word timings, what each needs' })
    .option('json', { type: 'boolean', default: false, describe: 'Machine-readable output' }) as unknown as Argv<ListArgs>;
}

export async function listCommand(args: ListArgs): Promise<number> {
  const print = (value: unknown, text: () => string) => process.stdout.write((args.json ? JSON.stringify(value, null, 2) : text()) + '\n');
  if (args.engines) {
    const engines = await describeEngines();
    print(
      engines,
      () =>
        engines
          .map(
            (e) =>
              `${e.name}${e.name === DEFAULT_ENGINE ? ' (default)' : ''}  ${e.release ? `installed: ${e.release}` : `NOT INSTALLED: ${shippedIn(e.name)}`}\n  ${e.description}; licence ${e.licence}\n  voices: ${e.voices.join(', ')}\n  word timings: ${e.timings}\n  needs: ${e.needs}`,
          )
          .join('\n\n') + '\n\nUse one in a scenario (voice: {engine: flite, name: slt}) or for a whole run: crosstalk run --voices flite:slt,gnuspeech:female',
    );
  } else if (args.metrics) {
    // The stored metrics, then the panel's figures (aggregates over them, shown first in every view).
    const definitions = [...METRIC_DEFINITIONS, ...panelDefinitions()];
    print(definitions, () =>
      definitions
        .map(
          (m) =>
            `${m.name}  [${m.unit}, ${m.direction === 'lower' ? 'lower is better' : m.direction === 'higher' ? 'higher is better' : 'target'}]\n  ${m.definition}\n  per: ${m.denominator}\n  peer: ${m.peer}`,
        )
        .join('\n\n'),
    );
  } else if (args.adapters) {
    const list = describeAdapters();
    print(list, () => list.map((a) => `${a.name.padEnd(16)} ${a.description}`).join('\n'));
  } else if (args.families) {
    print(FAMILIES, () => FAMILIES.join('\n'));
  } else if (args.suite) {
    const scenarios = loadSuite(args.suite, SCENARIOS_ROOT).map((s) => ({
      key: s.key,
      family: s.scenario.family,
      title: s.scenario.title ?? '',
      tags: s.scenario.tags ?? [],
    }));
    print(scenarios, () => scenarios.map((s) => `${s.key.padEnd(32)} ${s.family.padEnd(17)} ${s.title}`).join('\n'));
  } else {
    const suites = readdirSync(SCENARIOS_ROOT)
      .filter((d) => statSync(join(SCENARIOS_ROOT, d)).isDirectory())
      .map((d) => ({ suite: d, scenarios: loadSuite(d, SCENARIOS_ROOT).length }));
    print(suites, () => suites.map((s) => `${s.suite.padEnd(16)} ${s.scenarios} scenarios`).join('\n'));
  }
  return 0;
}

/** Every engine, installed or not, with its voices (eSpeak: its language voices; a `+variant` such as +f3 may follow). */
async function describeEngines() {
  return Promise.all(
    ENGINES.map(async (name) => {
      const version = engineVersion(name);
      const voices = version ? await (await loadEngine(name)).voices() : [];
      return { ...ENGINE_INFO[name], installed: version !== undefined, version: version ?? null, release: installedRelease(name) ?? null, voices };
    }),
  );
}
