import { describe, expect, it } from 'vitest';
import { actionStarts, agentSegments, speechDurationMs, userSegments } from './segments.ts';
import { speechSegments as energySegments } from '../vad/energy.ts';
import { buildRecording } from './testing/synthetic-recording.ts';

describe('agentSegments', () => {
  it('applies the 1 s rule: 999 ms is a backchannel, 1000 ms is speech', () => {
    const r = buildRecording({
      durationMs: 6_000,
      actions: [],
      agentBursts: [
        { startMs: 500, endMs: 1_499 },
        { startMs: 3_000, endMs: 4_000 },
      ],
    });
    expect(agentSegments(r.agent, r.sampleRate)).toEqual([
      { channel: 'agent', startMs: 500, endMs: 1_499, kind: 'backchannel' },
      { channel: 'agent', startMs: 3_000, endMs: 4_000, kind: 'speech' },
    ]);
  });

  it('merges two 600 ms backchannels 200 ms apart into one 1.4 s speech segment', () => {
    const r = buildRecording({
      durationMs: 4_000,
      actions: [],
      agentBursts: [
        { startMs: 1_000, endMs: 1_600 },
        { startMs: 1_800, endMs: 2_400 },
      ],
    });
    expect(agentSegments(r.agent, r.sampleRate)).toEqual([{ channel: 'agent', startMs: 1_000, endMs: 2_400, kind: 'speech' }]);
  });
});

describe('userSegments', () => {
  it('splits speech at pauses, marks backchannels, and skips silence', () => {
    const r = buildRecording({
      durationMs: 10_000,
      actions: [
        {
          id: 's',
          speechStartMs: 1_000,
          speechEndMs: 4_000,
          pauses: [
            { startMs: 2_000, endMs: 2_500, afterWord: 2 },
            { startMs: 3_000, endMs: 3_200, afterWord: 4 },
          ],
        },
        { id: 'b', kind: 'backchannel', speechStartMs: 5_000, speechEndMs: 5_350 },
        { id: 'quiet', kind: 'silence', speechStartMs: 6_000, speechEndMs: 8_000 },
      ],
      agentBursts: [],
    });
    const actions = actionStarts(r);
    expect(userSegments(actions)).toEqual([
      { channel: 'user', startMs: 1_000, endMs: 2_000, kind: 'speech' },
      { channel: 'user', startMs: 2_000, endMs: 2_500, kind: 'pause' },
      { channel: 'user', startMs: 2_500, endMs: 3_000, kind: 'speech' },
      { channel: 'user', startMs: 3_000, endMs: 3_200, kind: 'pause' },
      { channel: 'user', startMs: 3_200, endMs: 4_000, kind: 'speech' },
      { channel: 'user', startMs: 5_000, endMs: 5_350, kind: 'backchannel' },
    ]);
    expect(speechDurationMs(actions[0])).toBe(2_300);
  });

  it('the synthetic user channel carries the planted extents (square bursts: sound the energy VAD finds, not speech)', () => {
    const r = buildRecording({
      durationMs: 5_000,
      actions: [{ id: 's', speechStartMs: 1_000, speechEndMs: 4_000, pauses: [{ startMs: 2_000, endMs: 2_500, afterWord: 2 }] }],
      agentBursts: [],
    });
    expect(agentSegments(r.user, r.sampleRate)).toEqual([]);
    expect(energySegments(r.user, r.sampleRate).map((s) => [s.startMs, s.endMs])).toEqual([
      [1_000, 2_000],
      [2_500, 4_000],
    ]);
  });
});
