/**
 * The optional endpoints of `run`, against real HTTP servers on loopback speaking the wire
 * formats the clients use: OpenAI-compatible /v1/audio/transcriptions (multipart, verbose_json,
 * word timestamps) and /v1/chat/completions. Each runs through the real runner, hook, scoring
 * thread and store. Known answers: words transcribed from the played channel pass a content check
 * the adapter gave no transcript for; a judge's YES passes a free-form check and is stored with
 * its model and prompt hash; without a judge such a check is N/A; an endpoint that fails makes
 * the session errored, not failed; the keys reach no recording, store row or message.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSuite, type RunOptions } from '../harness/runner/run.ts';
import { parseScenario } from '../harness/scenario/load.ts';
import { Store } from '../harness/store/store.ts';
import { toneMediaSource } from '../harness/runner/testing/tone-media.ts';
import { EVENTS_FILE } from '../harness/recording/writer.ts';
import { createScriptedAdapter, type ScriptedBehaviour } from '../adapters/scripted/adapter.ts';
import { afterSessionHook } from './after-session.ts';

const TRANSCRIBE_KEY = 'sk-transcribe-SENTINEL-4711';
const JUDGE_KEY = 'sk-judge-SENTINEL-0815';

interface Seen {
  url?: string;
  auth?: string;
  body: Buffer;
}

/** A loopback server answering every POST with `reply(body)`; it keeps what it was sent. */
async function fakeServer(reply: (body: string) => { status: number; json: unknown }): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    seen.push({ url: req.url, auth: req.headers.authorization, body });
    const { status, json } = reply(body.toString('latin1'));
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(json));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

// Tone media: the request's 9 words end at 300 + 9 * 250 + 8 * 100 = 3350 ms; the announcement
// is due 10 s later and the scripted agent speaks it 200 ms after that, for 1500 ms.
const ANNOUNCEMENT_MS = 13_550;
const scenarioYaml = (says: string) => `
version: 1
id: kat-endpoints
family: time_awareness
tail_ms: 2000
timeline:
  - id: ask
    at_ms: 300
    speak: { text: "remind me in ten seconds to check the oven" }
    expect: [ { speak_at: { after_ms: 10000, within_ms: 1000, says: ${says} } } ]
`;

let tmp: string;
let runs = 0;
const servers: Server[] = [];
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'crosstalk-endpoints-'));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  rmSync(tmp, { recursive: true, force: true });
});

async function run(says: string, behaviour: Partial<ScriptedBehaviour>, afterSession: RunOptions['afterSession']) {
  const dir = join(tmp, `run-${runs++}`);
  const store = await Store.open(':memory:');
  try {
    const result = await runSuite({
      scenarios: [parseScenario(scenarioYaml(says), join(dir, 'kat.yaml'), 'kat')],
      adapter: createScriptedAdapter({ answerMs: 1500, timeDueDelayMs: 200, ...behaviour }),
      media: toneMediaSource(),
      clock: 'virtual',
      recordingsDir: dir,
      store,
      suite: 'kat',
      afterSession,
    });
    const session = result.sessions[0];
    const rows = await store.query<{ name: string; value: number | null; reason: string | null; note: string | null }>(
      'SELECT name, value, reason, note FROM metrics',
    );
    const stored =
      JSON.stringify(await store.query('SELECT * FROM metrics')) +
      JSON.stringify(await store.query('SELECT payload FROM events')) +
      JSON.stringify(await store.query('SELECT * FROM sessions'));
    const events = readFileSync(join(session.outcome.dir, EVENTS_FILE), 'utf8');
    return { session, row: (name: string) => rows.find((r) => r.name === name), stored, events };
  } finally {
    await store.close();
  }
}

