/**
 * The adapter registry: the one place that knows every adapter by name. The CLI builds the
 * adapter a run asks for from its flags and options. Each adapter's module is imported only
 * when that adapter is asked for, so a command never loads the adapters (nor their packages,
 * such as playwright-core for the browser) that it does not use.
 */
import type { Adapter } from '../harness/adapter.ts';
import { InputError } from '../harness/errors.ts';
import type { ScriptedBehaviour } from '../adapters/scripted/adapter.ts';
import { ADVERSARIES } from '../adapters/adversary/adapter.ts';
import { END_OF_TURN_MODELS, DEFAULT_END_OF_TURN } from '../reference-impl/perception/turn-end.ts';
import {
  BARGE_IN_HELP,
  BARGE_INS,
  DEFAULT_BARGE_IN,
  DEFAULT_LEXICAL,
  END_OF_TURN_HELP,
  LEXICAL_CHOICES,
  LEXICAL_HELP,
  referencePolicy,
} from '../reference-impl/policy.ts';
import { readChaosPlan } from '../adapters/chaos/plan.ts';

export interface AdapterRequest {
  url?: string;
  /** `--adapter-option key=value` pairs, parsed (numbers and booleans converted). */
  options: Record<string, unknown>;
}

interface Entry {
  description: string;
  /** Imports the adapter's module (through `load`) and builds the adapter. */
  create(req: AdapterRequest): Promise<Adapter>;
}

const ADAPTERS: Record<string, Entry> = {
  reference: {
    description: `The bundled reference duplex agent (in-process, or over crosstalk-ws with --adapter-option transport=ws; device=cpu|gpu; barge_in=${BARGE_INS.join('|')}; end_of_turn=${END_OF_TURN_MODELS.join('|')}; lexical=${LEXICAL_CHOICES.join('|')})`,
    create: async (req) => {
      const policy = referencePolicy(
        choiceOption('barge_in', req.options.barge_in, BARGE_INS, DEFAULT_BARGE_IN, BARGE_IN_HELP),
        choiceOption('end_of_turn', req.options.end_of_turn, END_OF_TURN_MODELS, DEFAULT_END_OF_TURN, END_OF_TURN_HELP),
        choiceOption('lexical', req.options.lexical, LEXICAL_CHOICES, DEFAULT_LEXICAL, LEXICAL_HELP),
      );
      const { createReferenceAdapter } = await load('reference', () => import('../adapters/reference/adapter.ts'));
      return createReferenceAdapter({
        mode: req.options.transport === 'ws' ? 'ws' : 'in-process',
        device: req.options.device as 'cpu' | 'gpu' | undefined,
        policy,
      });
    },
  },
  ws: {
    description: 'Any server speaking crosstalk-ws v1 (adapters/ws/PROTOCOL.md); needs --url',
    create: async (req) => {
      if (!req.url)
        throw new InputError('the ws adapter needs --url (e.g. --url ws://127.0.0.1:8765)', {
          field: '--url',
          hint: 'Start a server, e.g. `crosstalk serve reference --port 8765`, and pass its URL.',
        });
      const { createWsAdapter } = await load('ws', () => import('../adapters/ws/adapter.ts'));
      return createWsAdapter({ url: req.url, sampleRate: typeof req.options.sampleRate === 'number' ? req.options.sampleRate : undefined });
    },
  },
  'openai-realtime': {
    description: 'OpenAI Realtime API (GA WebSocket); key from OPENAI_API_KEY; options: model, turnDetection=server_vad|semantic_vad|none, voice, ...',
    create: async (req) => {
      const options = withUrl(req);
      const { readOpenAIOptions } = await load('openai-realtime', () => import('../adapters/openai-realtime/options.ts'));
      readOpenAIOptions(options); // a missing key or bad option fails here, before any session
      const { createOpenAIRealtimeAdapter } = await load('openai-realtime', () => import('../adapters/openai-realtime/adapter.ts'));
      return createOpenAIRealtimeAdapter(options);
    },
  },
  'gemini-live': {
    description: 'Gemini Live API (BidiGenerateContent WebSocket); key from GEMINI_API_KEY; options: model, ...',
    create: async (req) => {
      const options = withUrl(req);
      const { readGeminiOptions } = await load('gemini-live', () => import('../adapters/gemini-live/options.ts'));
      readGeminiOptions(options);
      const { createGeminiLiveAdapter } = await load('gemini-live', () => import('../adapters/gemini-live/adapter.ts'));
      return createGeminiLiveAdapter(options);
    },
  },
  moshi: {
    description: 'Kyutai Moshi server (/api/chat, Ogg/Opus 24 kHz); --url ws://host:8998/api/chat',
    create: async (req) => (await load('moshi', () => import('../adapters/moshi/adapter.ts'))).createMoshiAdapter(withUrl(req)),
  },
  browser: {
    description:
      'A web voice agent page in Chromium (Debian chromium, or chromiumPath / $CROSSTALK_CHROMIUM); needs --url; options: startSelector, readySelector, permission=grant|deny, openTimeoutMs, pageErrors=fatal|record, micLeadMs, chromiumArgs',
    create: async (req) => (await load('browser', () => import('../adapters/browser/adapter.ts'))).createBrowserAdapter(withUrl(req)),
  },
  scripted: {
    description: 'A test agent with exact planted behaviour (answerDelayMs, stopDelayMs, ...): for known-answer checks',
    create: async (req) =>
      (await load('scripted', () => import('../adapters/scripted/adapter.ts'))).createScriptedAdapter(req.options as Partial<ScriptedBehaviour>),
  },
  adversary: {
    description: `A content-free or rule-breaking agent the scorer must fail (--adapter-option kind=${ADVERSARIES.join('|')}): for checking that a metric cannot be gamed`,
    create: async (req) => (await load('adversary', () => import('../adapters/adversary/adapter.ts'))).createAdversaryAdapter(String(req.options.kind ?? '')),
  },
};

