/**
 * The planted agent: an independent crosstalk-ws server (adapters/ws/PROTOCOL.md) whose answer
 * onsets are known to the sample, for checking that the harness measures an agent's timing
 * truly (`npm run bench -- onset`). It runs in its own process (startPlantedAgentProcess), so
 * nothing it does shares the harness's event loop or clock.
 *
 * Its audio is clocked to the user's stream, as the reference server's is: every 20 ms user
 * frame received advances it one 20 ms step, and the agent audio of that step (if any) is sent
 * at once. It listens with a plain energy gate: once it has heard at least MIN_SPEECH_MS of
 * speech and then HANGOVER_MS of quiet, the user's turn ended at the last loud frame, and it
 * plants its answer `answerAfterMs` after that: at user sample K, the first frame boundary at
 * or after it. The answer is the vowel voice (harness/audio/vowel-voice.ts: speech to the
 * scorer, no sample of it below -38 dBFS, so its audible extent is exactly the samples sent),
 * sent from the step that ends at sample K, so a client with no delay at all would hear it begin
 * at K / 16 ms on the session's timeline. Before the first answer frame the server says so:
 * `{"type":"planted.onset","sample":K,"ms":K/16,"sentEpochMs":T}` (a vendor event in the
 * recording), T being when it sent that frame on the machine's clock (performance.timeOrigin +
 * performance.now(), comparable across processes). Measured onset minus planted onset is then
 * the delay the path to the ear added: loopback, playout, any lateness of the harness's own,
 * and any of the agent's (a starved agent process reads the user frame late); T and the
 * harness's send time of the frame ending at K tell the agent's part apart (onset.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { WebSocketServer, type WebSocket } from 'ws';
import { vowelVoice } from '../harness/audio/vowel-voice.ts';
import { raiseLiveLoop } from '../harness/priority.ts';

export const PLANTED_SAMPLE_RATE = 16_000;
export const PLANTED_FRAME = 320;
const SAMPLES_PER_MS = PLANTED_SAMPLE_RATE / 1000;
/** Frame RMS above this is speech to the gate (room tone in the suites is -55 to -65 dBFS; speech -30 to -15). */
const GATE_DBFS = -42;
const MIN_SPEECH_MS = 200;
const HANGOVER_MS = 300;

interface PlantedAgentOptions {
  /** Answer this long after the end of the user's turn (its last loud frame), rounded up to a frame; > HANGOVER_MS. Default 500. */
  answerAfterMs?: number;
  /** Length of each answer, ms. Default 1500. */
  answerMs?: number;
}

interface PlantedOnset {
  /** User sample (from the session's start) at which the answer begins. */
  sample: number;
  ms: number;
}

/** One session's agent: push user frames, get the agent frame of each step and any onset it plants. */
export class PlantedAgent {
  private readonly answerAfter: number;
  private readonly answer: Int16Array;
  /** User samples received (whole frames). */
  private received = 0;
  private pending = new Int16Array(0);
  private loudFrames = 0;
  private lastLoudEnd = 0;
  private plantedAtSample: number | undefined;
  private answerPos = -1;

  constructor(opts: PlantedAgentOptions = {}) {
    const afterMs = opts.answerAfterMs ?? 500;
    if (afterMs <= HANGOVER_MS) throw new Error(`answerAfterMs must be over ${HANGOVER_MS} ms (the turn end is known only after the hangover)`);
    this.answerAfter = afterMs * SAMPLES_PER_MS;
    this.answer = vowelVoice(opts.answerMs ?? 1_500, PLANTED_SAMPLE_RATE);
  }

  /** Any number of user samples in; for each whole frame, the agent's frame of that step (null: silent) and the onset planted in it. */
  push(pcm: Int16Array): { out: Int16Array | null; planted?: PlantedOnset }[] {
    const all = new Int16Array(this.pending.length + pcm.length);
    all.set(this.pending);
    all.set(pcm, this.pending.length);
    const steps = [];
    let at = 0;
    for (; at + PLANTED_FRAME <= all.length; at += PLANTED_FRAME) steps.push(this.step(all.subarray(at, at + PLANTED_FRAME)));
    this.pending = all.slice(at);
    return steps;
  }

