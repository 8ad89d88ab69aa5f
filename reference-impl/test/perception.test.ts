import { describe, expect, it } from 'vitest';
import { FrameChunker, levelDbfs } from '../frames.ts';
import { EnergyVad } from '../perception/vad.ts';
import { PitchTracker } from '../perception/pitch.ts';
import { ContourTracker } from '../perception/contour.ts';
import { concat, noise, sawtooth } from '../testing/signals.ts';

function frames(pcm: Int16Array): Int16Array[] {
  return new FrameChunker().push(pcm);
}

describe('frames', () => {
  it('cuts arbitrary pieces into whole 320-sample frames, carrying the remainder', () => {
    const c = new FrameChunker();
    const ramp = Int16Array.from({ length: 1000 }, (_, i) => i);
    const got = [...c.push(ramp.subarray(0, 100)), ...c.push(ramp.subarray(100, 700)), ...c.push(ramp.subarray(700))];
    expect(got.map((f) => f.length)).toEqual([320, 320, 320]);
    expect(got[1][0]).toBe(320);
    expect(got[2][319]).toBe(959);
    expect(c.push(new Int16Array(280))).toHaveLength(1); // 40 left over + 280
  });

  it('measures RMS level in dBFS', () => {
    expect(levelDbfs(new Int16Array(320).fill(16384))).toBeCloseTo(-6.02, 1);
    expect(levelDbfs(new Int16Array(320))).toBe(-120);
    expect(levelDbfs(sawtooth(100, 20, -30))).toBeCloseTo(-30, 0);
  });
});

describe('EnergyVad', () => {
  const run = (pcm: Int16Array) => {
    const vad = new EnergyVad();
    return frames(pcm).map((f) => vad.process(f));
  };

  for (const kind of ['white', 'pink', 'brown', 'room_tone'] as const) {
    for (const dbfs of [-62, -50])
      it(`hears no speech in 20 s of ${kind} noise at ${dbfs} dBFS`, () => {
        const out = run(noise(20_000, dbfs, 7, kind));
        expect(out.filter((v) => v.speech)).toHaveLength(0);
      });
  }

  it('finds voiced sound over a -50 dBFS floor, from its first frame to its last', () => {
    const floor = noise(6_000, -50, 3);
    const voice = sawtooth(120, 1_000, -25);
    const pcm = concat(floor.subarray(0, 32_000), voice, floor.subarray(32_000));
    const speech = run(pcm).map((v) => v.speech);
    const first = speech.indexOf(true);
    const last = speech.lastIndexOf(true);
    expect([first, last]).toEqual([100, 149]); // 2000 ms .. 2980 ms
    expect(speech.filter(Boolean)).toHaveLength(50);
  });

  it('hears a talker who starts at the very first frame (floor not yet known)', () => {
    const out = run(concat(sawtooth(150, 500, -22), noise(1_000, -55, 1)));
    expect(out.slice(0, 25).every((v) => v.speech)).toBe(true);
    expect(out.slice(26).some((v) => v.speech)).toBe(false);
  });
});

describe('PitchTracker', () => {
  const track = (pcm: Int16Array) => {
    const p = new PitchTracker();
    return frames(pcm).map((f) => p.process(f));
  };

  for (const hz of [80, 120, 220, 350]) {
    it(`reads ${hz} Hz from a harmonic-rich sawtooth within 2 %`, () => {
      const out = track(sawtooth(hz, 200, -25)).slice(2);
      for (const f of out) expect(Math.abs((f.hz ?? 0) / hz - 1)).toBeLessThan(0.02);
    });
  }

  it('calls noise unvoiced', () => {
    const out = track(noise(1_000, -30, 5)).slice(2);
    expect(out.filter((f) => f.hz !== null)).toHaveLength(0);
  });
});

describe('ContourTracker', () => {
  const shapeOf = (hzs: number[]) => {
    const c = new ContourTracker();
    hzs.forEach((hz) => c.addVoiced(hz));
    return c.summary();
  };
  const level = (n: number, hz = 120) => Array.from({ length: n }, () => hz);

  it('reads a fall to the bottom as final_fall, with the size of the fall', () => {
    const s = shapeOf([...level(30), ...level(6, 90)]);
    expect(s.shape).toBe('final_fall');
    expect(s.fallSt).toBeCloseTo(12 * Math.log2(90 / 120), 5);
  });

  it('reads a rise out of a dip as final_rise, and the same rise from far below as non_final (a comma)', () => {
    expect(shapeOf([...level(30), ...level(5, 105), ...level(3, 135)]).shape).toBe('final_rise');
    expect(shapeOf([...level(30, 160), ...level(8, 90), ...level(3, 115)]).shape).toBe('non_final');
  });

  it('reads a level end as non_final and too few voiced frames as unknown', () => {
    expect(shapeOf(level(40)).shape).toBe('non_final');
    expect(shapeOf([...level(10), ...level(6, 80)]).shape).toBe('unknown');
  });

  it('is not fooled by one octave error at the end', () => {
    expect(shapeOf([...level(30), ...level(5, 90), 180, 90, 90]).shape).toBe('final_fall');
  });
});
