import { describe, expect, it } from 'vitest';
import { peerTakeoverFromSpeech, peerTakeoverFromWords, takeoverUtterances } from '../fdb-v1-takeover.ts';
import { crosstalkResponseLatencyS, peerResponseLatency } from '../fdb-v1-response-latency.ts';
import { backchannelHistogram, crosstalkBackchannel, peerBackchannel, peerWordsInSegment } from '../fdb-v1-backchannel.ts';
import { crosstalkTiming, peerTiming } from '../fdb-v15-timing.ts';
import { pyRound, pyRoundInt } from '../py-round.ts';
import type { SpanS, TimedWord } from '../types.ts';

const w = (text: string, startS: number, endS: number | null): TimedWord => ({ text, startS, endS });
const sp = (startS: number, endS: number): SpanS => ({ startS, endS });

describe('FDB v1 takeover (peer)', () => {
  it('no words: no takeover; >= 1 s span: takeover; short span needs more than 3 words', () => {
    expect(peerTakeoverFromWords([]).takeover).toBe(0);
    expect(peerTakeoverFromWords([w('a', 1, 1.2), w('b', 1.5, 2.0)]).takeover).toBe(1);
    expect(peerTakeoverFromWords([w('a', 1, 1.1), w('b', 1.1, 1.2), w('c', 1.2, 1.3)]).takeover).toBe(0);
    expect(peerTakeoverFromWords([w('a', 1, 1.1), w('b', 1.1, 1.2), w('c', 1.2, 1.3), w('d', 1.3, 1.4)]).takeover).toBe(1);
  });
  it('uses the last start when the last end is null', () => {
    expect(peerTakeoverFromWords([w('a', 1, 1.1), w('b', 1.95, null)]).spanS).toBeCloseTo(0.95, 12);
  });
  it('counts two short sounds 5 s apart as a takeover; crosstalk does not', () => {
    expect(peerTakeoverFromWords([w('mm', 1, 1.2), w('yeah', 6, 6.3)]).takeover).toBe(1);
    expect(takeoverUtterances([sp(1, 1.2), sp(6, 6.3)])).toEqual([]);
  });
  it('without words applies the duration part only and says so', () => {
    const r = peerTakeoverFromSpeech([sp(2, 2.5)]);
    expect(r).toMatchObject({ takeover: 0, wordCountApplied: false, firstStartS: 2 });
  });
});

describe('response latency', () => {
  it('peer clips an early start to 0; crosstalk keeps the sign', () => {
    expect(peerResponseLatency(2.75, 3.0)).toEqual({ rawS: -0.25, publishedS: 0 });
    expect(crosstalkResponseLatencyS([sp(2.75, 5)], 3.0)).toBeCloseTo(-0.25, 12);
  });
  it('crosstalk skips a backchannel before the reply and talk that began before the interruption', () => {
    expect(crosstalkResponseLatencyS([sp(3.2, 3.4), sp(4.5, 6)], 3.0)).toBeCloseTo(1.5, 12);
    expect(crosstalkResponseLatencyS([sp(0, 12), sp(14, 16)], 11, 10)).toBeCloseTo(3, 12);
    expect(crosstalkResponseLatencyS([sp(3.2, 3.4)], 3.0)).toBeNull();
  });
});

describe('FDB v1 backchannel', () => {
  const ref = [1, 1, 1, 1, 1, 1];
  it('peer: the last segment walked decides TOR and a 1-3 s segment still counts as a backchannel', () => {
    const segs = [sp(0.4, 2.4), sp(3.6, 3.9)];
    const words = [w('so', 0.5, 0.7), w('I', 0.7, 0.8), w('think', 0.8, 1.0), w('that', 1.0, 1.2), w('is', 1.2, 1.4), w('mm', 3.6, 3.9)];
    const r = peerBackchannel(segs, words, 5, ref);
    expect(r.tor).toBe(0);
    expect(r.backchannels).toEqual(segs);
    expect(r.frequencyPerS).toBe(2 / 5);
    const c = crosstalkBackchannel(segs, words, 5, ref);
    expect(c.tor).toBe(1);
    expect(c.backchannels).toEqual([sp(3.6, 3.9)]);
    expect(c.ratePerMin).toBe(12);
  });
  it('peer stops at the first segment over 3 s and scores 1 without backchannels; crosstalk gives null', () => {
    const r = peerBackchannel([sp(0, 3.5), sp(4, 4.3)], null, 5, ref);
    expect(r).toMatchObject({ tor: 1, backchannels: [], jsd: 1 });
    expect(crosstalkBackchannel([sp(0, 3.5)], null, 5, ref).jsd).toBeNull();
  });
  it('bins 0.2 s inclusive of the end bin, with epsilon, normalized', () => {
    const h = backchannelHistogram([sp(0.1, 0.3)], 1.0); // bins 0 and 1 of 6
    expect(h.length).toBe(6);
    expect(h[0]).toBeCloseTo(0.5, 9);
    expect(h[1]).toBeCloseTo(0.5, 9);
    expect(h[2]).toBeCloseTo(1e-10 / (2 + 6e-10), 20);
  });
  it('counts words by the peer three overlap cases and skips open-ended words that start inside', () => {
    const words = [w('in', 1.1, 1.2), w('straddle-end', 1.4, 1.6), w('straddle-start', 0.9, 1.05), w('out', 2, 2.1), w('open', 1.2, null)];
    expect(peerWordsInSegment(words, sp(1, 1.5)).map((x) => x.text)).toEqual(['in', 'straddle-end', 'straddle-start']);
  });
});

describe('FDB v1.5 timing', () => {
  // Expected lists computed by running get_timing.py's _merge, overlaps and response_gaps
  // (commit d7336bd) in python3 on these segments.
  const user = [sp(0.5, 2.0), sp(2.4, 3.0), sp(6.0, 8.0)];
  const model = [sp(1.5, 2.2), sp(2.6, 2.7), sp(2.9, 4.0), sp(7.9, 9.0), sp(9.4, 10.0)];
  it('reproduces the peer lists', () => {
    expect(peerTiming(user, model)).toEqual({
      stop: [
        [1.5, 3.0],
        [7.9, 8.0],
      ],
      response: [[3.0, 7.9]],
    });
  });
  it('peer pins an early answer (100 ms before the user ends) to the previous turn; crosstalk reads it around the event', () => {
    const t = crosstalkTiming(model, sp(6.0, 8.0));
    expect(t.stopLatencyS).toBeNull();
    expect(t.responseLatencyS).toBeCloseTo(-0.1, 12);
    const during = crosstalkTiming([sp(4, 6.4), sp(8.3, 10)], sp(6.0, 8.0));
    expect(during.stopLatencyS).toBeCloseTo(0.4, 12);
    expect(during.stoppedDuringEvent).toBe(true);
    expect(during.responseLatencyS).toBeCloseTo(0.3, 12);
  });
});

describe('Python rounding', () => {
  // python3: round(0.0625, 3) = 0.062, round(0.1875, 3) = 0.188, round(2.675, 2) = 2.67, round(2.5) = 2, round(3.5) = 4
  it('breaks exact ties to even and rounds the binary value otherwise', () => {
    expect(pyRound(0.0625, 3)).toBe(0.062);
    expect(pyRound(0.1875, 3)).toBe(0.188);
    expect(pyRound(2.675, 2)).toBe(2.67);
    expect(pyRoundInt(2.5)).toBe(2);
    expect(pyRoundInt(3.5)).toBe(4);
    expect(pyRound(1.0005, 3)).toBe(1); // 1.0005 is stored just below the tie
  });
});
