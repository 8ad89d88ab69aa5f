/**
 * Test helper (run as a child process by store.test.ts): opens the store given as argv[2],
 * starts a run, and appends a session whose 3000th event kills this process with SIGKILL while
 * it is being serialized, i.e. after the session row and the first chunk of events were handed
 * to DuckDB and before the commit. The parent then checks the file holds no part of it.
 */
import { Store } from '../store.ts';
import { sessionRow, eventRows } from './rows.ts';

const store = await Store.open(process.argv[2]);
await store.appendSession(sessionRow('before'), [], [], []);
const events = eventRows('doomed', 5000);
events[3000].payload = {
  toJSON() {
    process.kill(process.pid, 'SIGKILL');
  },
};
await store.appendSession(sessionRow('doomed'), events, [], []);
console.error('unreachable: the process should have been killed');
process.exit(1);
