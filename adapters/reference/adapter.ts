/**
 * The bundled reference agent as a system under test, two ways:
 * - `in-process`: the agent core stepped directly on the runner's frames; virtual time,
 *   deterministic, no sockets (the fast path for the core suite);
 * - `ws`: the same agent behind its real WebSocket server, reached through the generic
 *   crosstalk-ws client, so the whole network path is exercised. Without a `url`, a server is
 *   started on a free loopback port at the first open and closed by `dispose`.
 */
import { AdapterError, type Adapter, type AdapterCapabilities, type AdapterSession, type SessionContext } from '../../harness/adapter.ts';
import { InputError } from '../../harness/errors.ts';
import { onceAsync } from '../../harness/once.ts';
import { ReferenceAgent, type AgentEvent } from '../../reference-impl/agent.ts';
import { FrameChunker, SAMPLE_RATE } from '../../reference-impl/frames.ts';
import { defaultKeywordSpotter } from '../../reference-impl/perception/keywords/templates.ts';
import { bundledOnsetClassifier } from '../../reference-impl/perception/keywords/onset-model.ts';
import { warmSharedTtsThread } from '../../reference-impl/speech/tts-thread.ts';
import { sharedRecognizer, type Recognizer } from '../../reference-impl/perception/lexical/recognizer.ts';
import { DEVICES, loadSileroModel, SileroBatcher, type Device } from '../../reference-impl/perception/silero.ts';
import type { PolicyConfig } from '../../reference-impl/policy.ts';
import { startReferenceServer, type ReferenceServer } from '../../reference-impl/server.ts';
import { defaultVoiceBank, type VoiceBank } from '../../reference-impl/voice-bank.ts';
import { createWsAdapter } from '../ws/adapter.ts';

export interface ReferenceAdapterOptions {
  mode: 'in-process' | 'ws';
  /** ws mode: an already running reference server; default: start one. */
  url?: string;
  /** Default: the bank rendered with the default voice. */
  bank?: VoiceBank;
  /** Where the neural parts run (default cpu). ws mode: for the server it starts. */
  device?: Device;
  /** The turn policy (default DEFAULT_POLICY). ws mode: for the server it starts. */
  policy?: PolicyConfig;
}

export function createReferenceAdapter(opts: ReferenceAdapterOptions): Adapter {
  const device = opts.device ?? 'cpu';
  if (!DEVICES.includes(device)) throw new AdapterError(`reference adapter: device "${String(device)}" is not one of ${DEVICES.join(', ')}`, 'config');
  return opts.mode === 'in-process' ? inProcess(opts.bank, device, opts.policy) : overWebSocket({ ...opts, device });
}

/** A part that cannot start here (InputError: no GPU, a Debian package missing) is bad configuration. */
const asConfigError = (e: unknown) => (e instanceof InputError ? new AdapterError(e.message, 'config') : e);

/** The model on `device`. */
async function batcherOn(device: Device): Promise<SileroBatcher> {
  try {
    return new SileroBatcher(await loadSileroModel(device));
  } catch (e) {
    throw asConfigError(e);
  }
}

/** The process's recognizer when the policy listens to words. */
function recognizerFor(policy: PolicyConfig | undefined): Recognizer | undefined {
  try {
    return policy?.lexical ? sharedRecognizer() : undefined;
  } catch (e) {
    throw asConfigError(e);
  }
}

const capabilities = (virtualTime: boolean): AdapterCapabilities => ({
  inputSampleRate: SAMPLE_RATE,
  video: true,
  transcripts: true,
  serverTurnDetection: true,
  virtualTime,
  truncation: false,
});

function inProcess(bank: VoiceBank | undefined, device: Device, policy: PolicyConfig | undefined): Adapter {
  // One batcher for every session of this adapter: concurrent sessions share its batches.
  const silero = onceAsync(() => batcherOn(device));
  const recognizer = recognizerFor(policy);
  return {
    name: 'reference',
    capabilities: capabilities(true),
    async open(ctx: SessionContext): Promise<AdapterSession> {
      const agent = new ReferenceAgent({
        bank: bank ?? (await defaultVoiceBank()),
        silero: await silero(),
        spotter: await defaultKeywordSpotter(),
        onset: await bundledOnsetClassifier(),
        recognizer,
        policy,
      });
      await warmSharedTtsThread();
      const chunker = new FrameChunker();
      // Frames are stepped strictly in order, whatever the caller awaits.
      let done: Promise<void> = Promise.resolve();
      const stepAll = async (frames: Int16Array[]) => {
        for (const frame of frames) {
          const { out, events } = await agent.step(frame);
          for (const e of events) ctx.emit(toAdapterEvent(e));
          // A copy: the bank's audio must never be handed out to be mutated.
          if (out) ctx.emit({ type: 'audio', pcm: out.slice(), sampleRate: SAMPLE_RATE });
        }
      };
      return {
        sendAudio(pcm: Int16Array) {
          const frames = chunker.push(pcm);
          done = done.then(() => stepAll(frames));
          return done;
        },
        // In line with the audio, as over the wire: the frame takes effect at the next step.
        sendVideoFrame(jpeg: Uint8Array) {
          done = done.then(() => {
            const problem = agent.see(jpeg);
            if (problem !== null)
              ctx.emit({ type: 'error', message: `reference agent: video frame skipped: ${problem}`, recoverable: true, code: 'bad_video_frame' });
          });
          return done;
        },
        close: () => done.finally(() => agent.close()),
      };
    },
  };
}

function toAdapterEvent(e: AgentEvent) {
  switch (e.type) {
    case 'interrupted':
      return { type: 'interrupted', reason: 'agent.interrupted' } as const;
    case 'transcript':
      return { type: 'transcript', role: 'agent', text: e.text, final: e.final } as const;
    case 'decision':
      return { type: 'vendor', name: 'agent.decision', payload: e.decision } as const;
  }
}

function overWebSocket(opts: ReferenceAdapterOptions): Adapter {
  let server: Promise<ReferenceServer> | undefined;
  let client: Adapter | undefined;
  const clientFor = async (): Promise<Adapter> => {
    if (client) return client;
    let url = opts.url;
    if (!url) {
      server ??= startReferenceServer({ bank: opts.bank, device: opts.device, policy: opts.policy }).catch((e) => {
        server = undefined;
        throw e;
      });
      url = (await server).url;
    }
    client ??= createWsAdapter({ url, sampleRate: SAMPLE_RATE, name: 'reference' });
    return client;
  };
  return {
    name: 'reference',
    capabilities: capabilities(false),
    open: async (ctx) => (await clientFor()).open(ctx),
    async dispose() {
      const s = server;
      server = undefined;
      client = undefined;
      if (s) await (await s).close();
    },
  };
}
