/**
 * For tests: every stored row of a store, with what differs between two runs of the same
 * sessions taken out (run and session ids, start times, recording paths), keyed by scenario
 * and repeat and sorted, so two runs compare with toEqual.
 */
import type { Store } from '../store/store.ts';

type Row = Record<string, unknown>;

export async function storedRows(store: Store): Promise<{ sessions: Row[]; events: Row[]; segments: Row[]; metrics: Row[] }> {
  const sessions = await store.query('SELECT * FROM sessions');
  const keyOf = new Map(sessions.map((s) => [s.session_id as string, `${String(s.scenario_key)}#${String(s.repeat)}`]));
  const clean = (rows: Row[]) =>
    rows
      .map((r) => {
        const out: Row = {};
        for (const [k, v] of Object.entries(r)) {
          if (k === 'run_id' || k === 'started_at' || k === 'recording_path') continue;
          out[k] = k === 'session_id' ? keyOf.get(v as string) : v;
        }
        return out;
      })
      .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  return {
    sessions: clean(sessions),
    events: clean(await store.query('SELECT * FROM events')),
    segments: clean(await store.query('SELECT * FROM segments')),
    metrics: clean(await store.query('SELECT * FROM metrics')),
  };
}
