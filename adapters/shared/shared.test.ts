import { describe, expect, it } from 'vitest';
import { AdapterError } from '../../harness/adapter.ts';
import { backoffDelayMs, withRetry } from './backoff.ts';
import { EnergyEndpointer } from './energy-endpointer.ts';
import { base64ToPcm16, pcm16ToBase64, rmsDbfs } from './pcm.ts';
import { REDACTED, Redactor } from '../../harness/redact.ts';
import { concat, noiseFloor, tone } from './testing/signals.ts';

describe('pcm', () => {
  it('round-trips PCM16 through base64 little-endian and refuses bad input', () => {
    const pcm = new Int16Array([0, 1, -1, 32767, -32768]);
    expect([...Buffer.from(pcm16ToBase64(pcm), 'base64')]).toEqual([0, 0, 1, 0, 255, 255, 255, 127, 0, 128]);
    expect([...base64ToPcm16(pcm16ToBase64(pcm))]).toEqual([...pcm]);
    expect(() => base64ToPcm16('AAAA')).toThrow(/even number of bytes/);
    expect(() => base64ToPcm16('not base64!')).toThrow(/not valid base64/);
  });

  it('a sine at -20 dBFS RMS measures -20 dBFS', () => {
    expect(rmsDbfs(tone(1000, 24_000, -20, 500))).toBeCloseTo(-20, 1);
  });
});

describe('EnergyEndpointer', () => {
  it('reports the onset and the offset of a tone in a noise floor (exact edges), the offset after the hangover', () => {
    const vad = new EnergyEndpointer({ sampleRate: 16_000, hangoverMs: 200, minSpeechMs: 60 });
    const pcm = concat(noiseFloor(300, 16_000), tone(400, 16_000), noiseFloor(400, 16_000));
    const seen: Array<{ type: string; atMs: number; streamMs: number }> = [];
    for (let i = 0; i < pcm.length; i += 320) for (const t of vad.push(pcm.subarray(i, i + 320))) seen.push({ ...t, streamMs: vad.streamMs });
    expect(seen).toEqual([
      // The sine's first sample is 0: speech audibly starts one sample (1/16 ms) later.
      { type: 'onset', atMs: 300 + 1 / 16, streamMs: 380 },
      { type: 'offset', atMs: 700, streamMs: 920 },
    ]);
  });
});

describe('Redactor', () => {
  const r = new Redactor(['sk-secret-1234', undefined]);
  it('masks known secrets and credential query parameters, deep in values and events', () => {
    expect(r.text('wss://h/ws?key=AIzaXYZ&alt=1 and sk-secret-1234')).toBe(`wss://h/ws?key=${REDACTED}&alt=1 and ${REDACTED}`);
    expect(r.value({ a: ['x sk-secret-1234'], n: 3 })).toEqual({ a: [`x ${REDACTED}`], n: 3 });
    expect(r.event({ type: 'error', message: 'bad sk-secret-1234', recoverable: false })).toEqual({
      type: 'error',
      message: `bad ${REDACTED}`,
      recoverable: false,
      code: undefined,
    });
  });
});

describe('backoff', () => {
  const policy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 3 };
  it('doubles from the base delay up to the cap', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelayMs({ attempts: 9, baseDelayMs: 500, maxDelayMs: 4000 }, n))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelayMs({ attempts: 9, baseDelayMs: 500, maxDelayMs: 4000 }, 6)).toBe(4000);
  });

  it('retries recoverable errors only, and marks the last one not recoverable', async () => {
    let calls = 0;
    await expect(
      withRetry(policy, async () => {
        calls++;
        throw new AdapterError('busy', 'infrastructure', true);
      }),
    ).rejects.toMatchObject({ recoverable: false, message: 'busy (gave up after 4 attempts)' });
    expect(calls).toBe(4);
    calls = 0;
    await expect(
      withRetry(policy, async () => {
        calls++;
        throw new AdapterError('bad key', 'config');
      }),
    ).rejects.toMatchObject({ kind: 'config' });
    expect(calls).toBe(1);
    expect(
      await withRetry(policy, async (n) => {
        if (n < 2) throw new AdapterError('busy', 'infrastructure', true);
        return n;
      }),
    ).toBe(2);
  });
});
