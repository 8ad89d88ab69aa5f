/**
 * The store's schema, version 5. Table and column names are a public interface: reports, gates
 * and users' own SQL query them, so a rename is a new SCHEMA_VERSION with a migration.
 *
 * Each table is declared once here; the DDL and the store's row order (appenders write columns
 * in table order) are both derived from these lists, so they cannot drift. A column added by a
 * later version goes at the end of its table (ALTER TABLE ADD COLUMN appends), so a migrated
 * store and a new one have the same column order.
 *
 * Versions:
 *   1  the first.
 *   2  metrics.reason: the typed N/A reason (NA_REASONS in harness/scoring/types.ts). A version 1
 *      store is migrated in place when opened (its rows get reason NULL: unknown) and merged as
 *      is (see MIGRATIONS).
 *   3  sessions.speech_source: the engine and voice that rendered the session's user speech
 *      (`flite:slt`; `run --voices`), so every metric can be broken down by speech source.
 *      Older rows get NULL (unknown; eSpeak was the only engine then).
 *   4  sessions.perturbation: the perturbations the user's side went through (`run --perturb`,
 *      datasets/perturb/spec.ts, canonical form: `rate:1.1,reverb:400ms,noise:pink@10dB`).
 *      NULL: none (clean); older rows get NULL, as nothing was perturbed before version 4.
 *   5  sessions.harness_error_ms and sessions.timing_flagged: the harness's own lateness near the
 *      moments latencies are measured at, and whether it passed the bound (harness/runner/
 *      harness-error.ts). Older rows and imports get NULL (not measured).
 */

export const SCHEMA_VERSION = 5;

/** The oldest version this crosstalk migrates (on open) or merges (copying NULL for later columns). */
export const OLDEST_MIGRATABLE_VERSION = 1;

interface ColumnDef {
  name: string;
  /** DuckDB type, with any constraint: `VARCHAR PRIMARY KEY`. */
  type: string;
  default?: string;
  /** Stored with COMMENT ON COLUMN, so `duckdb_columns()` documents the file itself. */
  comment?: string;
}

export interface TableDef {
  name: string;
  comment: string;
  columns: readonly ColumnDef[];
}

export const RUNS: TableDef = {
  name: 'runs',
  comment: 'One row per `crosstalk run` (or import).',
  columns: [
    { name: 'run_id', type: 'VARCHAR PRIMARY KEY' },
    { name: 'started_at', type: 'TIMESTAMP', comment: 'UTC' },
    { name: 'finished_at', type: 'TIMESTAMP', comment: 'UTC; NULL while running or if the run died' },
    { name: 'harness_version', type: 'VARCHAR' },
    { name: 'git_sha', type: 'VARCHAR' },
    { name: 'adapter', type: 'VARCHAR' },
    { name: 'suite', type: 'VARCHAR' },
    { name: 'clock', type: 'VARCHAR', comment: 'real | virtual' },
    {
      name: 'source',
      type: 'VARCHAR',
      default: "'crosstalk'",
      comment: 'Benchmark the recordings come from: crosstalk | fdb-v1 | fdb-v1.5 | fd-bench',
    },
    { name: 'label', type: 'VARCHAR' },
    { name: 'config', type: 'JSON', comment: 'Run configuration; keys named like key/token/secret/password/authorization are redacted' },
    { name: 'host', type: 'VARCHAR' },
  ],
};

export const SESSIONS: TableDef = {
  name: 'sessions',
  comment: 'One row per scenario repeat.',
  columns: [
    { name: 'session_id', type: 'VARCHAR PRIMARY KEY' },
    { name: 'run_id', type: 'VARCHAR' },
    { name: 'scenario_key', type: 'VARCHAR', comment: 'suite/id' },
    { name: 'scenario_id', type: 'VARCHAR' },
    { name: 'suite', type: 'VARCHAR' },
    { name: 'family', type: 'VARCHAR' },
    { name: 'tags', type: 'VARCHAR[]' },
    { name: 'repeat', type: 'INTEGER', comment: '0-based repeat index' },
    { name: 'status', type: 'VARCHAR', comment: 'passed | failed | errored' },
    { name: 'error', type: 'VARCHAR' },
    { name: 'started_at', type: 'TIMESTAMP', comment: 'UTC' },
    { name: 'duration_ms', type: 'DOUBLE' },
    { name: 'recording_path', type: 'VARCHAR' },
    { name: 'pacing_p50_ms', type: 'DOUBLE', comment: 'Lateness of user frame sends behind their deadlines' },
    { name: 'pacing_p99_ms', type: 'DOUBLE' },
    { name: 'pacing_max_ms', type: 'DOUBLE' },
    {
      name: 'speech_source',
      type: 'VARCHAR',
      comment:
        "Engine and voice of the user's speech, engine:voice (espeak:en-us, flite:slt, gnuspeech:female), or recording (clips only); NULL in rows of stores before v3",
    },
    {
      name: 'perturbation',
      type: 'VARCHAR',
      comment:
        "Perturbations of the user's side (run --perturb), canonical spec such as rate:1.1,reverb:400ms,telephone:g711,noise:pink@10dB,echo:-20dB@120ms; NULL: none (clean), as in every row of stores before v4",
    },
    {
      name: 'harness_error_ms',
      type: 'DOUBLE',
      comment:
        'Worst lateness of the harness within 60 ms of a user speech end or played agent onset: a latency can be off by this much through the harness; NULL where not measured (imports, stores before v5)',
    },
    {
      name: 'timing_flagged',
      type: 'BOOLEAN',
      comment: 'harness_error_ms passed the bound (10 ms): the latencies of this session are not trusted; NULL where not measured',
    },
  ],
};

