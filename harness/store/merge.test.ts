/** Merging shard stores: everything copied once, run metadata kept, bad inputs refused by name. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Store } from './store.ts';
import { mergeStores } from './merge.ts';
import { runRow, sessionRow, eventRows } from './testing/rows.ts';
import type { StoredMetric } from './rows.ts';
import { InputError } from '../errors.ts';
import { SCHEMA_VERSION } from './schema.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crosstalk-merge-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const metric = (value: number): StoredMetric =>
  ({
    family: 'turn_taking',
    name: 'turn_taking.latency_ms',
    value,
    unit: 'ms',
    passed: true,
    subject: 'ask',
    expectation: 'take_turn',
    note: null,
    ruleSet: 'crosstalk',
  }) as unknown as StoredMetric;

/** A shard store: one run (config.shard = i/n) with `sessions` sessions of 10 events, 1 segment and 1 metric each. */
async function shardStore(name: string, runId: string, shard: string | undefined, sessions: string[]): Promise<string> {
  const file = join(dir, `${name}.duckdb`);
  const store = await Store.open(file);
  await store.beginRun(runRow(runId, { config: { workers: 2, ...(shard ? { shard } : {}) } }));
  for (const [i, id] of sessions.entries()) {
    await store.appendSession(
      sessionRow(id, { runId, scenarioKey: `core/${id}`, scenarioId: id }),
      eventRows(id, 10),
      [{ channel: 'agent', startMs: 100, endMs: 900, kind: 'speech' }],
      [metric(400 + i)],
    );
  }
  await store.finishRun(runId, '2025-03-01T11:00:00.000Z');
  await store.close();
  return file;
}

async function counts(file: string) {
  const store = await Store.open(file);
  try {
    const [c] = await store.query<Record<string, number>>(
      `SELECT (SELECT count(*) FROM runs)::INTEGER AS runs, (SELECT count(*) FROM sessions)::INTEGER AS sessions, (SELECT count(*) FROM events)::INTEGER AS events,
              (SELECT count(*) FROM segments)::INTEGER AS segments, (SELECT count(*) FROM metrics)::INTEGER AS metrics`,
    );
    const runs = await store.query<{ run_id: string; shard: string; finished: boolean }>(
      `SELECT run_id, config->>'shard' AS shard, finished_at IS NOT NULL AS finished FROM runs ORDER BY run_id`,
    );
    return { ...c, runs: runs, nRuns: c.runs };
  } finally {
    await store.close();
  }
}

