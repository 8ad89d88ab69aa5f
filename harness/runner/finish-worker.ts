/** The finishing thread's side (finish.ts): read, score and make rows for one finished session. */
import { serveRequests } from '../request-thread.ts';
import { encodeFinished, finishRecording, type FinishReply, type FinishRequest } from './finish.ts';

serveRequests(
  (req: FinishRequest): FinishReply => {
    const finished = finishRecording(req);
    return req.encode ? { encoded: encodeFinished(finished) } : finished;
  },
  // The encoded bytes move to the asking thread instead of being copied.
  (reply) =>
    'encoded' in reply && reply.encoded.byteOffset === 0 && reply.encoded.byteLength === reply.encoded.buffer.byteLength
      ? [reply.encoded.buffer as ArrayBuffer]
      : [],
);
