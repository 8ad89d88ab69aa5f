/**
 * Merging stores: `crosstalk merge shard-*.duckdb -o all.duckdb`. Each input is attached
 * read-only to the output's database and copied table by table in one transaction, so an input
 * is merged whole or not at all. Inputs must be crosstalk stores at this schema version or an
 * older one this crosstalk migrates (schema.ts MIGRATIONS): the columns a later version added are
 * copied as NULL (the input is attached read-only and left as it is). Run
 * rows are kept as they are (a shard's run row keeps its config, with `shard: "i/n"`), so the
 * merged store holds one run per shard and every session once.
 *
 * Duplicates: the same session id in two inputs (a shard merged twice, or a merged store merged
 * again with one of its parts) is refused by default; with `duplicates: 'skip'` the first copy
 * is kept and later ones are counted and skipped. Two different runs claiming the same shard of
 * the same suite and adapter (a shard run twice) are always refused: keeping both would count
 * that shard's scenarios twice.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { OLDEST_MIGRATABLE_VERSION, SCHEMA_VERSION, TABLES, columnsAddedSince, type TableDef } from './schema.ts';
import { Store } from './store.ts';

type DuplicatePolicy = 'refuse' | 'skip';

interface MergeInputSummary {
  file: string;
  runs: number;
  sessionsAdded: number;
  /** Sessions already in the output (only with duplicates: 'skip'). */
  sessionsSkipped: number;
}

interface MergeSummary {
  output: string;
  inputs: MergeInputSummary[];
  /** Sessions in the output when done. */
  sessions: number;
}

/** The attached input's name in SQL; unlikely to clash with the output file's own name. */
const SRC = 'crosstalk_merge_input';

export async function mergeStores(inputs: readonly string[], output: string, opts: { duplicates?: DuplicatePolicy } = {}): Promise<MergeSummary> {
  const duplicates = opts.duplicates ?? 'refuse';
  if (inputs.length === 0)
    throw new InputError('no stores to merge', {
      field: 'stores',
      hint: 'Name the shard stores, e.g. `crosstalk merge results/shard-*.duckdb -o results/all.duckdb`.',
    });
  const out = resolve(output);
  const seen = new Set<string>();
  for (const input of inputs) {
    const abs = resolve(input);
    if (abs === out) throw new InputError('a store cannot be merged into itself', { file: input, field: '-o', hint: 'Write the merge to a new file.' });
    if (seen.has(abs)) throw new InputError('this store is named twice', { file: input, field: 'stores', hint: 'Name each store once.' });
    seen.add(abs);
    if (!existsSync(abs))
      throw new InputError('no such store', {
        file: input,
        field: 'stores',
        hint: 'Check the path (shard stores are the --out of each `crosstalk run --shard`).',
      });
  }
  const store = await Store.open(out);
  const summaries: MergeInputSummary[] = [];
  try {
    for (const input of inputs) summaries.push(await mergeOne(store, resolve(input), duplicates));
    const [{ n }] = await store.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM sessions');
    return { output: out, inputs: summaries, sessions: n };
  } finally {
    await store.close();
  }
}

