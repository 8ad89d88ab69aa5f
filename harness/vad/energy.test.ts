import { describe, expect, it } from 'vitest';
import { DEFAULT_VAD, StreamingVad, speechSegments, type SpeechSegmentMs, type VadChange } from './energy.ts';
import { addNoise, writeSquareBurst } from '../scoring/testing/synthetic-recording.ts';
import { InputError } from '../errors.ts';
import { seededRandom } from '../stats.ts';

const NOISE_DBFS = DEFAULT_VAD.thresholdDbfs - 20;

/** A signal with square bursts at the given samples over the test noise floor. */
function signal(lengthSamples: number, bursts: [number, number, number?][], seed = 1, noiseDbfs: number | null = NOISE_DBFS): Int16Array {
  const pcm = new Int16Array(lengthSamples);
  for (const [start, end, amplitude] of bursts) writeSquareBurst(pcm, start, end, amplitude);
  if (noiseDbfs !== null) addNoise(pcm, noiseDbfs, seed);
  return pcm;
}

const ms = (sample: number, sampleRate: number) => (sample * 1000) / sampleRate;

/** Run the streaming detector over `pcm` in the given chunk sizes and pair its changes. */
function streamed(pcm: Int16Array, sampleRate: number, chunkSizes: () => number): { segments: SpeechSegmentMs[]; changes: VadChange[] } {
  const vad = new StreamingVad(sampleRate);
  const changes: VadChange[] = [];
  for (let i = 0; i < pcm.length;) {
    const n = Math.min(chunkSizes(), pcm.length - i);
    changes.push(...vad.push(pcm.subarray(i, i + n)));
    i += n;
  }
  changes.push(...vad.flush());
  const segments: SpeechSegmentMs[] = [];
  for (let i = 0; i < changes.length; i += 2) {
    expect(changes[i].type).toBe('onset');
    expect(changes[i + 1]?.type).toBe('offset');
    segments.push({ startMs: changes[i].atMs, endMs: changes[i + 1].atMs });
  }
  return { segments, changes };
}

describe('speechSegments: sample-exact edges', () => {
  for (const sampleRate of [16_000, 24_000, 44_100, 8_000]) {
    it(`recovers planted bursts to the sample at ${sampleRate} Hz over a noise floor 20 dB under the threshold`, () => {
      const frame = Math.round(sampleRate / 100);
      // Edges on a frame's first sample, its last sample, and in the middle.
      const bursts: [number, number][] = [
        [10 * frame, 40 * frame],
        [80 * frame - 1, 120 * frame + 1],
        [200 * frame + 37, 231 * frame + 5],
        [300 * frame + frame - 1, 450 * frame + 3],
      ];
      const pcm = signal(500 * frame, bursts, sampleRate);
      expect(speechSegments(pcm, sampleRate)).toEqual(bursts.map(([s, e]) => ({ startMs: ms(s, sampleRate), endMs: ms(e, sampleRate) })));
    });
  }

  it('finds nothing in 20 s of noise 20 dB under the threshold', () => {
    expect(speechSegments(signal(320_000, [], 5), 16_000)).toEqual([]);
  });

  it('finds a burst that starts at sample 0 and one that runs to the last (partial) frame', () => {
    const pcm = signal(16_005, [
      [0, 3_000],
      [12_000, 16_005],
    ]);
    expect(speechSegments(pcm, 16_000)).toEqual([
      { startMs: 0, endMs: ms(3_000, 16_000) },
      { startMs: 750, endMs: ms(16_005, 16_000) },
    ]);
  });

  it('merges bursts whose gap is shorter than mergeGapMs (300 ms), not those exactly 300 ms apart', () => {
    const merged = signal(32_000, [
      [1_000, 5_000],
      [5_000 + 4_799, 12_000],
    ]);
    expect(speechSegments(merged, 16_000)).toEqual([{ startMs: ms(1_000, 16_000), endMs: 750 }]);
    const apart = signal(32_000, [
      [1_000, 5_000],
      [5_000 + 4_800, 12_000],
    ]);
    expect(speechSegments(apart, 16_000)).toEqual([
      { startMs: ms(1_000, 16_000), endMs: ms(5_000, 16_000) },
      { startMs: ms(9_800, 16_000), endMs: 750 },
    ]);
  });

  it('drops segments shorter than minSpeechMs (100 ms) and keeps one exactly that long', () => {
    const pcm = signal(48_000, [
      [8_000, 8_000 + 1_599],
      [24_000, 24_000 + 1_600],
    ]);
    expect(speechSegments(pcm, 16_000)).toEqual([{ startMs: 1_500, endMs: 1_600 }]);
  });

  it('ignores a burst 1 dB under the threshold and finds one 1 dB over it', () => {
    const amplitude = (dbfs: number) => Math.round(32768 * 10 ** (dbfs / 20));
    // No noise here: at 1 dB over the threshold, noise would push single edge samples under it.
    const bursts: [number, number, number][] = [
      [8_000, 16_000, amplitude(DEFAULT_VAD.thresholdDbfs - 1)],
      [24_000, 32_000, amplitude(DEFAULT_VAD.thresholdDbfs + 1)],
    ];
    const pcm = signal(48_000, bursts, 1, null);
    expect(speechSegments(pcm, 16_000)).toEqual([{ startMs: 1_500, endMs: 2_000 }]);
  });

  it('honours overridden settings', () => {
    const pcm = signal(32_000, [
      [1_000, 5_000],
      [5_000 + 1_600, 12_000],
    ]);
    expect(speechSegments(pcm, 16_000, { mergeGapMs: 50 })).toHaveLength(2);
    expect(speechSegments(pcm, 16_000, { mergeGapMs: 101 })).toHaveLength(1);
  });

  it('rejects nonsense settings with an InputError naming the field', () => {
    expect(() => speechSegments(new Int16Array(10), 16_000, { thresholdDbfs: 3 })).toThrow(InputError);
    expect(() => speechSegments(new Int16Array(10), 16_000, { frameMs: 0 })).toThrow(/frameMs/);
    expect(() => new StreamingVad(0)).toThrow(/sample rate/);
  });
});

