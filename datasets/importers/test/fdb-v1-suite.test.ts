/**
 * `crosstalk import fdb-v1` on a synthetic Full-Duplex-Bench v1 layout built here (eSpeak speech
 * at planted times), so the importer is tested without the peer fixture: the imported truth is
 * the planted one, and bad layouts are input errors.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../harness/errors.ts';
import { loadSuite } from '../../../harness/scenario/load.ts';
import { encodeWav } from '../../audio/wav.ts';
import { renderSpeech } from '../../speech.ts';
import { synthesize } from '../../tts/espeak.ts';
import { importFdbV1Suite } from '../fdb-v1-suite.ts';
import { importCommand } from '../../../cli/commands/import.ts';

const FRAME_MS = 10;
const dir = mkdtempSync(join(tmpdir(), 'crosstalk-fdb-synth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Speech clips placed at `atMs` in a 16 kHz file `lengthMs` long; returns each one's word span. */
async function place(file: string, lengthMs: number, parts: { text: string; atMs: number }[]) {
  const pcm = new Int16Array(lengthMs * 16);
  const spans: { startMs: number; endMs: number }[] = [];
  for (const p of parts) {
    const s = await synthesize(p.text, { name: 'en-us', rate_wpm: 175, pitch: 50 });
    pcm.set(s.pcm.subarray(0, Math.min(s.pcm.length, pcm.length - p.atMs * 16)), p.atMs * 16);
    spans.push({ startMs: p.atMs + s.words[0].startMs, endMs: p.atMs + s.words[s.words.length - 1].endMs });
  }
  writeFileSync(file, encodeWav(pcm, 16_000));
  return spans;
}

let pauseSpans: { startMs: number; endMs: number }[];
let turnSpans: { startMs: number; endMs: number }[];
beforeAll(async () => {
  const root = join(dir, 'v1');
  for (const d of ['pause_handling/1', 'smooth_turn_taking/1', 'backchannel/1']) mkdirSync(join(root, d), { recursive: true });
  pauseSpans = await place(join(root, 'pause_handling/1/input.wav'), 6000, [
    { text: 'I was thinking that maybe', atMs: 200 },
    { text: 'we could go to the market.', atMs: 3000 },
  ]);
  writeFileSync(
    join(root, 'pause_handling/1/pause.json'),
    JSON.stringify([{ text: '[PAUSE]', timestamp: [pauseSpans[0].endMs / 1000, pauseSpans[1].startMs / 1000] }]),
  );
  turnSpans = await place(join(root, 'smooth_turn_taking/1/input.wav'), 5000, [{ text: 'Is this your first time here?', atMs: 300 }]);
  writeFileSync(
    join(root, 'smooth_turn_taking/1/turn_taking.json'),
    JSON.stringify([{ text: '[TURN-TAKING]', timestamp: [turnSpans[0].endMs / 1000, turnSpans[0].endMs / 1000 + 0.4] }]),
  );
  await place(join(root, 'backchannel/1/input.wav'), 3000, [{ text: 'And then I went home.', atMs: 100 }]);
});

describe('crosstalk import fdb-v1 (synthetic layout)', () => {
  it('a release tree: pause and turn-taking scenarios whose truth is the planted pause and turn end; backchannel skipped', async () => {
    const out = join(dir, 'suite');
    const r = importFdbV1Suite(join(dir, 'v1'), out);
    expect(r.scenarios.map((s) => [s.id, s.task])).toEqual([
      ['fdb-v1-pause_handling-1', 'pause_handling'],
      ['fdb-v1-smooth_turn_taking-1', 'smooth_turn_taking'],
    ]);
    expect(r.skipped.map((s) => s.reason)).toEqual([expect.stringMatching(/no task file/)]);
    const [pause, turn] = loadSuite(out, dir);
    expect(pause.scenario.timeline[0].expect).toEqual([{ no_takeover: {} }, { take_turn: { within_ms: 2000 } }]);
    const p = await renderSpeech(pause.scenario.timeline[0].speak!, { seed: 1 }, pause.file, synthesize);
    expect(p.pauses).toHaveLength(1);
    expect(Math.abs(p.pauses[0].startMs - pauseSpans[0].endMs)).toBeLessThanOrEqual(FRAME_MS);
    expect(Math.abs(p.pauses[0].endMs - pauseSpans[1].startMs)).toBeLessThanOrEqual(FRAME_MS);
    expect(Math.abs(p.speechStartMs - pauseSpans[0].startMs)).toBeLessThanOrEqual(FRAME_MS);
    expect(Math.abs(p.speechEndMs - pauseSpans[1].endMs)).toBeLessThanOrEqual(FRAME_MS);
    const t = await renderSpeech(turn.scenario.timeline[0].speak!, { seed: 1 }, turn.file, synthesize);
    expect(Math.abs(t.speechEndMs - turnSpans[0].endMs)).toBeLessThanOrEqual(FRAME_MS);
    expect(Math.abs(t.speechStartMs - turnSpans[0].startMs)).toBeLessThanOrEqual(FRAME_MS);
    expect(readFileSync(pause.file, 'utf8')).toMatch(/CC BY-NC 4.0/);
  });

  it('bad input: an unknown format, a missing folder, a folder without samples, two task files', () => {
    const args = { format: 'fdb-v1', dir: join(dir, 'nope'), o: join(dir, 'x'), 'take-turn-within-ms': 2000, 'stop-within-ms': 1500, 'answer-within-ms': 2500 };
    expect(() => importCommand({ ...args, format: 'fdb-v9' })).toThrow(InputError);
    expect(() => importCommand(args)).toThrow(/not a folder/);
    mkdirSync(join(dir, 'empty'));
    expect(() => importFdbV1Suite(join(dir, 'empty'), join(dir, 'x'))).toThrow(/no sample folder with input.wav/);
    writeFileSync(join(dir, 'v1/pause_handling/1/interrupt.json'), '[]');
    expect(() => importFdbV1Suite(join(dir, 'v1/pause_handling/1'), join(dir, 'x'))).toThrow(/more than one task file/);
    rmSync(join(dir, 'v1/pause_handling/1/interrupt.json'));
  });
});
