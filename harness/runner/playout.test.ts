/**
 * Known answers for the playout model: a stream clocked in real time whose chunks arrive late
 * once (an underrun) is back on its own clock after the next silence; an agent that really
 * sends late is heard late; a burst faster than real time keeps its pauses; a long gap is a
 * new talkspurt; speech is never dropped.
 */
import { describe, it, expect } from 'vitest';
import { MAX_UNDERRUN_GAP_MS, PlayoutBuffer } from './playout.ts';

const RATE = 16_000;
const CHUNK_MS = 20;
const CHUNK = (RATE * CHUNK_MS) / 1000;

/** A 20 ms chunk of a -20 dBFS tone (speech stand-in) or digital silence. */
function chunk(kind: 'tone' | 'silence', n = CHUNK): Int16Array {
  const out = new Int16Array(n);
  if (kind === 'tone') for (let i = 0; i < n; i++) out[i] = Math.round(3277 * Math.cos((2 * Math.PI * 220 * i) / RATE));
  return out;
}

/** Play everything out and return the start times (ms) of each run of non-zero samples. */
function onsetsMs(buf: PlayoutBuffer, untilMs: number): number[] {
  const pcm = buf.take(buf.sampleAt(untilMs));
  const onsets: number[] = [];
  let silentRun = Infinity;
  for (let i = 0; i < pcm.length; i++) {
    if (pcm[i] !== 0) {
      if (silentRun > CHUNK) onsets.push((i * 1000) / RATE);
      silentRun = 0;
    } else silentRun++;
  }
  return onsets;
}

/** A clocked agent: utterance, 20 silent chunks, utterance; chunk k due at k * 20 ms. */
const STREAM: ('tone' | 'silence')[] = [...Array(10).fill('tone'), ...Array(20).fill('silence'), ...Array(10).fill('tone')];
const SECOND_ONSET_MS = 30 * CHUNK_MS;

function playStream(lateMs: (k: number) => number): PlayoutBuffer {
  const buf = new PlayoutBuffer(RATE);
  STREAM.forEach((kind, k) => buf.enqueue(chunk(kind), k * CHUNK_MS + lateMs(k), CHUNK_MS));
  return buf;
}

describe('playout: underruns are paid back in silence', () => {
  it('an on-time stream plays at its own clock', () => {
    const buf = playStream(() => 0);
    expect(onsetsMs(buf, 1000)).toEqual([0, SECOND_ONSET_MS]);
    expect(buf.stats()).toEqual({ underruns: 0, underrunMs: 0, catchUpMs: 0, owedAtEndMs: 0 });
  });

  it('one chunk read 7 ms late shifts the rest of that utterance, not the next one', () => {
    const buf = playStream((k) => (k === 5 ? 7 : 0));
    expect(onsetsMs(buf, 1000)).toEqual([0, SECOND_ONSET_MS]);
    expect(buf.stats()).toEqual({ underruns: 1, underrunMs: 7, catchUpMs: 7, owedAtEndMs: 0 });
  });

  it('late reads in every utterance never pile up across turns', () => {
    const turns = 6;
    const buf = new PlayoutBuffer(RATE);
    const planted: number[] = [];
    let previous: 'tone' | 'silence' = 'silence';
    for (let turn = 0; turn < turns; turn++) {
      STREAM.forEach((kind, k) => {
        const dueMs = (turn * STREAM.length + k) * CHUNK_MS;
        if (kind === 'tone' && previous === 'silence') planted.push(dueMs);
        previous = kind;
        // Every third chunk is read 3-9 ms late: the accumulation the issue measured (30 -> 80 ms).
        buf.enqueue(chunk(kind), dueMs + (k % 3 === 1 ? 3 + ((turn * 7 + k) % 7) : 0), CHUNK_MS);
      });
    }
    const found = onsetsMs(buf, turns * STREAM.length * CHUNK_MS + 1000);
    expect(planted.length).toBe(turns + 1);
    expect(buf.stats().underruns).toBeGreaterThan(turns * 5);
    // Each onset chunk is itself on time, so each is heard at its planted time.
    expect(found).toEqual(planted);
  });

  it('an agent that really sends its answer late is heard late', () => {
    const buf = playStream((k) => (k >= 30 ? 50 : 0));
    expect(onsetsMs(buf, 1200)).toEqual([0, SECOND_ONSET_MS + 50]);
    expect(buf.stats().catchUpMs).toBe(0);
  });

  it('speech is never dropped: the shift stays owed until silence comes', () => {
    const buf = new PlayoutBuffer(RATE);
    buf.enqueue(chunk('tone'), 0, CHUNK_MS);
    buf.enqueue(chunk('tone'), 25, CHUNK_MS);
    buf.enqueue(chunk('tone'), 40, CHUNK_MS);
    buf.enqueue(chunk('tone'), 60, CHUNK_MS);
    expect(buf.owedMs()).toBe(5);
    expect(buf.queuedEndMs()).toBe(85);
    buf.enqueue(chunk('silence', CHUNK / 2), 80, CHUNK_MS / 2);
    expect(buf.owedMs()).toBe(0);
    expect(buf.queuedEndMs()).toBe(90);
    expect(buf.stats().catchUpMs).toBe(5);
    const tone = chunk('tone');
    expect(Array.from(buf.take(buf.sampleAt(90)).subarray(buf.sampleAt(65), buf.sampleAt(85)))).toEqual(Array.from(tone));
  });
});

describe('playout: bursts and talkspurts', () => {
  it('a burst faster than real time keeps its pauses', () => {
    const buf = new PlayoutBuffer(RATE);
    const parts = [...Array(20).fill('tone'), ...Array(15).fill('silence'), ...Array(20).fill('tone')] as ('tone' | 'silence')[];
    parts.forEach((kind, k) => buf.enqueue(chunk(kind), 100 + k * 0.1, CHUNK_MS));
    expect(onsetsMs(buf, 3000)).toEqual([100, 100 + 35 * CHUNK_MS]);
    expect(buf.stats().underruns).toBe(0);
  });

  it(`a gap longer than ${MAX_UNDERRUN_GAP_MS} ms starts a new talkspurt that owes nothing`, () => {
    const buf = new PlayoutBuffer(RATE);
    buf.enqueue(chunk('tone'), 0, CHUNK_MS);
    buf.enqueue(chunk('tone'), 30, CHUNK_MS);
    expect(buf.owedMs()).toBe(10);
    buf.enqueue(chunk('silence'), 50 + MAX_UNDERRUN_GAP_MS + 1, CHUNK_MS);
    expect(buf.owedMs()).toBe(0);
    expect(buf.stats()).toMatchObject({ underruns: 1, underrunMs: 10, catchUpMs: 0 });
  });

  it('a flush drops what was not played, reports stream positions and owes nothing after', () => {
    const buf = new PlayoutBuffer(RATE);
    buf.enqueue(chunk('tone'), 0, CHUNK_MS);
    buf.enqueue(chunk('tone'), 27, CHUNK_MS);
    buf.enqueue(chunk('tone', CHUNK * 10), 40, 200);
    buf.take(buf.sampleAt(50));
    const f = buf.flush(50);
    expect(f).toEqual({ playedMs: 43, receivedMs: 240, droppedMs: 197 });
    expect(buf.owedMs()).toBe(0);
    expect(buf.isPlaying(50)).toBe(false);
  });
});