export const EVENTS: TableDef = {
  name: 'events',
  comment: 'The recording event log, minus the header and frame.sent (see toEventRows).',
  columns: [
    { name: 'session_id', type: 'VARCHAR' },
    { name: 't_ms', type: 'DOUBLE', comment: 'Session clock' },
    { name: 'source', type: 'VARCHAR', comment: 'Prefix of type: action, trigger, agent, playout, transcript, vendor, network, adapter, session' },
    { name: 'type', type: 'VARCHAR', comment: 'Full event type, e.g. agent.speech_start' },
    {
      name: 'payload',
      type: 'JSON',
      comment:
        'The event without type and t. network events: {name, valueMs}, the same meaning for every adapter: connect_ms = start of the connection attempt that succeeded -> connection open; first_byte_ms = that same start -> first message from the system; rtt_ms = one round trip',
    },
  ],
};

export const SEGMENTS: TableDef = {
  name: 'segments',
  comment: 'Speech segments on each channel, as scored.',
  columns: [
    { name: 'session_id', type: 'VARCHAR' },
    { name: 'channel', type: 'VARCHAR', comment: 'user | agent' },
    { name: 'start_ms', type: 'DOUBLE' },
    { name: 'end_ms', type: 'DOUBLE' },
    { name: 'kind', type: 'VARCHAR' },
  ],
};

export const METRICS: TableDef = {
  name: 'metrics',
  comment: 'Measured values; several rows per metric and session (one per subject).',
  columns: [
    { name: 'session_id', type: 'VARCHAR' },
    { name: 'family', type: 'VARCHAR' },
    { name: 'name', type: 'VARCHAR', comment: 'Dotted, carries its unit: turn_taking.latency_ms' },
    { name: 'value', type: 'DOUBLE', comment: 'NULL = not computable (see note)' },
    { name: 'unit', type: 'VARCHAR' },
    { name: 'passed', type: 'BOOLEAN', comment: 'NULL when no expectation is attached' },
    { name: 'subject', type: 'VARCHAR' },
    { name: 'expectation', type: 'VARCHAR' },
    { name: 'note', type: 'VARCHAR' },
    { name: 'rule_set', type: 'VARCHAR', default: "'crosstalk'", comment: 'crosstalk | peer' },
    {
      name: 'reason',
      type: 'VARCHAR',
      comment: 'Typed N/A reason (schema v2): why value is NULL, or why a verdict failed without a value; NULL in rows of v1 stores (unknown)',
    },
  ],
};

export const TABLES: readonly TableDef[] = [RUNS, SESSIONS, EVENTS, SEGMENTS, METRICS];

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * Columns each version added, by table: `MIGRATIONS[v]` takes a store from version v - 1 to v.
 * Opening an older store runs them in order (one transaction); merging an older input copies
 * NULL (or the column's default) for them.
 */
export const MIGRATIONS: Readonly<Record<number, readonly { table: string; column: string }[]>> = {
  2: [{ table: 'metrics', column: 'reason' }],
  3: [{ table: 'sessions', column: 'speech_source' }],
  4: [{ table: 'sessions', column: 'perturbation' }],
  5: [
    { table: 'sessions', column: 'harness_error_ms' },
    { table: 'sessions', column: 'timing_flagged' },
  ],
};

/** Columns of `table` that a store of `version` lacks. */
export function columnsAddedSince(version: number, table: string): Set<string> {
  const added = new Set<string>();
  for (let v = version + 1; v <= SCHEMA_VERSION; v++) for (const m of MIGRATIONS[v] ?? []) if (m.table === table) added.add(m.column);
  return added;
}

/** Statements that take a store from `version` to SCHEMA_VERSION (run them in one transaction). */
export function migrationStatements(version: number): string[] {
  const statements: string[] = [];
  for (let v = version + 1; v <= SCHEMA_VERSION; v++) {
    for (const m of MIGRATIONS[v] ?? []) {
      const table = TABLES.find((t) => t.name === m.table)!;
      const c = table.columns.find((col) => col.name === m.column)!;
      statements.push(`ALTER TABLE ${table.name} ADD COLUMN "${c.name}" ${c.type}${c.default ? ` DEFAULT ${c.default}` : ''}`);
      if (c.comment) statements.push(`COMMENT ON COLUMN ${table.name}."${c.name}" IS ${quote(c.comment)}`);
    }
  }
  statements.push(`UPDATE schema_info SET version = ${SCHEMA_VERSION}`);
  return statements;
}

/** Statements that create an empty store at SCHEMA_VERSION (run them in one transaction). */
export function createStatements(): string[] {
  const statements: string[] = ['CREATE TABLE schema_info (version INTEGER NOT NULL)'];
  for (const table of TABLES) {
    const columns = table.columns.map((c) => `  "${c.name}" ${c.type}${c.default ? ` DEFAULT ${c.default}` : ''}`);
    statements.push(`CREATE TABLE ${table.name} (\n${columns.join(',\n')}\n)`);
    statements.push(`COMMENT ON TABLE ${table.name} IS ${quote(table.comment)}`);
    for (const c of table.columns) {
      if (c.comment) statements.push(`COMMENT ON COLUMN ${table.name}."${c.name}" IS ${quote(c.comment)}`);
    }
  }
  statements.push(`INSERT INTO schema_info VALUES (${SCHEMA_VERSION})`);
  return statements;
}