describe('StreamingVad', () => {
  it('agrees exactly with speechSegments for random signals and random chunkings', () => {
    const random = seededRandom(2024);
    for (let trial = 0; trial < 30; trial++) {
      const sampleRate = [16_000, 24_000, 48_000][trial % 3];
      const length = Math.floor(sampleRate * (2 + random() * 6));
      // Random bursts: lengths 1-800 ms, gaps 1-700 ms, amplitudes near and far above the
      // threshold; half the lengths and gaps within 20 ms of min-speech and the merge gap, where
      // a detector that decides a frame too early or too late would disagree.
      const near = (ms: number) => Math.max(1, Math.round(((ms - 20 + random() * 40) * sampleRate) / 1000));
      const bursts: [number, number, number][] = [];
      for (let at = Math.floor(random() * sampleRate * 0.3); at < length;) {
        const len = random() < 0.5 ? near(DEFAULT_VAD.minSpeechMs) : Math.ceil(random() * sampleRate * 0.8);
        const amplitude = random() < 0.3 ? Math.round(200 + random() * 300) : 32767;
        bursts.push([at, at + len, amplitude]);
        at += len + (random() < 0.5 ? near(DEFAULT_VAD.mergeGapMs) : Math.ceil(random() * sampleRate * 0.7));
      }
      const pcm = signal(length, bursts, trial);
      const offline = speechSegments(pcm, sampleRate);
      const maxChunk = [1, 7, 160, 4096][trial % 4] + Math.floor(random() * 3000);
      // Empty chunks now and then, too.
      const { segments } = streamed(pcm, sampleRate, () => (random() < 0.05 ? 0 : 1 + Math.floor(random() * maxChunk)));
      expect(segments).toEqual(offline);
      expect(offline.length).toBeGreaterThan(0);
    }
  });

  it('waits for the merge gap even when the next onset is refined into a quiet frame', () => {
    // The second burst is quiet (amplitude 250, threshold ~184): the frame holding only its
    // first sample is not loud, so its onset is found in "the frame before" the loud one.
    for (const [gapSamples, expected] of [
      [4_799, [{ startMs: 100, endMs: 1_000 }]],
      [
        4_800,
        [
          { startMs: 100, endMs: 500 },
          { startMs: 800, endMs: 1_000 },
        ],
      ],
    ] as const) {
      const secondStart = 8_000 + gapSamples;
      const pcm = signal(
        24_000,
        [
          [1_600, 8_000],
          [secondStart, 16_000, 250],
        ],
        1,
        null,
      );
      expect(speechSegments(pcm, 16_000)).toEqual(expected);
      expect(streamed(pcm, 16_000, () => 160).segments).toEqual(expected);
    }
  });

  it('reports an onset once min-speech is confirmed and an offset once the merge gap has passed', () => {
    const sampleRate = 16_000;
    const pcm = signal(48_000, [[8_003, 24_011]]);
    const vad = new StreamingVad(sampleRate);
    // Onset at sample 8003; min speech is 1600 samples: not yet certain at sample 9440.
    expect(vad.push(pcm.subarray(0, 9_440))).toEqual([]);
    expect(vad.push(pcm.subarray(9_440, 9_760))).toEqual([{ type: 'onset', atMs: ms(8_003, sampleRate) }]);
    // Offset at sample 24011; a later onset could still merge until 300 ms (4800 samples) later.
    expect(vad.push(pcm.subarray(9_760, 24_011 + 4_800))).toEqual([]);
    // Certain at the first frame starting >= 4800 samples after the offset (plus that frame).
    expect(vad.push(pcm.subarray(24_011 + 4_800, 24_011 + 4_800 + 320))).toEqual([{ type: 'offset', atMs: ms(24_011, sampleRate) }]);
    expect(vad.flush()).toEqual([]);
  });

  it('closes an open segment on flush and refuses pushes after it', () => {
    const pcm = signal(16_000, [[4_000, 16_000]]);
    const vad = new StreamingVad(16_000);
    expect(vad.push(pcm)).toEqual([{ type: 'onset', atMs: 250 }]);
    expect(vad.flush()).toEqual([{ type: 'offset', atMs: 1_000 }]);
    expect(() => vad.push(pcm)).toThrow(/after flush/);
  });
});