/**
 * Import an adapter's module. A package it needs that is not installed (an install without
 * dev dependencies, a partial copy) is bad configuration, named with what to do, not a crash.
 */
async function load<M>(adapter: string, importModule: () => Promise<M>): Promise<M> {
  try {
    return await importModule();
  } catch (e) {
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec((e as Error)?.message ?? '')?.[1];
    if ((e as { code?: string })?.code !== 'ERR_MODULE_NOT_FOUND' || missing === undefined || missing.startsWith('.') || missing.startsWith('/')) throw e;
    throw new InputError(`the ${adapter} adapter needs the npm package ${missing}, which is not installed here`, {
      field: '--adapter',
      hint: `Install it in the crosstalk folder (\`npm install ${missing}\`, or \`npm ci\` for everything in package-lock.json), or use another adapter.`,
    });
  }
}

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

export async function createAdapter(name: string, req: AdapterRequest): Promise<Adapter> {
  // `chaos:<adapter>`: any adapter with faults injected (adapters/chaos).
  if (name.startsWith('chaos:')) {
    const { chaos, ...rest } = req.options;
    if (chaos === undefined)
      throw new InputError('chaos:<adapter> needs --adapter-option chaos=<plan>', {
        field: '--adapter-option',
        hint: 'e.g. chaos="stall@2000+1500; close@6000=1011" or chaos=plan.yaml',
      });
    const inner = await createAdapter(name.slice('chaos:'.length), { ...req, options: rest });
    const plan = readChaosPlan(chaos);
    const { createChaosAdapter } = await load('chaos', () => import('../adapters/chaos/adapter.ts'));
    return createChaosAdapter(inner, plan);
  }
  const entry = ADAPTERS[name];
  if (!entry) throw new InputError(`unknown adapter "${name}"`, { field: '--adapter', hint: `Use one of: ${adapterNames().join(', ')}.` });
  return entry.create(req);
}

/** Parse `key=value` pairs; values that look like numbers, booleans or JSON become those. */
export function parseAdapterOptions(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0)
      throw new InputError(`adapter option "${pair}" is not key=value`, {
        field: '--adapter-option',
        hint: 'Write options as key=value, e.g. --adapter-option answerDelayMs=430.',
      });
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

/** A reference agent option that names one of `choices` (absent: the default). */
function choiceOption<T extends string>(name: string, value: unknown, choices: readonly T[], fallback: T, help: string): T {
  if (value === undefined) return fallback;
  if (choices.includes(value as T)) return value as T;
  throw new InputError(`--adapter-option ${name}=${String(value)} is not one of ${choices.join(', ')}`, {
    field: '--adapter-option',
    hint: `${help}.`,
  });
}
