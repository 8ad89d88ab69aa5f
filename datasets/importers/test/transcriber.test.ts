import { createServer, type IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transcribeWords } from '../transcriber.ts';

/** A loopback fake of an OpenAI-compatible transcription server: it records what it got. */
const seen: { url?: string; auth?: string; body: string }[] = [];
let status = 200;
const server = createServer(async (req: IncomingMessage, res) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  seen.push({ url: req.url, auth: req.headers.authorization, body: Buffer.concat(chunks).toString('latin1') });
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(
    status === 200
      ? JSON.stringify({
          text: 'hello there',
          words: [
            { word: 'hello', start: 0.5, end: 0.9 },
            { word: 'there', start: 1.0, end: 1.4 },
          ],
        })
      : '{"error":"nope"}',
  );
});
const dir = mkdtempSync(join(tmpdir(), 'crosstalk-asr-'));
const wav = join(dir, 'output.wav');
let baseUrl = '';

beforeAll(async () => {
  writeFileSync(wav, Buffer.from('RIFF....WAVEfmt fake'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('transcribeWords (OpenAI-compatible /v1/audio/transcriptions)', () => {
  it('posts the file asking for word timestamps and returns them in seconds', async () => {
    const words = await transcribeWords(wav, { baseUrl, apiKey: 'sk-test-secret', model: 'tiny' });
    expect(words).toEqual([
      { text: 'hello', startS: 0.5, endS: 0.9 },
      { text: 'there', startS: 1.0, endS: 1.4 },
    ]);
    const req = seen[seen.length - 1];
    expect(req.url).toBe('/v1/audio/transcriptions');
    expect(req.auth).toBe('Bearer sk-test-secret');
    expect(req.body).toContain('name="timestamp_granularities[]"\r\n\r\nword');
    expect(req.body).toContain('name="response_format"\r\n\r\nverbose_json');
    expect(req.body).toContain('name="model"\r\n\r\ntiny');
    expect(req.body).toContain('filename="output.wav"');
  });
  it('reports a failing server with its status, never the key', async () => {
    status = 500;
    const err = await transcribeWords(wav, { baseUrl, apiKey: 'sk-test-secret' }).catch((e: Error) => e);
    status = 200;
    expect((err as Error).message).toMatch(/answered 500 for output.wav/);
    expect((err as Error).message).not.toContain('sk-test-secret');
  });
});
