import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { InputError } from '../errors.ts';
import type { RecordingEvent } from '../recording/events.ts';
import type { Segment } from '../scoring/types.ts';
import { REDACTED } from '../redact.ts';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.ts';
import { Store, toEventRows, type StoredMetric } from './store.ts';
import { eventRows, runRow, sessionRow } from './testing/rows.ts';

const dir = mkdtempSync(join(tmpdir(), 'crosstalk-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;
const newFile = () => join(dir, `nested/folder/s${fileCount++}.duckdb`);

const segments: Segment[] = [
  { channel: 'user', startMs: 0, endMs: 1200.5, kind: 'speech' },
  { channel: 'agent', startMs: 1650, endMs: 4000, kind: 'speech' },
];
const metrics: StoredMetric[] = [
  { name: 'turn_taking.latency_ms', family: 'turn_taking', value: 449.5, unit: 'ms', passed: true, subject: 'q1', expectation: 'take_turn within 1500 ms' },
  {
    name: 'turn_taking.latency_ms',
    family: 'turn_taking',
    value: null,
    unit: 'ms',
    passed: null,
    subject: 'q2',
    reason: 'no_response',
    note: 'agent never spoke',
  },
  { name: 'fdb.takeover_rate', family: 'turn_taking', value: 1, unit: 'ratio', passed: false, subject: 'q1', ruleSet: 'peer' },
];

async function withStore<T>(path: string, body: (store: Store) => Promise<T>): Promise<T> {
  const store = await Store.open(path);
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

/** Turn a store into what crosstalk with schema `version` wrote: without the columns later versions added. */
async function makeVersion(path: string, version: number): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  for (let v = version + 1; v <= SCHEMA_VERSION; v++) for (const m of MIGRATIONS[v]) await connection.run(`ALTER TABLE ${m.table} DROP COLUMN ${m.column}`);
  await connection.run(`UPDATE schema_info SET version = ${version}`);
  connection.closeSync();
  instance.closeSync();
}

async function counts(store: Store) {
  const [row] = await store.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM sessions) AS sessions, (SELECT count(*) FROM events) AS events,
            (SELECT count(*) FROM segments) AS segments, (SELECT count(*) FROM metrics) AS metrics`,
  );
  return row;
}

describe('Store', () => {
  it('round-trips every column of every table, NULLs included, through a file', async () => {
    const path = newFile();
    await withStore(path, async (store) => {
      await store.beginRun(runRow('run-1', { finishedAt: null }));
      await store.appendSession(
        sessionRow('s1', { perturbation: 'reverb:400ms,noise:pink@10dB', harnessErrorMs: 3.25, timingFlagged: false }),
        eventRows('s1', 3),
        segments,
        metrics,
      );
      await store.appendSession(
        sessionRow('s2', { status: 'errored', error: 'vendor 429', tags: [], recordingPath: null, pacingP50Ms: null, pacingP99Ms: null, pacingMaxMs: null }),
        [{ sessionId: 's2', tMs: 5, source: 'adapter', type: 'adapter.error', payload: { message: 'x', recoverable: false } }],
        [],
        [],
      );
      await store.finishRun('run-1', '2025-03-01T10:05:00.125Z');
    });
    await withStore(path, async (store) => {
      expect(await store.query('SELECT * FROM runs')).toEqual([
        {
          run_id: 'run-1',
          started_at: '2025-03-01T10:00:00.250Z',
          finished_at: '2025-03-01T10:05:00.125Z',
          harness_version: '0.1.0',
          git_sha: 'abc1234',
          adapter: 'reference',
          suite: 'core',
          clock: 'virtual',
          source: 'crosstalk',
          label: 'nightly',
          config: { workers: 8, repeats: 2 },
          host: 'ci-1',
        },
      ]);
      expect(await store.query('SELECT * FROM sessions ORDER BY session_id')).toEqual([
        {
          session_id: 's1',
          run_id: 'run-1',
          scenario_key: 'core/greeting',
          scenario_id: 'greeting',
          suite: 'core',
          family: 'turn_taking',
          tags: ['smoke', 'en'],
          repeat: 0,
          status: 'passed',
          error: null,
          started_at: '2025-03-01T10:00:01.500Z',
          duration_ms: 12345.5,
          recording_path: 'recordings/s1',
          pacing_p50_ms: 0.4,
          pacing_p99_ms: 2.5,
          pacing_max_ms: 7.25,
          speech_source: 'espeak:en-us',
          perturbation: 'reverb:400ms,noise:pink@10dB',
          harness_error_ms: 3.25,
          timing_flagged: false,
        },
        expect.objectContaining({
          session_id: 's2',
          status: 'errored',
          error: 'vendor 429',
          tags: [],
          recording_path: null,
          pacing_p50_ms: null,
          pacing_p99_ms: null,
          pacing_max_ms: null,
          harness_error_ms: null,
          timing_flagged: null,
        }),
      ]);
      expect(await store.query("SELECT * FROM events WHERE session_id = 's1' ORDER BY t_ms")).toEqual(
        eventRows('s1', 3).map((e) => ({ session_id: 's1', t_ms: e.tMs, source: 'agent', type: 'agent.audio', payload: e.payload })),
      );
      expect(await store.query('SELECT channel, start_ms, end_ms, kind FROM segments ORDER BY start_ms')).toEqual(
        segments.map((s) => ({ channel: s.channel, start_ms: s.startMs, end_ms: s.endMs, kind: s.kind })),
      );
      expect(await store.query('SELECT * FROM metrics ORDER BY rule_set, subject')).toEqual([
        {
          session_id: 's1',
          family: 'turn_taking',
          name: 'turn_taking.latency_ms',
          value: 449.5,
          unit: 'ms',
          passed: true,
          subject: 'q1',
          expectation: 'take_turn within 1500 ms',
          note: null,
          rule_set: 'crosstalk',
          reason: null,
        },
        {
          session_id: 's1',
          family: 'turn_taking',
          name: 'turn_taking.latency_ms',
          value: null,
          unit: 'ms',
          passed: null,
          subject: 'q2',
          expectation: null,
          note: 'agent never spoke',
          rule_set: 'crosstalk',
          reason: 'no_response',
        },
        {
          session_id: 's1',
          family: 'turn_taking',
          name: 'fdb.takeover_rate',
          value: 1,
          unit: 'ratio',
          passed: false,
          subject: 'q1',
          expectation: null,
          note: null,
          rule_set: 'peer',
          reason: null,
        },
      ]);
      expect(await store.sessionIds('run-1')).toEqual(['s1', 's2']);
      expect(await store.sessionIds('no-such-run')).toEqual([]);
    });
  });

  it('converts query values to plain JS: BIGINT, HUGEINT, DATE, nested LIST of JSON, parameters', async () => {
    await withStore(':memory:', async (store) => {
      const [row] = await store.query(
        `SELECT count(*) AS n, sum(x)::HUGEINT AS total, DATE '2025-03-01' AS day,
                [$1::JSON, '[1,2]'::JSON] AS docs, $2 AS label, $3::VARCHAR[] AS tags
         FROM range(4) t(x)`,
        ['{"a":{"b":true}}', 'x', ['p', 'q']],
      );
      expect(row).toEqual({ n: 4, total: 6, day: '2025-03-01', docs: [{ a: { b: true } }, [1, 2]], label: 'x', tags: ['p', 'q'] });
      expect(await store.query('SELECT $who AS who', { who: 'named' })).toEqual([{ who: 'named' }]);
    });
  });

  it('redacts secret-named keys in the run config, at any depth', async () => {
    await withStore(':memory:', async (store) => {
      const config = {
        adapter: { apiKey: 'sk-live-123', model: 'm', headers: { Authorization: 'Bearer abc' } },
        secrets: ['a'],
        list: [{ access_token: 't', ok: 1 }],
        dbPassword: 'p',
        workers: 4,
      };
      await store.beginRun(runRow('run-1', { config }));
      const [{ config: stored }] = await store.query<{ config: unknown }>('SELECT config FROM runs');
      expect(stored).toEqual({
        adapter: { apiKey: REDACTED, model: 'm', headers: { Authorization: REDACTED } },
        secrets: REDACTED,
        list: [{ access_token: REDACTED, ok: 1 }],
        dbPassword: REDACTED,
        workers: 4,
      });
      const [{ text }] = await store.query<{ text: string }>('SELECT config::VARCHAR AS text FROM runs');
      for (const secret of ['sk-live-123', 'Bearer abc', '"t"', '"p"']) expect(text).not.toContain(secret);
    });
  });

  it('leaves no part of a session whose append throws half-way', async () => {
    await withStore(':memory:', async (store) => {
      await store.appendSession(sessionRow('kept'), eventRows('kept', 10), segments, metrics);
      const before = await counts(store);

      // Circular payload at event 4000: the session row and the first chunks of events were
      // already handed to DuckDB when serializing it throws.
      const events = eventRows('broken', 5000);
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      events[4000].payload = circular;
      await expect(store.appendSession(sessionRow('broken'), events, segments, metrics)).rejects.toThrow(/circular/i);
      // A duplicate key fails inside DuckDB instead.
      await expect(store.appendSession(sessionRow('kept'), eventRows('kept', 10), segments, metrics)).rejects.toThrow(/duplicate|constraint/i);

      expect(await counts(store)).toEqual(before);
      expect(before).toEqual({ sessions: 1, events: 10, segments: 2, metrics: 3 });
      // The store is still usable afterwards.
      await store.appendSession(sessionRow('after'), eventRows('after', 2), [], []);
      expect(await store.sessionIds()).toEqual(['after', 'kept'].sort());
    });
  });

  it('leaves no part of a session when the process is killed mid-append', async () => {
    const path = newFile();
    await withStore(path, (store) => store.beginRun(runRow()));
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./testing/crash-mid-session.ts', import.meta.url)), path], {
      encoding: 'utf8',
    });
    expect(child.signal).toBe('SIGKILL');
    await withStore(path, async (store) => {
      expect(await store.sessionIds()).toEqual(['before']);
      expect(await store.query("SELECT count(*) AS n FROM events WHERE session_id = 'doomed'")).toEqual([{ n: 0 }]);
    });
  });

  it('appends to an existing file when reopened', async () => {
    const path = newFile();
    await withStore(path, async (store) => {
      await store.beginRun(runRow('run-1'));
      await store.appendSession(sessionRow('a'), eventRows('a', 5), segments, metrics);
    });
    await withStore(path, async (store) => {
      await store.beginRun(runRow('run-2'));
      await store.appendSession(sessionRow('b', { runId: 'run-2' }), eventRows('b', 5), segments, metrics);
      expect(await counts(store)).toEqual({ sessions: 2, events: 10, segments: 4, metrics: 6 });
      expect(await store.sessionIds('run-1')).toEqual(['a']);
      expect(await store.sessionIds('run-2')).toEqual(['b']);
      expect(await store.query('SELECT version FROM schema_info')).toEqual([{ version: SCHEMA_VERSION }]);
    });
  });

  it('shares one database between stores open on the same file in one process', async () => {
    const path = newFile();
    await withStore(path, (store) => store.beginRun(runRow()));
    const first = await Store.open(path);
    const second = await Store.open(path);
    await first.appendSession(sessionRow('from-first'), [], [], []);
    expect(await second.sessionIds()).toEqual(['from-first']);
    await first.close();
    await second.appendSession(sessionRow('from-second'), [], [], []);
    await second.close();
    await withStore(path, async (store) => expect(await store.sessionIds()).toEqual(['from-first', 'from-second']));
  });

  it('serializes concurrent appends from several workers', async () => {
    await withStore(':memory:', async (store) => {
      const ids = Array.from({ length: 8 }, (_, i) => `w${i}`);
      await Promise.all(ids.map((id) => store.appendSession(sessionRow(id), eventRows(id, 300), segments, metrics)));
      expect(await counts(store)).toEqual({ sessions: 8, events: 2400, segments: 16, metrics: 24 });
    });
  });

  it('migrates a version 1 store (no metrics.reason) in place when opened: old rows keep their values, reason NULL', async () => {
    const path = newFile();
    await withStore(path, async (store) => {
      await store.beginRun(runRow('run-1'));
      await store.appendSession(sessionRow('old'), eventRows('old', 2), segments, metrics);
    });
    await makeVersion(path, 1);
    await withStore(path, async (store) => {
      expect(await store.query('SELECT version FROM schema_info')).toEqual([{ version: SCHEMA_VERSION }]);
      expect(await store.query('SELECT subject, value, note, reason FROM metrics ORDER BY rule_set, subject')).toEqual([
        { subject: 'q1', value: 449.5, note: null, reason: null },
        { subject: 'q2', value: null, note: 'agent never spoke', reason: null },
        { subject: 'q1', value: 1, note: null, reason: null },
      ]);
      // New rows after the migration carry their reason, in the right column.
      await store.appendSession(sessionRow('new'), [], [], metrics);
      expect(await store.query("SELECT subject, reason, rule_set FROM metrics WHERE session_id = 'new' ORDER BY rule_set, subject")).toEqual([
        { subject: 'q1', reason: null, rule_set: 'crosstalk' },
        { subject: 'q2', reason: 'no_response', rule_set: 'crosstalk' },
        { subject: 'q1', reason: null, rule_set: 'peer' },
      ]);
    });
    // And the migrated file reads like a new one.
    const fresh = newFile();
    await withStore(fresh, async () => undefined);
    const columnsOf = (p: string) =>
      withStore(p, (s) =>
        s.query("SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE schema_name = 'main' ORDER BY table_name, column_index"),
      );
    expect(await columnsOf(path)).toEqual(await columnsOf(fresh));
  });

  it('migrates a version 3 store (no sessions.perturbation) in place: old rows get NULL (clean), new rows their spec', async () => {
    const path = newFile();
    await withStore(path, async (store) => {
      await store.beginRun(runRow('run-1'));
      await store.appendSession(sessionRow('old'), [], [], []);
    });
    await makeVersion(path, 3);
    await withStore(path, async (store) => {
      expect(await store.query('SELECT version FROM schema_info')).toEqual([{ version: SCHEMA_VERSION }]);
      await store.appendSession(sessionRow('new', { perturbation: 'telephone:g711' }), [], [], []);
      expect(await store.query('SELECT session_id, speech_source, perturbation FROM sessions ORDER BY session_id')).toEqual([
        { session_id: 'new', speech_source: 'espeak:en-us', perturbation: 'telephone:g711' },
        { session_id: 'old', speech_source: 'espeak:en-us', perturbation: null },
      ]);
    });
  });

  it('migrates a version 4 store (no harness timing) in place: old rows get NULL (not measured), new rows their error and flag', async () => {
    const path = newFile();
    await withStore(path, async (store) => {
      await store.beginRun(runRow('run-1'));
      await store.appendSession(sessionRow('old'), [], [], []);
    });
    await makeVersion(path, 4);
    await withStore(path, async (store) => {
      expect(await store.query('SELECT version FROM schema_info')).toEqual([{ version: SCHEMA_VERSION }]);
      await store.appendSession(sessionRow('new', { harnessErrorMs: 12.5, timingFlagged: true }), [], [], []);
      expect(await store.query('SELECT session_id, harness_error_ms, timing_flagged FROM sessions ORDER BY session_id')).toEqual([
        { session_id: 'new', harness_error_ms: 12.5, timing_flagged: true },
        { session_id: 'old', harness_error_ms: null, timing_flagged: null },
      ]);
    });
  });

  it('refuses a store made by a newer crosstalk, naming the file', async () => {
    const path = newFile();
    await withStore(path, (store) => store.query(`UPDATE schema_info SET version = ${SCHEMA_VERSION + 1}`));
    const error = await Store.open(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).file).toBe(path);
    expect((error as InputError).message).toMatch(/made by a newer crosstalk.*upgrade/);
  });

  it('refuses files that are not crosstalk stores', async () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'hello, not a database\n'.repeat(100));
    await expect(Store.open(text)).rejects.toThrow(InputError);

    const foreign = newFile();
    await withStore(foreign, (store) => store.query('CREATE TABLE other (x INTEGER); DROP TABLE schema_info'));
    const error = await Store.open(foreign).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/not a crosstalk store/);
  });

  it('rejects a bad timestamp and events of another session', async () => {
    await withStore(':memory:', async (store) => {
      await expect(store.beginRun(runRow('r', { startedAt: 'yesterday' }))).rejects.toThrow(/not a timestamp/);
      await expect(store.appendSession(sessionRow('s'), eventRows('other', 1), [], [])).rejects.toThrow(/session other/);
      await expect(store.finishRun('missing', '2025-03-01T10:00:00Z')).rejects.toThrow(/no run "missing"/);
    });
  });

  it('appends 100k events in one session (timed)', async () => {
    const path = newFile();
    const events = eventRows('big', 100_000);
    await withStore(path, async (store) => {
      const started = performance.now();
      await store.appendSession(sessionRow('big'), events, segments, metrics);
      const elapsedMs = performance.now() - started;
      console.log(`store: 100k events appended in ${elapsedMs.toFixed(0)} ms (${Math.round(100_000 / (elapsedMs / 1000))} rows/s)`);
      expect(await store.query("SELECT count(*) AS n, max(t_ms) AS last FROM events WHERE session_id = 'big'")).toEqual([{ n: 100_000, last: 99_999 * 20 }]);
    });
  });
});

describe('toEventRows', () => {
  it('maps events to source/type/payload, skipping the header and frame.sent', () => {
    const events = [
      { type: 'recording.header', t: 0 } as unknown as RecordingEvent,
      { type: 'frame.sent', t: 0, seq: 0, deadlineMs: 0 },
      { type: 'trigger.fired', t: 10, id: 'b1', event: 'agent_speech_start', refMs: 5, atMs: 10 },
      { type: 'transcript', t: 20, role: 'agent', text: 'hi', final: true },
      { type: 'session.end', t: 30, reason: 'completed', pacing: { frames: 1, p50Ms: 0.1, p99Ms: 0.2, maxMs: 0.3 } },
    ] satisfies RecordingEvent[];
    expect(toEventRows(events, 's')).toEqual([
      { sessionId: 's', tMs: 10, source: 'trigger', type: 'trigger.fired', payload: { id: 'b1', event: 'agent_speech_start', refMs: 5, atMs: 10 } },
      { sessionId: 's', tMs: 20, source: 'transcript', type: 'transcript', payload: { role: 'agent', text: 'hi', final: true } },
      {
        sessionId: 's',
        tMs: 30,
        source: 'session',
        type: 'session.end',
        payload: { reason: 'completed', pacing: { frames: 1, p50Ms: 0.1, p99Ms: 0.2, maxMs: 0.3 } },
      },
    ]);
  });
});