async function mergeOne(store: Store, file: string, duplicates: DuplicatePolicy): Promise<MergeInputSummary> {
  try {
    await store.query(`ATTACH ${sqlText(file)} AS ${SRC} (READ_ONLY)`);
  } catch (e) {
    throw new InputError(`cannot open as a DuckDB store: ${firstLine(e)}`, {
      file,
      hint: 'Check that it is a store written by `crosstalk run` and that no other process is writing it.',
    });
  }
  try {
    const version = await checkInput(store, file);
    await checkShards(store, file);
    const [{ runs }] = await store.query<{ runs: number }>(`SELECT count(*)::INTEGER AS runs FROM ${SRC}.runs`);
    const dup = await store.query<{ session_id: string }>(
      `SELECT session_id FROM ${SRC}.sessions WHERE session_id IN (SELECT session_id FROM main.sessions) ORDER BY session_id`,
    );
    if (dup.length > 0 && duplicates === 'refuse') {
      throw new InputError(`${dup.length} session(s) are already in the merged store, e.g. ${dup[0].session_id}`, {
        file,
        hint: 'This store (or one holding the same sessions) was merged already: leave it out, or pass --dedupe to keep the first copy of each session.',
      });
    }
    await store.query('BEGIN TRANSACTION');
    try {
      await store.query(`CREATE TEMP TABLE merge_new AS SELECT session_id FROM ${SRC}.sessions EXCEPT SELECT session_id FROM main.sessions`);
      for (const table of TABLES) await store.query(copyStatement(table, version));
      await store.query('DROP TABLE merge_new');
      await store.query('COMMIT');
    } catch (e) {
      await store.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
    const [{ total }] = await store.query<{ total: number }>(`SELECT count(*)::INTEGER AS total FROM ${SRC}.sessions`);
    return { file, runs, sessionsAdded: total - dup.length, sessionsSkipped: dup.length };
  } finally {
    await store.query(`DETACH ${SRC}`);
  }
}

/**
 * INSERT the input's rows that are new: runs not yet present, and everything of new sessions.
 * Columns added after the input's version are filled with their default (NULL for most).
 */
function copyStatement(table: TableDef, inputVersion: number): string {
  const added = columnsAddedSince(inputVersion, table.name);
  const cols = table.columns.map((c) => `"${c.name}"`).join(', ');
  const values = table.columns.map((c) => (added.has(c.name) ? (c.default ?? 'NULL') : `"${c.name}"`)).join(', ');
  const where = table.name === 'runs' ? 'WHERE run_id NOT IN (SELECT run_id FROM main.runs)' : 'WHERE session_id IN (SELECT session_id FROM merge_new)';
  return `INSERT INTO main.${table.name} (${cols}) SELECT ${values} FROM ${SRC}.${table.name} ${where}`;
}

/** A crosstalk store at this schema version (or one it migrates), with every table it has; returns its version. */
async function checkInput(store: Store, file: string): Promise<number> {
  const tables = await store.query<{ table_name: string }>(`SELECT table_name FROM duckdb_tables() WHERE database_name = '${SRC}' AND schema_name = 'main'`);
  const names = new Set(tables.map((t) => t.table_name));
  if (!names.has('schema_info')) {
    throw new InputError(`not a crosstalk store (it has ${names.size ? `tables ${[...names].join(', ')}` : 'no tables'} but no schema_info)`, {
      file,
      hint: 'Merge only stores written by `crosstalk run` (or `score`, `import`).',
    });
  }
  const [info] = await store.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${SRC}.schema_info`);
  const version = info?.version ?? null;
  if (version === null || !Number.isInteger(version) || version < OLDEST_MIGRATABLE_VERSION || version > SCHEMA_VERSION) {
    throw new InputError(
      `store schema version ${info?.version ?? 'missing'}, but this crosstalk writes version ${SCHEMA_VERSION} (and merges versions ${OLDEST_MIGRATABLE_VERSION} to ${SCHEMA_VERSION})`,
      {
        file,
        hint:
          (info?.version ?? 0) > SCHEMA_VERSION
            ? 'Merge with the newer crosstalk that wrote this store.'
            : 'Re-score its recordings into a new store (`crosstalk score`), then merge that.',
      },
    );
  }
  const missing = TABLES.filter((t) => !names.has(t.name)).map((t) => t.name);
  if (missing.length > 0) throw new InputError(`damaged store: tables ${missing.join(', ')} are missing`, { file, hint: 'Re-run the shard that wrote it.' });
  const columns = await store.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = '${SRC}' AND schema_name = 'main'`,
  );
  const lacking = TABLES.flatMap((t) => {
    const added = columnsAddedSince(version, t.name);
    return t.columns
      .filter((c) => !added.has(c.name) && !columns.some((k) => k.table_name === t.name && k.column_name === c.name))
      .map((c) => `${t.name}.${c.name}`);
  });
  if (lacking.length > 0)
    throw new InputError(`damaged store: columns ${lacking.join(', ')} are missing for schema version ${version}`, {
      file,
      hint: 'Re-run the shard that wrote it.',
    });
  return version;
}

/** Refuse a second run of a shard that the merged store already has from another run. */
async function checkShards(store: Store, file: string): Promise<void> {
  const clash = await store.query<{ shard: string; suite: string; adapter: string; mine: string; theirs: string }>(
    `SELECT (s.config->>'shard') AS shard, s.suite, s.adapter, s.run_id AS theirs, m.run_id AS mine
       FROM ${SRC}.runs s JOIN main.runs m
         ON (s.config->>'shard') = (m.config->>'shard') AND s.suite = m.suite AND s.adapter = m.adapter
         AND coalesce(s.label, '') = coalesce(m.label, '') AND s.run_id <> m.run_id
      LIMIT 1`,
  );
  if (clash.length === 0) return;
  const c = clash[0];
  throw new InputError(
    `shard ${c.shard} of suite ${c.suite} against ${c.adapter} is already in the merged store from run ${c.mine}; this store has it from run ${c.theirs}`,
    { file, hint: 'Each shard must come from one run: leave out the store of the shard run that should not count.' },
  );
}

function sqlText(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}