  private step(frame: Int16Array): { out: Int16Array | null; planted?: PlantedOnset } {
    this.received += PLANTED_FRAME;
    let planted: PlantedOnset | undefined;
    if (this.answerPos < 0) {
      if (rmsDbfs(frame) > GATE_DBFS) {
        this.loudFrames++;
        this.lastLoudEnd = this.received;
      } else if (
        this.plantedAtSample === undefined &&
        this.loudFrames * PLANTED_FRAME >= MIN_SPEECH_MS * SAMPLES_PER_MS &&
        this.received - this.lastLoudEnd >= HANGOVER_MS * SAMPLES_PER_MS
      ) {
        this.plantedAtSample = Math.ceil((this.lastLoudEnd + this.answerAfter) / PLANTED_FRAME) * PLANTED_FRAME;
      }
      // The step that ends at sample K carries the answer's first frame, heard from K on.
      if (this.plantedAtSample !== undefined && this.received >= this.plantedAtSample) {
        planted = { sample: this.plantedAtSample, ms: this.plantedAtSample / SAMPLES_PER_MS };
        this.answerPos = 0;
      }
    }
    if (this.answerPos < 0) return { out: null };
    const out = this.answer.slice(this.answerPos, this.answerPos + PLANTED_FRAME);
    this.answerPos += PLANTED_FRAME;
    if (this.answerPos >= this.answer.length) {
      this.answerPos = -1;
      this.plantedAtSample = undefined;
      this.loudFrames = 0;
    }
    return { out, planted };
  }
}

function rmsDbfs(frame: Int16Array): number {
  let sum = 0;
  for (const x of frame) sum += x * x;
  return 10 * Math.log10(sum / frame.length / (32768 * 32768) + 1e-12);
}

/** The crosstalk-ws server around PlantedAgent (one agent per connection). */
function startPlantedAgentServer(opts: PlantedAgentOptions & { port?: number } = {}): Promise<{ port: number; close: () => Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: opts.port ?? 0, maxPayload: 1 << 20 });
  wss.on('connection', (ws: WebSocket) => {
    let agent: PlantedAgent | undefined;
    const sendJson = (m: object) => ws.send(JSON.stringify(m));
    ws.on('message', (data, isBinary) => {
      const bytes = data as Buffer;
      if (isBinary) {
        if (!agent || bytes.length % 2 !== 0) {
          sendJson({
            type: 'error',
            fatal: true,
            code: agent ? 'bad_message' : 'not_started',
            message: agent ? 'odd-length audio' : 'audio before session.start',
          });
          ws.close(1008);
          return;
        }
        const pcm = new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
        for (const s of agent.push(pcm)) {
          if (s.planted) sendJson({ type: 'planted.onset', ...s.planted, sentEpochMs: performance.timeOrigin + performance.now() });
          if (s.out) ws.send(Buffer.from(s.out.buffer, s.out.byteOffset, s.out.byteLength));
        }
        return;
      }
      let m: { type?: unknown; sampleRate?: unknown; encoding?: unknown };
      try {
        m = JSON.parse(bytes.toString('utf8')) as typeof m;
      } catch {
        sendJson({ type: 'error', fatal: true, code: 'bad_message', message: 'not JSON' });
        ws.close(1008);
        return;
      }
      if (m.type === 'session.start') {
        if (m.sampleRate !== PLANTED_SAMPLE_RATE || m.encoding !== 'pcm_s16le') {
          sendJson({ type: 'error', fatal: true, code: 'unsupported_format', message: `pcm_s16le at ${PLANTED_SAMPLE_RATE} Hz only` });
          ws.close(1003);
          return;
        }
        agent = new PlantedAgent(opts);
        sendJson({ type: 'session.ready' });
      } else if (m.type === 'session.end') ws.close(1000);
      else sendJson({ type: 'error', fatal: false, code: 'unknown_type', message: `unknown type ${String(m.type)}` });
    });
  });
  return new Promise((resolve, reject) => {
    wss.once('error', reject);
    wss.once('listening', () => {
      const address = wss.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : 0,
        close: () =>
          new Promise<void>((done) => {
            for (const c of wss.clients) c.terminate();
            wss.close(() => done());
          }),
      });
    });
  });
}

/** The planted agent in a process of its own; resolves with its URL once it listens. */
export function startPlantedAgentProcess(
  opts: PlantedAgentOptions = {},
): Promise<{ url: string; process: ChildProcess; nice: number; close: () => Promise<void> }> {
  const child = fork(new URL('./planted-agent-entry.mjs', import.meta.url), [JSON.stringify(opts)], {
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the planted agent process exited (code ${code}) before listening`)));
    child.once('message', (m: { port: number; nice: number }) =>
      resolve({
        url: `ws://127.0.0.1:${m.port}`,
        process: child,
        nice: m.nice,
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      }),
    );
  });
}

/** The child's side (planted-agent-entry.mjs): serve until told to stop or the parent goes. */
export async function servePlantedAgentProcess(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? '{}') as PlantedAgentOptions;
  // It stands in for a system on a machine of its own: it asks for the priority the harness's
  // live loop asks for, so a CPU-bound neighbour delays neither (the bench prints both values,
  // and the agent's part of each difference apart from the harness's).
  const { nice } = raiseLiveLoop();
  const server = await startPlantedAgentServer(opts);
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => void server.close().finally(() => process.exit(0)));
  process.send?.({ port: server.port, nice });
}
