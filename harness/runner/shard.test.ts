/** Shards: expected durations (known answers), and a split that is complete, disjoint, stable and balanced. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assignShards, expectedDurationMs, parseShard, selectShard, wavDurationMs, type ShardJob } from './shard.ts';
import { parseScenario, type LoadedScenario } from '../scenario/load.ts';
import { InputError } from '../errors.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crosstalk-shard-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const load = (yaml: string, id = 's') => parseScenario(`version: 1\nid: ${id}\nfamily: turn_taking\n${yaml}`, join(dir, `${id}.yaml`), 'sh');

/** A mono 16-bit WAV of `ms` at `rate`. */
function writeWav(file: string, ms: number, rate: number): void {
  const data = Buffer.alloc(Math.round((rate * ms) / 1000) * 2);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  writeFileSync(file, Buffer.concat([h, data]));
}

describe('expected duration', () => {
  it('speech from word count and rate, pauses, tail', () => {
    // 10 words at 150 wpm = 4000 ms, + a 700 ms pause, from 500 ms, + 2000 ms tail.
    const s = load(
      `tail_ms: 2000\nvoice: { rate_wpm: 150 }\ntimeline:\n  - id: a\n    at_ms: 500\n    speak: { text: "one two three four five six seven eight nine ten", pauses: [ { after_word: 4, ms: 700 } ] }\n`,
    );
    expect(expectedDurationMs(s)).toBe(500 + 4000 + 700 + 2000);
  });

  it('reactive actions: agent reply guessed at 1 s to start and 5 s long; action_end references', () => {
    const s = load(
      `tail_ms: 1000\ntimeline:\n  - id: a\n    at_ms: 0\n    silence: { ms: 2000 }\n  - id: b\n    after: { event: agent_speech_start, delay_ms: 300 }\n    silence: { ms: 100 }\n  - id: c\n    after: { event: agent_speech_end }\n    silence: { ms: 100 }\n  - id: d\n    after: { event: action_end, action: a, delay_ms: 50 }\n    silence: { ms: 10 }\n`,
    );
    // b: 2000 + 1000 + 300 = 3300..3400; c: 3400 + 6000 = 9400..9500; d: 2050..2060.
    expect(expectedDurationMs(s)).toBe(9500 + 1000);
  });

  it('clips by their WAV header; duration_ms caps; unreadable clips get a fixed guess', () => {
    writeWav(join(dir, 'clip.wav'), 1500, 24_000);
    expect(wavDurationMs(join(dir, 'clip.wav'))).toBe(1500);
    const s = load(`tail_ms: 0\ntimeline:\n  - id: a\n    at_ms: 100\n    speak: { clip: clip.wav }\n`);
    expect(expectedDurationMs(s)).toBe(1600);
    const capped = load(`duration_ms: 1000\ntimeline:\n  - id: a\n    at_ms: 100\n    speak: { clip: clip.wav }\n`, 'capped');
    expect(expectedDurationMs(capped)).toBe(1000);
    writeFileSync(join(dir, 'junk.wav'), 'not a wav');
    expect(wavDurationMs(join(dir, 'junk.wav'))).toBeUndefined();
  });
});

describe('--shard i/n', () => {
  it('parses 1-based i/n and refuses anything else with the fix', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/4', '5/4', '1/0', '2', 'a/b', '1/2/3', '-1/2', '']) expect(() => parseShard(bad), bad).toThrow(InputError);
  });
});

/** Fake jobs whose duration is given directly. */
function jobs(durationsMs: number[]): (ShardJob & { ms: number })[] {
  return durationsMs.map((ms, i) => ({ scenario: { key: `suite/s${String(i).padStart(4, '0')}` } as LoadedScenario, repeat: i % 3, ms }));
}
const byMs = (j: { ms: number }) => j.ms;
const ids = (js: ShardJob[]) => js.map((j) => `${j.scenario.key}:r${j.repeat}`);

describe('shard assignment', () => {
  it('longest first to the least loaded shard: a known split', () => {
    const js = jobs([5, 4, 3, 3, 2, 2, 1]);
    const shards = assignShards(js, 3, byMs);
    // 5->A; 4->B; 3->C; 3->C (3 is least); 2->B (4); 2->A (5); 1->B (B and C tie at 6: lower index).
    expect(shards.map((s) => s.map((j) => j.ms))).toEqual([
      [5, 2],
      [4, 2, 1],
      [3, 3],
    ]);
  });

  it('property: every job in exactly one shard; stable under input order; spread within one job', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 100, max: 600_000 }), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer(),
        (durations, n, seed) => {
          const js = jobs(durations);
          const shards = assignShards(js, n, byMs);
          expect(shards).toHaveLength(n);
          expect(ids(shards.flat()).sort()).toEqual(ids(js).sort());
          // Same selection in another order (another machine's directory listing): same shards.
          const shuffled = [...js].sort((a, b) => ((ids([a])[0].length * 31 + a.ms) ^ seed) - ((ids([b])[0].length * 31 + b.ms) ^ seed));
          const again = assignShards(shuffled, n, byMs);
          expect(again.map((s) => ids(s).sort())).toEqual(shards.map((s) => ids(s).sort()));
          // LPT: the most loaded shard exceeds the least loaded by at most the longest job.
          const loads = shards.map((s) => s.reduce((a, j) => a + j.ms, 0));
          expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(Math.max(...durations));
          // selectShard is one row of the same split.
          expect(ids(selectShard(js, { index: n, count: n }, byMs))).toEqual(ids(shards[n - 1]));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('balances real scenarios: the bundled core suite in 4 shards by expected duration', async () => {
    const { loadSuite } = await import('../scenario/load.ts');
    const suite = loadSuite('core', join(import.meta.dirname, '..', '..', 'scenarios'));
    const shards = assignShards(
      suite.map((scenario) => ({ scenario, repeat: 0 })),
      4,
    );
    const loads = shards.map((s) => s.reduce((a, j) => a + expectedDurationMs(j.scenario), 0));
    const longest = Math.max(...suite.map(expectedDurationMs));
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(longest);
    expect(shards.flat()).toHaveLength(suite.length);
  });
});
