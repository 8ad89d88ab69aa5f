/**
 * The store: one DuckDB file per run (or per merged set of runs). Everything that writes to a
 * store goes through this class, which
 * - writes each session (row, events, segments, metrics) in ONE transaction: a session is all
 *   there or not there at all, whatever fails or crashes mid-way;
 * - only appends: the single in-place change is finishRun setting runs.finished_at;
 * - runs one operation at a time (a DuckDB connection holds one transaction), so concurrent
 *   workers can call it freely; calls are served in the order they were made.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DuckDBConnection, DuckDBDataChunkWriter, JSToDuckDBValueConverter, TIMESTAMP, jsToDuckDBValue } from '@duckdb/node-api';
import { InputError } from '../errors.ts';
import { leaseInstance, type InstanceLease } from './instances.ts';
import type { Segment } from '../scoring/types.ts';
import { plainConverter, toDuckDBParam, type QueryParam } from './convert.ts';
import {
  eventCells,
  metricCells,
  runCells,
  segmentCells,
  sessionCells,
  toTimestamp,
  type Cell,
  type EventRow,
  type IsoTime,
  type RunRow,
  type SessionRow,
  type StoredMetric,
} from './rows.ts';
import {
  EVENTS,
  METRICS,
  OLDEST_MIGRATABLE_VERSION,
  RUNS,
  SCHEMA_VERSION,
  SEGMENTS,
  SESSIONS,
  createStatements,
  migrationStatements,
  type TableDef,
} from './schema.ts';

export type { EventRow, IsoTime, RunRow, SessionRow, SessionVerdict, StoredMetric, RuleSet } from './rows.ts';
export type { QueryParam } from './convert.ts';
export { toEventRows } from './events.ts';

export class Store {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    /** The path as given (`:memory:` or a file), for messages. */
    readonly path: string,
    private readonly lease: InstanceLease,
    private readonly connection: DuckDBConnection,
  ) {}

  /** Open a store, creating the file (and its folders) and the schema if needed. */
  static async open(path: string): Promise<Store> {
    const inMemory = path === ':memory:';
    if (!inMemory) mkdirSync(dirname(resolve(path)), { recursive: true });
    let lease: InstanceLease;
    try {
      lease = await leaseInstance(path);
    } catch (err) {
      throw new InputError(`cannot open the store: ${(err as Error).message}`, {
        file: path,
        hint: 'Check that it is a crosstalk store (a DuckDB file) and that no other process has it open.',
      });
    }
    const connection = await lease.instance.connect();
    const store = new Store(path, lease, connection);
    try {
      await store.prepareSchema();
    } catch (err) {
      store.closeNow();
      throw err;
    }
    return store;
  }

  async beginRun(run: RunRow): Promise<void> {
    await this.exclusive(() => this.transaction(() => this.append(RUNS, [run], runCells)));
  }

  async finishRun(runId: string, finishedAt: IsoTime): Promise<void> {
    const finished = jsToDuckDBValue(toTimestamp(finishedAt, 'runs.finished_at'), TIMESTAMP);
    const result = await this.exclusive(() => this.connection.run('UPDATE runs SET finished_at = $1 WHERE run_id = $2', [finished, runId]));
    if (result.rowsChanged !== 1) throw new Error(`finishRun: no run ${JSON.stringify(runId)} in ${this.path}`);
  }

  /** Write one session and everything scored from it, all or nothing. */
  async appendSession(row: SessionRow, events: readonly EventRow[], segments: readonly Segment[], metrics: readonly StoredMetric[]): Promise<void> {
    const stray = events.find((e) => e.sessionId !== row.sessionId);
    if (stray) throw new Error(`appendSession: event of session ${stray.sessionId} given with session ${row.sessionId}`);
    await this.exclusive(() =>
      this.transaction(async () => {
        await this.append(SESSIONS, [row], sessionCells);
        await this.append(EVENTS, events, eventCells);
        await this.append(SEGMENTS, segments, (s) => segmentCells(row.sessionId, s));
        await this.append(METRICS, metrics, (m) => metricCells(row.sessionId, m));
      }),
    );
  }

  /**
   * Run SQL and return the rows as plain objects (see convert.ts for how values are mapped).
   * Parameters: `$1, $2...` with an array, or `$name` with an object.
   */
  async query<T = Record<string, unknown>>(sql: string, params?: readonly QueryParam[] | Record<string, QueryParam>): Promise<T[]> {
    const values =
      params === undefined
        ? undefined
        : Array.isArray(params)
          ? params.map(toDuckDBParam)
          : Object.fromEntries(Object.entries(params).map(([k, v]) => [k, toDuckDBParam(v as QueryParam)]));
    const reader = await this.exclusive(() => this.connection.runAndReadAll(sql, values));
    // The result's column types, not the chunks' vector types: only the former keep the JSON alias.
    const names = reader.deduplicatedColumnNames();
    const types = reader.columnTypes();
    return reader.getRows().map((row) => Object.fromEntries(row.map((value, i) => [names[i], plainConverter(value, types[i], plainConverter)])) as T);
  }

  /** Session ids, in the order they started (then by id). */
  async sessionIds(runId?: string): Promise<string[]> {
    const rows = await this.query<{ session_id: string }>(
      `SELECT session_id FROM sessions ${runId === undefined ? '' : 'WHERE run_id = $1'} ORDER BY started_at, session_id`,
      runId === undefined ? undefined : [runId],
    );
    return rows.map((r) => r.session_id);
  }

  /** Close after every pending operation has finished. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.exclusive(async () => this.closeNow());
  }

  private closeNow(): void {
    if (this.closed) return;
    this.closed = true;
    this.connection.closeSync();
    this.lease.release();
  }

  /** Run `op` after every operation called before it (one transaction at a time). */
  private exclusive<T>(op: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`store ${this.path} is closed`));
    const result = this.queue.then(op);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async transaction(body: () => Promise<void>): Promise<void> {
    await this.connection.run('BEGIN TRANSACTION');
    try {
      await body();
      await this.connection.run('COMMIT');
    } catch (err) {
      // The first error is the one to report: a ROLLBACK after a failed COMMIT (which DuckDB
      // has already rolled back) fails too, with a message that would hide it.
      await this.connection.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  /**
   * Append rows through DuckDB's appender, converting each as it goes (no second copy of a big
   * event log). Runs inside the open transaction, so a rollback discards what it flushed.
   */
  private async append<R>(table: TableDef, rows: readonly R[], toCells: (row: R) => Cell[]): Promise<void> {
    if (rows.length === 0) return;
    const appender = await this.connection.createAppender(table.name);
    try {
      const writer = DuckDBDataChunkWriter.forAppender(appender, { converter: JSToDuckDBValueConverter });
      for (const row of rows) writer.appendRow(toCells(row));
      writer.flush();
      appender.closeSync(); // flushes
    } catch (err) {
      // Drop what is buffered so closing cannot fail too and hide the first error; the
      // transaction's rollback discards what was already flushed.
      appender.clear();
      appender.closeSync();
      throw err;
    }
  }

  private async prepareSchema(): Promise<void> {
    const tables = await this.query<{ table_name: string }>(
      "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'",
    );
    if (tables.some((t) => t.table_name === 'schema_info')) {
      const [info] = await this.query<{ version: number }>('SELECT max(version) AS version FROM schema_info');
      const version = info?.version ?? null;
      checkVersion(version, this.path);
      if (version !== null && version < SCHEMA_VERSION) await this.migrate(version);
      return;
    }
    if (tables.length > 0) {
      throw new InputError(`not a crosstalk store: it has tables (${tables.map((t) => t.table_name).join(', ')}) but no schema_info`, {
        file: this.path,
        hint: 'Give a new file name, or the path of a store that crosstalk made.',
      });
    }
    await this.exclusive(() =>
      this.transaction(async () => {
        for (const statement of createStatements()) await this.connection.run(statement);
      }),
    );
  }

  /**
   * Bring an older store to SCHEMA_VERSION in place, in one transaction (schema.ts MIGRATIONS:
   * columns added, old rows keep NULL there). Older crosstalk versions refuse it afterwards.
   */
  private async migrate(from: number): Promise<void> {
    try {
      await this.exclusive(() =>
        this.transaction(async () => {
          // Another store open on the same file in this process may have migrated it meanwhile.
          const now = await this.connection.runAndReadAll('SELECT max(version) FROM schema_info');
          if (Number(now.getRows()[0]?.[0]) !== from) return;
          for (const statement of migrationStatements(from)) await this.connection.run(statement);
        }),
      );
    } catch (err) {
      throw new InputError(`store schema version ${from} could not be migrated to version ${SCHEMA_VERSION}: ${(err as Error).message.split('\n')[0]}`, {
        file: this.path,
        hint: 'Opening an older store upgrades it in place, so it must be writable: copy it somewhere writable, or re-score its recordings into a new store (`crosstalk score`).',
      });
    }
  }
}

/** Refuse a store this version cannot read or migrate, saying what to do. */
function checkVersion(version: number | null, path: string): void {
  if (version === SCHEMA_VERSION) return;
  if (version !== null && Number.isInteger(version) && version >= OLDEST_MIGRATABLE_VERSION && version < SCHEMA_VERSION) return;
  if (version !== null && version > SCHEMA_VERSION) {
    throw new InputError(`made by a newer crosstalk (store schema version ${version}; this crosstalk reads version ${SCHEMA_VERSION}); upgrade`, {
      file: path,
      hint: 'Upgrade crosstalk to read this store, or write to a new file.',
    });
  }
  throw new InputError(`store schema version ${version ?? 'missing'} is not one this crosstalk can read or migrate (it reads version ${SCHEMA_VERSION})`, {
    file: path,
    hint: 'Re-score the recordings into a new store (`crosstalk score`).',
  });
}
