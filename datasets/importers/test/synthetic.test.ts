/**
 * Synthetic recordings in each layout with planted truth: the crosstalk rule set recovers it
 * within 20 ms; the peer rule set shows its known distortions on the same files.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importFdbV1, scoreCrosstalkFdbV1, scorePeerFdbV1 } from '../fdb-v1.ts';
import { importFdbV15, scoreCrosstalkFdbV15, scorePeerFdbV15 } from '../fdb-v15.ts';
import { importFdBench, scoreCrosstalkFdBench, scorePeerFdBench } from '../fd-bench.ts';
import { toRecording } from '../to-recording.ts';
import type { RuledMetricValue } from '../../../harness/metrics/peer/types.ts';
import { writeSample } from '../testing/peer-layouts.ts';

const root = mkdtempSync(join(tmpdir(), 'crosstalk-importers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const TOL_MS = 20;
const pick = (rows: RuledMetricValue[], ruleSet: string, name: string, subject?: string) => {
  const r = rows.find((x) => x.ruleSet === ruleSet && x.name === name && (subject === undefined || x.subject === subject));
  if (!r) throw new Error(`no ${ruleSet} row ${name} ${subject ?? ''} in ${JSON.stringify(rows.map((x) => `${x.ruleSet}:${x.name}:${x.subject}`))}`);
  return r;
};

describe('Full-Duplex-Bench v1 layout (48 kHz input beside 16 kHz output)', () => {
  // The user ends at 3.0 s; the agent starts answering 250 ms before that.
  const turnDir = writeSample(join(root, 'v1-turn', '7'), {
    input: { sampleRate: 48000, durationMs: 7000, bursts: [[500, 3000]] },
    output: { sampleRate: 16000, durationMs: 7000, bursts: [[2750, 5500]] },
    json: { 'turn_taking.json': [{ text: '[TURN-TAKING]', timestamp: [3.0, 3.4] }] },
  });

  it('turn-taking: crosstalk keeps the early answer (-250 ms); the peer clips it to 0', async () => {
    const [s] = await importFdbV1(join(root, 'v1-turn'));
    expect(s).toMatchObject({ task: 'smooth_turn_taking', words: null });
    expect([s.input.sampleRate, s.output.sampleRate]).toEqual([48000, 16000]);
    const ours = scoreCrosstalkFdbV1(s);
    expect(Math.abs(pick(ours, 'crosstalk', 'turn_taking.latency_ms').value! + 250)).toBeLessThanOrEqual(TOL_MS);
    const peer = pick(scorePeerFdbV1(s), 'peer', 'turn_taking.latency_ms');
    expect(peer.value).toBe(0);
    expect(peer.note).toMatch(/early.*counts it as 0/);
    expect(peer.note).toMatch(/word-count part of the rule was not applied/);
  });

  it('turn-taking with output.json words: the peer rule reads the first word and still clips', async () => {
    writeFileSync(
      join(turnDir, 'output.json'),
      JSON.stringify({
        text: 'sure thing',
        chunks: [
          { text: 'sure', timestamp: [2.75, 3.1] },
          { text: 'thing', timestamp: [3.1, 3.8] },
        ],
      }),
    );
    const [s] = await importFdbV1(turnDir);
    const peer = scorePeerFdbV1(s);
    expect(pick(peer, 'peer', 'turn_taking.takeover').value).toBe(1);
    expect(pick(peer, 'peer', 'turn_taking.latency_ms')).toMatchObject({ value: 0, note: expect.not.stringMatching(/not applied/) });
  });

  it('interruption: stop and answer latencies recovered; the peer measures from the interruption end', async () => {
    const [s] = await importFdbV1(
      writeSample(join(root, 'v1-int', '3'), {
        input: {
          sampleRate: 16000,
          durationMs: 11000,
          bursts: [
            [300, 2000],
            [6000, 7500],
          ],
        },
        output: {
          sampleRate: 24000,
          durationMs: 11000,
          bursts: [
            [2500, 6400],
            [8100, 10000],
          ],
        },
        json: { 'interrupt.json': [{ context: 'c', interrupt: 'i', timestamp: [6.0, 7.5] }] },
      }),
    );
    const ours = scoreCrosstalkFdbV1(s);
    expect(Math.abs(pick(ours, 'crosstalk', 'interruption.stop_latency_ms').value! - 400)).toBeLessThanOrEqual(TOL_MS);
    expect(Math.abs(pick(ours, 'crosstalk', 'interruption.answer_latency_ms').value! - 600)).toBeLessThanOrEqual(TOL_MS);
    expect(Math.abs(pick(scorePeerFdbV1(s), 'peer', 'interruption.answer_latency_ms').value! - 600)).toBeLessThanOrEqual(TOL_MS);
  });

  it('backchannel: planted backchannels found at their times; the peer reads a 24 kHz file as 16 kHz', async () => {
    const [s] = await importFdbV1(
      writeSample(join(root, 'v1-bc', '12'), {
        input: { sampleRate: 16000, durationMs: 8000, bursts: [[0, 8000]] },
        output: {
          sampleRate: 24000,
          durationMs: 8000,
          bursts: [
            [2000, 2400],
            [5000, 5300],
          ],
        },
      }),
    );
    expect(s.task).toBe('backchannel');
    const reference = { '12': new Array(41).fill(1) };
    const ours = scoreCrosstalkFdbV1(s, { iccReference: reference });
    expect(Math.abs(pick(ours, 'crosstalk', 'backchannel.onset_ms', 'backchannel/12#bc1').value! - 2000)).toBeLessThanOrEqual(TOL_MS);
    expect(Math.abs(pick(ours, 'crosstalk', 'backchannel.onset_ms', 'backchannel/12#bc2').value! - 5000)).toBeLessThanOrEqual(TOL_MS);
    expect(pick(ours, 'crosstalk', 'backchannel.count').value).toBe(2);
    expect(pick(ours, 'crosstalk', 'backchannel.rate_per_min').value).toBeCloseTo(15, 9);
    const peer = scorePeerFdbV1(s, { iccReference: reference });
    expect(pick(peer, 'peer', 'backchannel.takeover').value).toBe(0);
    // The peer's JSD is computed on times stretched by 24/16: it differs from ours.
    expect(pick(peer, 'peer', 'backchannel.js_distance').value).not.toBeCloseTo(pick(ours, 'crosstalk', 'backchannel.js_distance').value!, 3);
    expect(() => scoreCrosstalkFdbV1(s)).toThrow(/no ICC reference histogram/);
  });

  it('toRecording puts both files on one clock with the planted turn end', async () => {
    const [s] = await importFdbV1(turnDir);
    const rec = toRecording(s);
    expect(rec.sampleRate).toBe(16000);
    expect(rec.user.length).toBe(rec.agent.length);
    expect(rec.user.length).toBe(7 * 16000);
    const start = rec.events.find((e) => e.type === 'action.start');
    expect(start).toMatchObject({ speechEndMs: 3000, expect: [{ take_turn: { within_ms: 1500 } }] });
    expect(Math.abs((start as { speechStartMs: number }).speechStartMs - 500)).toBeLessThanOrEqual(TOL_MS);
  });
});

describe('Full-Duplex-Bench v1.5 layout', () => {
  it('reads the event from metadata.json; crosstalk recovers stop and early reply, the peer loses the reply', async () => {
    const dir = join(root, 'v15', 'user_interruption');
    writeSample(join(dir, '1'), {
      input: {
        sampleRate: 48000,
        durationMs: 9000,
        bursts: [
          [200, 2000],
          [4000, 5500],
        ],
      },
      output: {
        sampleRate: 24000,
        durationMs: 9000,
        bursts: [
          [2600, 4300],
          [5250, 8000],
        ],
      },
      json: { 'metadata.json': { context_text: 'c', current_turn_text: 't', timestamps: [4.0, 5.5] } },
    });
    const [s] = await importFdbV15(dir);
    expect(s).toMatchObject({ subset: 'user_interruption', event: { startS: 4, endS: 5.5 }, cleanInput: null });
    const ours = scoreCrosstalkFdbV15(s);
    expect(Math.abs(pick(ours, 'crosstalk', 'overlap.stop_latency_ms').value! - 300)).toBeLessThanOrEqual(TOL_MS);
    expect(pick(ours, 'crosstalk', 'overlap.stopped_during_event').value).toBe(1);
    expect(Math.abs(pick(ours, 'crosstalk', 'overlap.response_latency_ms').value! + 250)).toBeLessThanOrEqual(TOL_MS);
    const peer = scorePeerFdbV15(s);
    expect(Math.abs(pick(peer, 'peer', 'overlap.stop_latency_ms', 'user_interruption/1#stop1').value! - 300)).toBeLessThanOrEqual(TOL_MS);
    // The peer calls the early reply's overlap with the user a second "stop" of 250 ms, and
    // finds no response to the event at all (no model start after the user's end).
    expect(Math.abs(pick(peer, 'peer', 'overlap.stop_latency_ms', 'user_interruption/1#stop2').value! - 250)).toBeLessThanOrEqual(TOL_MS);
    const resp = peer.filter((r) => r.name === 'overlap.response_latency_ms');
    expect(resp).toHaveLength(1);
    expect(resp[0].note).toMatch(/^user end 2 s, model start 2.6 s/);
    const rec = toRecording(s);
    expect(rec.sampleRate).toBe(24000);
    expect(rec.header.scenario.family).toBe('interruption');
  });
});

describe('FD-Bench layout', () => {
  it('reads the timestamp lines; crosstalk keeps the early reply at the stated rate', async () => {
    const file = join(root, 'fd-bench.txt');
    writeFileSync(file, "conversation_1.wav || [3, 3] || [' Hi', ','] || [{'start': 0, 'end': 24000}] || [{'start': 18000, 'end': 60000}]\n");
    const convs = await importFdBench(file, { sampleRate: 24000 });
    expect(convs[0]).toMatchObject({ id: 'conversation_1.wav', sampleRate: 24000, user: [{ start: 0, end: 24000 }] });
    const ours = scoreCrosstalkFdBench(convs, 'fd-bench.txt');
    expect(pick(ours, 'crosstalk', 'fd_bench.reply_latency_ms', 'conversation_1.wav#turn1').value).toBe(-250);
    expect(pick(ours, 'crosstalk', 'fd_bench.reply_rate')).toMatchObject({ value: 1, note: '1 of 1 user turns' });
    const peer = scorePeerFdBench(convs, 'fd-bench.txt');
    expect(pick(peer, 'peer', 'fd_bench.reply_latency_ms').value).toBe(0);
    expect(pick(peer, 'peer', 'fd_bench.reply_rate').note).toMatch(/reads indices as 16 kHz, these are 24000 Hz/);
    expect(() => toRecording(convs[0])).toThrow(/not audio/);
  });
  it('names the file and line of a malformed line', async () => {
    const file = join(root, 'bad.txt');
    writeFileSync(file, 'ok || x || y || [] || []\nbroken line\n');
    await expect(importFdBench(file)).rejects.toMatchObject({ name: 'InputError', line: 2 });
  });
});
