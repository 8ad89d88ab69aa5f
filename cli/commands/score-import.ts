/**
 * `crosstalk score --format fdb-v1 | fdb-v1.5 | fd-bench <paths...>`: other benchmarks'
 * recordings as published, scored with the peer's rules and with crosstalk's, side by side.
 */
import { readFileSync, existsSync } from 'node:fs';
import { resolve, join, dirname } from 'node:path';
import { hostname } from 'node:os';
import { Store } from '../../harness/store/store.ts';
import { HARNESS_VERSION, gitSha, newRunId } from '../../harness/version.ts';
import { InputError } from '../../harness/errors.ts';
import {
  importFdbV1,
  scorePeerFdbV1,
  scoreCrosstalkFdbV1,
  importFdbV15,
  scorePeerFdbV15,
  scoreCrosstalkFdbV15,
  importFdBench,
  scorePeerFdBench,
  scoreCrosstalkFdBench,
  fdBenchSubject,
  type RuledMetricValue,
  type PeerSource,
} from '../../datasets/importers/index.ts';

export const IMPORT_FORMATS = ['fdb-v1', 'fdb-v1.5', 'fd-bench'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportOptions {
  /** icc_gt_distribution.json for FDB v1 backchannel samples (default: found beside the data). */
  iccReference?: string;
  /** FD-Bench: the rate the sample indices are at. */
  sampleRate?: number;
}

/** One scored unit: an FDB sample, or an FD-Bench timestamp file. */
export interface ScoredUnit {
  subject: string;
  family: string;
  dir: string;
  rows: RuledMetricValue[];
}

function findIcc(paths: string[], explicit?: string): Record<string, number[]> | undefined {
  const candidates = explicit ? [explicit] : paths.flatMap((p) => [join(p, 'icc_gt_distribution.json'), join(dirname(p), 'icc_gt_distribution.json')]);
  const file = candidates.map((c) => resolve(c)).find((c) => existsSync(c));
  if (!file) {
    if (explicit) throw new InputError('ICC reference file not found', { file: explicit, field: '--icc-reference' });
    return undefined;
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, number[]>;
  } catch (e) {
    throw new InputError(`not valid JSON: ${(e as Error).message}`, { file, hint: "Use the benchmark's icc_gt_distribution.json as published." });
  }
}

export async function scoreImported(format: ImportFormat, paths: string[], opts: ImportOptions = {}): Promise<ScoredUnit[]> {
  const units: ScoredUnit[] = [];
  if (format === 'fdb-v1') {
    const iccReference = findIcc(paths, opts.iccReference);
    for (const p of paths) {
      for (const s of await importFdbV1(resolve(p))) {
        units.push({
          subject: `${s.task}/${s.id}`,
          family: s.task,
          dir: s.dir,
          rows: [...scorePeerFdbV1(s, { iccReference }), ...scoreCrosstalkFdbV1(s, { iccReference })],
        });
      }
    }
  } else if (format === 'fdb-v1.5') {
    for (const p of paths) {
      for (const s of await importFdbV15(resolve(p))) {
        units.push({ subject: `${s.subset}/${s.id}`, family: s.subset, dir: s.dir, rows: [...scorePeerFdbV15(s), ...scoreCrosstalkFdbV15(s)] });
      }
    }
  } else {
    for (const p of paths) {
      const convs = await importFdBench(resolve(p), { sampleRate: opts.sampleRate });
      const subject = fdBenchSubject(p);
      units.push({ subject, family: 'fd_bench', dir: resolve(p), rows: [...scorePeerFdBench(convs, subject), ...scoreCrosstalkFdBench(convs, subject)] });
    }
  }
  if (units.length === 0)
    throw new InputError(`no ${format} samples found`, {
      file: paths.join(', '),
      hint: 'Point at the folder that holds the sample folders (each with input.wav and output.wav) or, for fd-bench, at the timestamp file.',
    });
  return units;
}

/** Peer and crosstalk values side by side, one line per metric and subject. */
export function importTable(units: ScoredUnit[]): string {
  const lines = [`${'subject'.padEnd(40)} ${'metric'.padEnd(34)} ${'peer rule'.padStart(12)} ${'crosstalk'.padStart(12)}`];
  const fmt = (v: number | null | undefined) => (v === undefined ? '-' : v === null ? 'none' : Number.isInteger(v) ? String(v) : v.toFixed(3));
  for (const u of units) {
    const names = [...new Set(u.rows.map((r) => `${r.name}\u0000${r.subject}`))];
    for (const key of names) {
      const [name, subject] = key.split('\u0000');
      const peer = u.rows.find((r) => r.ruleSet === 'peer' && r.name === name && r.subject === subject);
      const ours = u.rows.find((r) => r.ruleSet === 'crosstalk' && r.name === name && r.subject === subject);
      lines.push(`${subject.slice(0, 40).padEnd(40)} ${name.padEnd(34)} ${fmt(peer?.value).padStart(12)} ${fmt(ours?.value).padStart(12)}`);
    }
  }
  return lines.join('\n');
}

export async function storeImported(storePath: string, format: ImportFormat, paths: string[], units: ScoredUnit[]): Promise<string> {
  const store = await Store.open(resolve(storePath));
  try {
    const runId = newRunId();
    const now = new Date().toISOString();
    await store.beginRun({
      runId,
      startedAt: now,
      harnessVersion: HARNESS_VERSION,
      gitSha: gitSha(),
      adapter: `import:${format}`,
      suite: format,
      clock: 'real',
      source: format as PeerSource,
      label: `imported ${format}`,
      config: { paths: paths.map((p) => resolve(p)) },
      host: hostname(),
    });
    for (const u of units) {
      const sessionId = `${runId}:${format}/${u.subject}`;
      await store.appendSession(
        {
          sessionId,
          runId,
          scenarioKey: `${format}/${u.subject}`,
          scenarioId: u.subject,
          suite: format,
          family: u.family,
          tags: [format],
          repeat: 0,
          status: 'passed',
          startedAt: now,
          durationMs: 0,
          recordingPath: u.dir,
        },
        [],
        [],
        u.rows,
      );
    }
    await store.finishRun(runId, new Date().toISOString());
    return runId;
  } finally {
    await store.close();
  }
}
