/**
 * The interaction panel (reports/panel.ts) per system on the suites that feed it, in virtual
 * time through the real runner and scorer: the reference agent, the scripted agent as a good
 * and as a bad partner (yields to every sound, answers distractors), and content-free
 * adversaries. One row per panel figure, one column per system; value [95% CI] n=events.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Adapter } from '../harness/adapter.ts';
import { createReferenceAdapter } from '../adapters/reference/adapter.ts';
import { createScriptedAdapter } from '../adapters/scripted/adapter.ts';
import { createAdversaryAdapter } from '../adapters/adversary/adapter.ts';
import { playSuite, type ZooMedia } from '../adapters/adversary/zoo.ts';
import { computePanel, countText, fdbAverageText, figureCiText, figureText, panelFdbAverage, PANEL, PANEL_METRICS, type PanelRow } from '../reports/panel.ts';
import type { Row } from './engine.ts';

/** The suites with turns, barge-ins and distractors (vocal_tics once it exists). */
const PANEL_SUITES = ['core', 'side_talk', 'background', 'vocal_tics'];

const SYSTEMS: { name: string; make: () => Adapter }[] = [
  { name: 'reference', make: () => createReferenceAdapter({ mode: 'in-process' }) },
  { name: 'scripted (good partner)', make: () => createScriptedAdapter({}) },
  {
    name: 'scripted (yields to every sound)',
    make: () => createScriptedAdapter({ stopOnBackchannel: true, stopOnDistractor: true, respondToDistractorDelayMs: 600 }),
  },
  { name: 'adversary:silent', make: () => createAdversaryAdapter('silent') },
  { name: 'adversary:canned', make: () => createAdversaryAdapter('canned') },
  { name: 'adversary:talk-over', make: () => createAdversaryAdapter('talk-over') },
  { name: 'adversary:yield-all', make: () => createAdversaryAdapter('yield-all') },
];

export async function panelBench(m: ZooMedia): Promise<Row[]> {
  const suites = PANEL_SUITES.filter((s) => existsSync(join(m.scenariosRoot, s)));
  const columns: { name: string; rows: PanelRow[] }[] = [];
  for (const system of SYSTEMS) {
    const adapter = system.make();
    const rows: PanelRow[] = [];
    try {
      for (const suite of suites) {
        for (const session of await playSuite(adapter, suite, m)) {
          for (const r of session.metrics)
            if (PANEL_METRICS.includes(r.name)) rows.push({ name: r.name, subject: r.subject, value: r.value, reason: r.reason ?? null });
        }
      }
    } finally {
      await adapter.dispose?.();
    }
    columns.push({ name: system.name, rows });
  }
  const figures = columns.map((c) => computePanel(c.rows));
  const out: Row[] = PANEL.map((entry, i) => ({
    [`figure (suites: ${suites.join(', ')})`]: entry.label,
    ...Object.fromEntries(
      columns.map((c, j) => {
        const f = figures[j][i];
        return [
          c.name,
          f.value === null
            ? `– (n=${f.count})`
            : `${figureText(f)}${f.ciLow === null ? '' : ` [${figureCiText(f)}]`} n=${countText(f.count, entry.aggregate === 'rate' && f.small)}`,
        ];
      }),
    ),
  }));
  out.push({
    [`figure (suites: ${suites.join(', ')})`]: 'FD-bench v1.5-style average (peer figure)',
    ...Object.fromEntries(columns.map((c) => [c.name, fdbAverageText(panelFdbAverage(c.rows))])),
  });
  return out;
}
