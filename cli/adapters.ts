/**
 * The adapter registry: the one place that knows every adapter by name. The CLI builds the
 * adapter a run asks for from its flags and options.
 */
import type { Adapter } from '../harness/adapter.ts';
import { InputError } from '../harness/errors.ts';
import { createScriptedAdapter, type ScriptedBehaviour } from '../adapters/scripted/adapter.ts';
import { ADVERSARIES, createAdversaryAdapter } from '../adapters/adversary/adapter.ts';
import { createReferenceAdapter } from '../adapters/reference/adapter.ts';
import { BARGE_IN_HELP, BARGE_IN_POLICIES, BARGE_INS, DEFAULT_BARGE_IN, type BargeIn } from '../reference-impl/policy.ts';
import { createWsAdapter } from '../adapters/ws/adapter.ts';
import { createOpenAIRealtimeAdapter } from '../adapters/openai-realtime/adapter.ts';
import { readOpenAIOptions } from '../adapters/openai-realtime/options.ts';
import { createGeminiLiveAdapter } from '../adapters/gemini-live/adapter.ts';
import { readGeminiOptions } from '../adapters/gemini-live/options.ts';
import { createMoshiAdapter } from '../adapters/moshi/adapter.ts';
import { createChaosAdapter } from '../adapters/chaos/adapter.ts';
import { createBrowserAdapter } from '../adapters/browser/adapter.ts';
import { readChaosPlan } from '../adapters/chaos/plan.ts';

export interface AdapterRequest {
  url?: string;
  /** `--adapter-option key=value` pairs, parsed (numbers and booleans converted). */
  options: Record<string, unknown>;
}

interface Entry {
  description: string;
  create(req: AdapterRequest): Adapter;
}

const ADAPTERS: Record<string, Entry> = {
  reference: {
    description: `The bundled reference duplex agent (in-process, or over crosstalk-ws with --adapter-option transport=ws; device=cpu|gpu; barge_in=${BARGE_INS.join('|')})`,
    create: (req) =>
      createReferenceAdapter({
        mode: req.options.transport === 'ws' ? 'ws' : 'in-process',
        device: req.options.device as 'cpu' | 'gpu' | undefined,
        policy: BARGE_IN_POLICIES[bargeInOption(req.options.barge_in)],
      }),
  },
  ws: {
    description: 'Any server speaking crosstalk-ws v1 (adapters/ws/PROTOCOL.md); needs --url',
    create: (req) => {
      if (!req.url) throw new InputError('the ws adapter needs --url (e.g. --url ws://127.0.0.1:8765)', undefined, undefined, '--url', 'Start a server, e.g. `crosstalk serve reference --port 8765`, and pass its URL.');
      return createWsAdapter({ url: req.url, sampleRate: typeof req.options.sampleRate === 'number' ? req.options.sampleRate : undefined });
    },
  },
  'openai-realtime': {
    description: 'OpenAI Realtime API (GA WebSocket); key from OPENAI_API_KEY; options: model, turnDetection=server_vad|semantic_vad|none, voice, ...',
    create: (req) => {
      const options = withUrl(req);
      readOpenAIOptions(options); // a missing key or bad option fails here, before any session
      return createOpenAIRealtimeAdapter(options);
    },
  },
  'gemini-live': {
    description: 'Gemini Live API (BidiGenerateContent WebSocket); key from GEMINI_API_KEY; options: model, ...',
    create: (req) => {
      const options = withUrl(req);
      readGeminiOptions(options);
      return createGeminiLiveAdapter(options);
    },
  },
  moshi: {
    description: "Kyutai Moshi server (/api/chat, Ogg/Opus 24 kHz); --url ws://host:8998/api/chat",
    create: (req) => createMoshiAdapter(withUrl(req)),
  },
  browser: {
    description: 'A web voice agent page in Chromium (Debian chromium, or chromiumPath / $CROSSTALK_CHROMIUM); needs --url; options: startSelector, readySelector, permission=grant|deny, openTimeoutMs, pageErrors=fatal|record, micLeadMs, chromiumArgs',
    create: (req) => createBrowserAdapter(withUrl(req)),
  },
  scripted: {
    description: 'A test agent with exact planted behaviour (answerDelayMs, stopDelayMs, ...): for known-answer checks',
    create: (req) => createScriptedAdapter(req.options as Partial<ScriptedBehaviour>),
  },
  adversary: {
    description: `A content-free or rule-breaking agent the scorer must fail (--adapter-option kind=${ADVERSARIES.join('|')}): for checking that a metric cannot be gamed`,
    create: (req) => createAdversaryAdapter(String(req.options.kind ?? '')),
  },
};

/** `--url` is the adapters' `url` option. */
function withUrl(req: AdapterRequest): Record<string, unknown> {
  return req.url ? { ...req.options, url: req.url } : req.options;
}

export function adapterNames(): string[] {
  return Object.keys(ADAPTERS);
}

export function describeAdapters(): { name: string; description: string }[] {
  return Object.entries(ADAPTERS).map(([name, e]) => ({ name, description: e.description }));
}

export function createAdapter(name: string, req: AdapterRequest): Adapter {
  // `chaos:<adapter>`: any adapter with faults injected (adapters/chaos).
  if (name.startsWith('chaos:')) {
    const { chaos, ...rest } = req.options;
    if (chaos === undefined) throw new InputError('chaos:<adapter> needs --adapter-option chaos=<plan>', undefined, undefined, '--adapter-option', 'e.g. chaos="stall@2000+1500; close@6000=1011" or chaos=plan.yaml');
    return createChaosAdapter(createAdapter(name.slice('chaos:'.length), { ...req, options: rest }), readChaosPlan(chaos));
  }
  const entry = ADAPTERS[name];
  if (!entry) throw new InputError(`unknown adapter "${name}"`, undefined, undefined, '--adapter', `Use one of: ${adapterNames().join(', ')}.`);
  return entry.create(req);
}

/** Parse `key=value` pairs; values that look like numbers, booleans or JSON become those. */
export function parseAdapterOptions(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new InputError(`adapter option "${pair}" is not key=value`, undefined, undefined, '--adapter-option', 'Write options as key=value, e.g. --adapter-option answerDelayMs=430.');
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // Not JSON: keep the string.
    }
    out[key] = value;
  }
  return out;
}

/** The reference agent's barge_in option (default DEFAULT_BARGE_IN). */
function bargeInOption(value: unknown): BargeIn {
  if (value === undefined) return DEFAULT_BARGE_IN;
  if (BARGE_INS.includes(value as BargeIn)) return value as BargeIn;
  throw new InputError(`--adapter-option barge_in=${String(value)} is not one of ${BARGE_INS.join(', ')}`, undefined, undefined, '--adapter-option', `${BARGE_IN_HELP}.`);
}