describe('--transcribe-url: the words of the played agent channel', () => {
  it('an agent without transcripts passes its content check on the words heard in its played audio', async () => {
    const words = [
      { word: 'Check', start: 13.7, end: 13.9 },
      { word: 'the', start: 13.95, end: 14.0 },
      { word: 'oven,', start: 14.05, end: 14.4 },
      { word: 'ten', start: 14.5, end: 14.7 },
      { word: 'seconds.', start: 14.75, end: 15.0 },
    ];
    const asr = await fakeServer(() => ({ status: 200, json: { text: 'Check the oven, ten seconds.', words } }));
    servers.push(asr.server);
    const hook = afterSessionHook({ 'transcribe-url': asr.url, 'transcribe-model': 'tiny' }, { CROSSTALK_TRANSCRIBE_API_KEY: TRANSCRIBE_KEY });
    const { session, row, stored, events } = await run('{ keywords: [oven], numbers: [10] }', { content: 'none' }, hook);

    expect(session.status).toBe('passed');
    expect(row('time_awareness.content_ok')).toMatchObject({ value: 1, note: 'heard "Check the oven, ten seconds."' });
    expect(row('time_awareness.verdict')?.value).toBe(1);
    // What the server got: the agent channel alone, as a mono 16 kHz WAV, asking for word timestamps.
    const req = asr.seen[0];
    expect(req.url).toBe('/v1/audio/transcriptions');
    expect(req.auth).toBe(`Bearer ${TRANSCRIBE_KEY}`);
    const body = req.body.toString('latin1');
    expect(body).toContain('name="timestamp_granularities[]"\r\n\r\nword');
    expect(body).toContain('name="model"\r\n\r\ntiny');
    const riff = req.body.indexOf('RIFF');
    expect(req.body.readUInt16LE(riff + 22)).toBe(1); // channels
    expect(req.body.readUInt32LE(riff + 24)).toBe(16_000);
    // One transcript event per word, on the played channel's clock, marked as the endpoint's.
    expect(events).toContain(JSON.stringify({ type: 'transcript', t: 14_050, endMs: 14_400, role: 'agent', text: 'oven,', final: true, source: 'endpoint' }));
    expect(events + stored).not.toContain(TRANSCRIBE_KEY);
  });

  it('a failing endpoint makes the session errored (infrastructure), never failed, and the key stays out of the message', async () => {
    const asr = await fakeServer(() => ({ status: 503, json: { error: 'overloaded' } }));
    servers.push(asr.server);
    const hook = afterSessionHook({ 'transcribe-url': asr.url, 'transcribe-model': 'tiny' }, { CROSSTALK_TRANSCRIBE_API_KEY: TRANSCRIBE_KEY });
    const { session, stored } = await run('{ keywords: [oven] }', { content: 'none' }, hook);
    expect(session.status).toBe('errored');
    expect(session.outcome.error).toMatch(/^after the session: transcriber at http:\/\/127\.0\.0\.1:\d+ answered 503/);
    expect(session.outcome.error + stored).not.toContain(TRANSCRIBE_KEY);
  });
});

describe('--judge-url: free-form content checks', () => {
  const JUDGED = '{ keywords: [oven], judge: "the reminder is about the oven" }';

  it("the judge's YES passes, stored with its model and the prompt's sha256", async () => {
    const judge = await fakeServer(() => ({ status: 200, json: { choices: [{ message: { role: 'assistant', content: 'YES' } }] } }));
    servers.push(judge.server);
    const hook = afterSessionHook(
      { 'transcribe-model': 'whisper-1', 'judge-url': judge.url, 'judge-model': 'judge-mini' },
      { CROSSTALK_JUDGE_API_KEY: JUDGE_KEY },
    );
    const { session, row, stored, events } = await run(JUDGED, { content: 'right' }, hook);

    expect(session.status).toBe('passed');
    expect(judge.seen).toHaveLength(1);
    const sent = JSON.parse(judge.seen[0].body.toString('utf8')) as { model: string; messages: { content: string }[]; temperature: number };
    expect(judge.seen[0].url).toBe('/v1/chat/completions');
    expect(judge.seen[0].auth).toBe(`Bearer ${JUDGE_KEY}`);
    expect(sent).toMatchObject({ model: 'judge-mini', temperature: 0 });
    expect(sent.messages[1].content).toContain('Criterion: the reminder is about the oven');
    expect(sent.messages[1].content).toContain('"""\noven.\n"""');
    const judged = events
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; t: number; promptSha256?: string })
      .find((e) => e.type === 'judge')!;
    expect(judged).toMatchObject({ type: 'judge', t: ANNOUNCEMENT_MS, subject: 'ask/speak_at', model: 'judge-mini', pass: true, reply: 'YES' });
    expect(row('time_awareness.content_ok')).toMatchObject({ value: 1 });
    expect(row('time_awareness.content_ok')?.note).toContain(`judge judge-mini (prompt sha256 ${judged.promptSha256}) said yes to "oven."`);
    expect(events + stored).not.toContain(JUDGE_KEY);
  });

  it("the judge's NO fails with wrong_content", async () => {
    const judge = await fakeServer(() => ({ status: 200, json: { choices: [{ message: { content: 'NO' } }] } }));
    servers.push(judge.server);
    const hook = afterSessionHook({ 'transcribe-model': 'whisper-1', 'judge-url': judge.url, 'judge-model': 'judge-mini' }, {});
    const { session, row } = await run(JUDGED, { content: 'right' }, hook);
    expect(session.status).toBe('failed');
    expect(row('time_awareness.verdict')).toMatchObject({ value: 0, reason: 'wrong_content' });
  });

  it('without a judge the check is N/A (judge_unavailable) and the verdict 0', async () => {
    const { session, row } = await run(JUDGED, { content: 'right' }, undefined);
    expect(session.status).toBe('failed');
    expect(row('time_awareness.content_ok')).toMatchObject({ value: null, reason: 'judge_unavailable' });
    expect(row('time_awareness.verdict')).toMatchObject({ value: 0, reason: 'judge_unavailable' });
  });

  it('a judge URL without a model is bad input', () => {
    expect(() => afterSessionHook({ 'transcribe-model': 'whisper-1', 'judge-url': 'http://127.0.0.1:1' })).toThrow(/--judge-url needs --judge-model/);
  });
});
