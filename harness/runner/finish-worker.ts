/** The finishing thread's side (finish.ts): read, score and make rows for one finished session. */
import { serveRequests } from '../request-thread.ts';
import { finishRecording, type FinishRequest } from './finish.ts';

serveRequests((req: FinishRequest) => finishRecording(req));
