/**
 * One DuckDB instance per database file in this process, shared by every Store open on it:
 * two instances of one process must not attach the same file (neither sees the other's writes;
 * the file can be corrupted). Counted, so that the last close releases the file's lock and
 * another process can open it. `:memory:` is never shared: each open is a database of its own.
 */
import { resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const shared = new Map<string, { instance: Promise<DuckDBInstance>; users: number }>();

export interface InstanceLease {
  instance: DuckDBInstance;
  release(): void;
}

export async function leaseInstance(path: string): Promise<InstanceLease> {
  if (path === ':memory:') {
    const instance = await DuckDBInstance.create(path);
    return { instance, release: () => instance.closeSync() };
  }
  const key = resolve(path);
  let entry = shared.get(key);
  if (!entry) {
    entry = { instance: DuckDBInstance.create(key), users: 0 };
    shared.set(key, entry);
  }
  entry.users++;
  const held = entry;
  let instance: DuckDBInstance;
  try {
    instance = await held.instance;
  } catch (err) {
    if (--held.users === 0 && shared.get(key) === held) shared.delete(key);
    throw err;
  }
  let released = false;
  return {
    instance,
    release: () => {
      if (released) return;
      released = true;
      if (--held.users > 0) return;
      shared.delete(key);
      instance.closeSync();
    },
  };
}