describe('mergeStores', () => {
  it('joins shard stores: every row once, each shard run kept with its config', async () => {
    const a = await shardStore('a', 'run-a', '1/2', ['s1', 's2']);
    const b = await shardStore('b', 'run-b', '2/2', ['s3']);
    const out = join(dir, 'all.duckdb');
    const summary = await mergeStores([a, b], out);
    expect(summary.inputs.map((i) => [i.runs, i.sessionsAdded, i.sessionsSkipped])).toEqual([
      [1, 2, 0],
      [1, 1, 0],
    ]);
    expect(summary.sessions).toBe(3);
    const c = await counts(out);
    expect(c).toMatchObject({ nRuns: 2, sessions: 3, events: 30, segments: 3, metrics: 3 });
    expect(c.runs).toEqual([
      { run_id: 'run-a', shard: '1/2', finished: true },
      { run_id: 'run-b', shard: '2/2', finished: true },
    ]);
  });

  it('refuses a store merged twice (duplicate sessions), naming it; --dedupe keeps the first copy', async () => {
    const a = await shardStore('dup-a', 'run-a', '1/2', ['s1', 's2']);
    const out = join(dir, 'dup.duckdb');
    await mergeStores([a], out);
    const err = await mergeStores([a], out).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).file).toBe(a);
    expect((err as InputError).describe()).toMatch(/2 session\(s\) are already in the merged store.*\n  .*--dedupe/);
    const again = await mergeStores([a], out, { duplicates: 'skip' });
    expect(again.inputs[0]).toMatchObject({ sessionsAdded: 0, sessionsSkipped: 2 });
    expect(await counts(out)).toMatchObject({ nRuns: 1, sessions: 2, events: 20 });
  });

  it('refuses the same shard from two different runs (it would count twice)', async () => {
    const a = await shardStore('sh-a', 'run-a', '1/2', ['s1']);
    const a2 = await shardStore('sh-a2', 'run-a-retry', '1/2', ['s1b']);
    const err = await mergeStores([a, a2], join(dir, 'sh.duckdb')).catch((e: unknown) => e);
    expect((err as InputError).describe()).toMatch(/shard 1\/2 of suite core against reference is already in the merged store from run run-a/);
  });

  it('an input that fails leaves the output with only the inputs before it, each whole', async () => {
    const a = await shardStore('part-a', 'run-a', '1/2', ['s1']);
    const out = join(dir, 'part.duckdb');
    await expect(mergeStores([a, join(dir, 'missing.duckdb')], out)).rejects.toThrow(/no such store/);
    // The missing input is found before anything is written.
    expect(await counts(out)).toMatchObject({ nRuns: 0, sessions: 0 });
  });

  it('merges a version 1 shard (no metrics.reason) as it is: its rows get reason NULL, the input is left unchanged', async () => {
    const old = await shardStore('v1', 'run-v1', '1/2', ['o1', 'o2']);
    const inst = await DuckDBInstance.create(old);
    const conn = await inst.connect();
    await conn.run('ALTER TABLE metrics DROP COLUMN reason');
    await conn.run('UPDATE schema_info SET version = 1');
    conn.closeSync();
    inst.closeSync();
    const current = await shardStore('v2', 'run-v2', '2/2', ['n1']);
    const out = join(dir, 'mixed.duckdb');
    const summary = await mergeStores([old, current], out);
    expect(summary.sessions).toBe(3);
    const store = await Store.open(out);
    try {
      expect(await store.query('SELECT session_id, value, reason FROM metrics ORDER BY session_id')).toEqual([
        { session_id: 'n1', value: 400, reason: null },
        { session_id: 'o1', value: 400, reason: null },
        { session_id: 'o2', value: 401, reason: null },
      ]);
    } finally {
      await store.close();
    }
    // Attached read-only: the input is still a version 1 store.
    const again = await DuckDBInstance.create(old);
    const c2 = await again.connect();
    expect((await c2.runAndReadAll('SELECT max(version) FROM schema_info')).getRows()[0][0]).toBe(1);
    c2.closeSync();
    again.closeSync();
  });

  it('refuses a newer schema version, a file that is not DuckDB, and a DuckDB file that is not a store', async () => {
    const newer = await shardStore('newer', 'run-n', undefined, ['s1']);
    const inst = await DuckDBInstance.create(newer);
    const conn = await inst.connect();
    await conn.run('UPDATE schema_info SET version = 99');
    conn.closeSync();
    inst.closeSync();
    const text = join(dir, 'text.duckdb');
    writeFileSync(text, 'hello, not a database');
    const foreign = join(dir, 'foreign.duckdb');
    const fi = await DuckDBInstance.create(foreign);
    const fc = await fi.connect();
    await fc.run('CREATE TABLE t (x INTEGER)');
    fc.closeSync();
    fi.closeSync();
    const cases: [string, RegExp][] = [
      [newer, new RegExp(`schema version 99, but this crosstalk writes version ${SCHEMA_VERSION}`)],
      [text, /cannot open as a DuckDB store/],
      [foreign, /not a crosstalk store \(it has tables t but no schema_info\)/],
    ];
    for (const [file, message] of cases) {
      const err = await mergeStores([file], join(dir, `out-${cases.findIndex((c) => c[0] === file)}.duckdb`)).catch((e: unknown) => e);
      expect(err, file).toBeInstanceOf(InputError);
      expect((err as InputError).file).toBe(file);
      expect((err as InputError).message).toMatch(message);
      expect((err as InputError).hint).toBeTruthy();
    }
  });
});
