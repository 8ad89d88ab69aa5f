import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, TurnPolicy, type AgentActivity, type Decision, type UserFrame } from '../policy.ts';

// Perception stubbed as frames: loud voiced speech 30 dB over a -55 dBFS floor, or silence.
const FLOOR = -55;
const speech = (hz: number | null): UserFrame => ({ speech: true, levelDbfs: FLOOR + 30, floorDbfs: FLOOR, pitchHz: hz });
const quietSpeech: UserFrame = { speech: true, levelDbfs: FLOOR + 10, floorDbfs: FLOOR, pitchHz: 120 };
const silence: UserFrame = { speech: false, levelDbfs: FLOOR, floorDbfs: FLOOR, pitchHz: null };

/** Steps the policy through frames; returns each decision with the 0-based frame it came on. */
function run(policy: TurnPolicy, frames: UserFrame[], agent: AgentActivity = 'silent'): { frame: number; d: Decision }[] {
  const out: { frame: number; d: Decision }[] = [];
  frames.forEach((f, i) => {
    const d = policy.step(f, agent);
    if (d) out.push({ frame: i, d });
  });
  return out;
}

const repeat = <T>(x: T, n: number): T[] => Array.from({ length: n }, () => x);
/** n frames of speech whose pitch goes linearly from hz0 to hz1. */
const glide = (hz0: number, hz1: number, n: number) => Array.from({ length: n }, (_, i) => speech(hz0 + ((hz1 - hz0) * i) / (n - 1)));
const statement = () => [...repeat(speech(120), 40), ...glide(120, 90, 10)]; // 1 s, ends 5 st low
const question = () => [...repeat(speech(120), 40), ...glide(110, 100, 5), ...glide(100, 140, 5)]; // dip, then +5.8 st
const levelTurn = (frames: number) => repeat(speech(120), frames);

describe('TurnPolicy end of turn', () => {
  it('answers a statement after exactly fallSilenceMs of silence', () => {
    const ds = run(new TurnPolicy(), [...statement(), ...repeat(silence, 50)]);
    expect(ds).toHaveLength(1);
    expect(ds[0].d).toMatchObject({ kind: 'answer', contour: 'final_fall', requiredSilenceMs: DEFAULT_POLICY.fallSilenceMs });
    // Frame 50 is the first silent one; the 15th silent frame completes 300 ms.
    expect(ds[0].frame).toBe(50 + DEFAULT_POLICY.fallSilenceMs / 20 - 1);
  });

  it('answers a question (final rise) after riseSilenceMs', () => {
    const ds = run(new TurnPolicy(), [...question(), ...repeat(silence, 50)]);
    expect(ds.map((x) => x.d)).toMatchObject([{ kind: 'answer', contour: 'final_rise', silenceMs: DEFAULT_POLICY.riseSilenceMs }]);
  });

  it('holds through a level-contour pause shorter than holdingSilenceMs, then answers the real end', () => {
    const pauseFrames = 1500 / 20;
    const ds = run(new TurnPolicy(), [...levelTurn(50), ...repeat(silence, pauseFrames), ...statement(), ...repeat(silence, 30)]);
    expect(ds).toHaveLength(1);
    expect(ds[0].d).toMatchObject({ kind: 'answer', contour: 'final_fall' });
    expect(ds[0].frame).toBe(50 + pauseFrames + 50 + 14);
  });

  it('takes the turn after holdingSilenceMs when a level contour is followed by a long silence', () => {
    const ds = run(new TurnPolicy(), [...levelTurn(50), ...repeat(silence, 100)]);
    expect(ds.map((x) => x.d)).toMatchObject([{ kind: 'answer', contour: 'non_final', silenceMs: DEFAULT_POLICY.holdingSilenceMs }]);
  });

  it('waits uncertainSilenceMs after a short falling turn, and ignores a blip shorter than minTurnSpeechMs', () => {
    const shortFall = [...repeat(speech(120), 12), ...glide(120, 90, 10)]; // 440 ms
    expect(run(new TurnPolicy(), [...shortFall, ...repeat(silence, 50)]).map((x) => x.d)).toMatchObject([
      { kind: 'answer', silenceMs: DEFAULT_POLICY.uncertainSilenceMs },
    ]);
    expect(run(new TurnPolicy(), [...repeat(speech(120), 9), ...repeat(silence, 200)])).toEqual([]);
  });
});

describe('TurnPolicy backchannels', () => {
  it('backchannels once at a longer pause inside a long turn, not at a short one, not in a short turn', () => {
    const long = levelTurn(160); // 3.2 s
    const ds = run(new TurnPolicy(), [...long, ...repeat(silence, 20), ...levelTurn(10), ...repeat(silence, 40)]);
    // The 20-frame (400 ms) pause is too short; the 800 ms one gets one backchannel at 500 ms.
    expect(ds).toHaveLength(1);
    expect(ds[0].d).toMatchObject({ kind: 'backchannel', silenceMs: DEFAULT_POLICY.backchannelSilenceMs });
    expect(ds[0].frame).toBe(160 + 20 + 10 + 24);
    expect(run(new TurnPolicy(), [...levelTurn(100), ...repeat(silence, 40)])).toEqual([]);
  });
});

describe('TurnPolicy barge-in', () => {
  it('yields after bargeInSpeechMs of loud speech while answering', () => {
    const frames = DEFAULT_POLICY.bargeInSpeechMs / 20;
    const p = new TurnPolicy();
    expect(run(p, repeat(speech(150), frames - 1), 'answer')).toEqual([]);
    const ds = run(p, [speech(150)], 'answer');
    expect(ds.map((x) => x.d)).toEqual([{ kind: 'barge_in', overlapSpeechMs: DEFAULT_POLICY.bargeInSpeechMs }]);
  });

  it('talks through a short burst followed by silence (the user backchannels), even twice', () => {
    const mmHmm = [...repeat(speech(150), 12), ...repeat(silence, 20)]; // 240 ms + 400 ms
    expect(run(new TurnPolicy(), [...mmHmm, ...mmHmm], 'answer')).toEqual([]);
  });

  it('does not count quiet speech (near the floor) toward a barge-in', () => {
    expect(run(new TurnPolicy(), repeat(quietSpeech, 50), 'answer')).toEqual([]);
  });

  it('answers when the barging user stops: the overlap speech is the start of their turn', () => {
    const p = new TurnPolicy();
    const n = DEFAULT_POLICY.bargeInSpeechMs / 20;
    const barge = [...repeat(speech(120), 40), ...glide(120, 90, 10)];
    const during = run(p, barge.slice(0, n), 'answer');
    expect(during.map((x) => x.d.kind)).toEqual(['barge_in']);
    const after = run(p, [...barge.slice(n), ...repeat(silence, 30)], 'silent');
    expect(after.map((x) => x.d)).toMatchObject([{ kind: 'answer', contour: 'final_fall', turnSpeechMs: 1000 }]);
  });
});
