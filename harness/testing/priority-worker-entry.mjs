// A request thread for harness/priority.test.ts: reports its nice value ({}), or asks for one ({ ask }) and reports what it got.
import { getPriority } from 'node:os';
import { register } from 'tsx/esm/api';

register();
const { serveRequests } = await import('../request-thread.ts');
const { setThreadNice } = await import('../priority.ts');
serveRequests((q) => (q.ask === undefined ? { nice: getPriority() } : { before: getPriority(), ...setThreadNice(q.ask) }));
