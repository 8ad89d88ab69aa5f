import { describe, expect, it } from 'vitest';
import { peerFdBenchRounds, type SampleSpan } from '../fd-bench-rounds.ts';
import { peerFdBenchTable } from '../fd-bench-summary.ts';
import { crosstalkFdBenchTurns } from '../fd-bench-turns.ts';

const spans = (pairs: [number, number][]): SampleSpan[] => pairs.map(([start, end]) => ({ start, end }));

// Two conversations (16 kHz sample indices). The expected marks and table were measured by
// running FD-Bench's own analyze_VAD_interruption_new2 and analyze_VAD_marks (benchmarking.py,
// commit 8a4b7df) in python3 on exactly these timestamps, with model_name != "Moshi".
const c1 = {
  user: spans([
    [16000, 48000],
    [96000, 128000],
    [200000, 232000],
    [300000, 340000],
  ]),
  agent: spans([
    [52000, 90000],
    [112000, 124000],
    [124800, 180000],
    [186000, 210000],
    [236000, 250000],
    [336000, 400000],
  ]),
};
const c2 = {
  user: spans([
    [0, 32000],
    [80000, 120000],
  ]),
  agent: spans([
    [36800, 100000],
    [118000, 160000],
  ]),
};

describe('FD-Bench peer rule', () => {
  it('reproduces the per-conversation marks of the peer code', () => {
    const m = peerFdBenchRounds(c1.user, c1.agent);
    expect(m).toMatchObject({
      rounds: 4,
      gaps: 3,
      interruptions: 2,
      successResponse: 3,
      successResponseToInterruption: 2,
      successInterrupt: 2,
      earlyInterrupt: 1,
      noiseInterrupt: 1,
      responseDelay: [4000, 58000, 0, 0],
      responseDelayToInterruption: [0, 0, 4000, 0],
      interruptDelay: [0, 12000, 10000, 0],
      leadTimes: [0, 0, 0, 4000],
      leadTimeToInterruption: [0, 3200, 0, 0],
      earlyInterruptLead: [[], [16000], [], []],
    });
  });
  it('reproduces the peer table (rates and medians in ms)', () => {
    const t = peerFdBenchTable([peerFdBenchRounds(c1.user, c1.agent), peerFdBenchRounds(c2.user, c2.agent)]);
    expect(t).toMatchObject({
      srr: 0.6666666666666666,
      srir: 1,
      eir: 0.16666666666666666,
      sir: 1,
      nir: 0.25,
      fsedMs: 275,
      ertMs: 200,
      eitMs: 1000,
      irdMs: 750,
    });
  });
  it('drops the first agent segment when asked (the peer does so for Moshi)', () => {
    expect(peerFdBenchRounds(c2.user, c2.agent, true).responseDelay).toEqual([0, 0]);
  });
});

describe('FD-Bench crosstalk rule', () => {
  it('keeps an early reply signed and reads the indices at their own rate', () => {
    // 24 kHz indices: the user ends at 1.0 s, the agent starts 250 ms before that.
    const turns = crosstalkFdBenchTurns(spans([[0, 24000]]), spans([[18000, 60000]]), 24000);
    expect(turns[0]).toMatchObject({ replied: true, replyLatencyMs: -250, earlyInterrupt: false, bargeIn: false });
    // The peer, reading the same indices as 16 kHz, drops the negative value from its median.
    const peer = peerFdBenchTable([peerFdBenchRounds(spans([[0, 24000]]), spans([[18000, 60000]]))]);
    expect(peer.fsedMs).toBe(0);
    expect(peer.ertMs).toBe(375); // 6000 samples read as 16 kHz: 375 ms "lead", and not a latency
  });
  it('counts per turn, so several early interrupts in one turn are one, and reports barge-in stops', () => {
    const user = spans([
      [0, 64000],
      [100000, 140000],
    ]);
    const agent = spans([
      [8000, 12000],
      [20000, 24000],
      [30000, 34000],
      [70000, 120000],
    ]);
    const turns = crosstalkFdBenchTurns(user, agent, 16000);
    expect(turns.map((t) => t.earlyInterrupt)).toEqual([true, false]);
    expect(turns[1]).toMatchObject({ bargeIn: true, stopped: true, stopMs: 1250 });
    expect(peerFdBenchRounds(user, agent).earlyInterrupt).toBe(3);
  });
});
