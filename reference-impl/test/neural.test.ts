/** The neural and prosodic parts: Silero batching, turn-end features and model, the level gate, the bank's gaps. */
import { describe, expect, it } from 'vitest';
import { synthesize } from '../../datasets/tts/espeak.ts';
import { FRAME_SAMPLES, FrameChunker } from '../frames.ts';
import { Listener } from '../perception/listener.ts';
import { NeuralVad } from '../perception/neural-vad.ts';
import { PitchTracker } from '../perception/pitch.ts';
import { SileroStream } from '../perception/silero.ts';
import { EndOfTurnModel, FEATURE_NAMES, TurnTracker, bundledEndOfTurnModel } from '../perception/turn-end.ts';
import { shortenGaps } from '../voice-bank.ts';
import { testSilero, userTrack } from './conversation.ts';
import { concat, noise, sawtooth } from './signals.ts';

const framesOf = (pcm: Int16Array) => new FrameChunker().push(pcm);

describe('Silero through onnxruntime-node', () => {
  it('scores speech high and noise low, and batching across streams changes nothing', async () => {
    const silero = await testSilero();
    const s = await synthesize('The museum closes early on Fridays.', { name: 'en-gb-scotland', rate_wpm: 170, pitch: 50 });
    const speech = framesOf(userTrack(3_000, [{ pcm: s.pcm, atMs: 500 }]));
    const hiss = framesOf(noise(3_000, -50, 3, 'white'));
    const alone = async (fs: Int16Array[]) => {
      const st = new SileroStream(silero);
      const out: number[] = [];
      for (const f of fs) out.push(await st.push(f));
      return out;
    };
    const speechAlone = await alone(speech);
    const noiseAlone = await alone(hiss);
    // Both streams stepped together: their windows share batches.
    const a = new SileroStream(silero);
    const b = new SileroStream(silero);
    const together: [number, number][] = [];
    const before = silero.stats.batches;
    for (let i = 0; i < speech.length; i++) together.push(await Promise.all([a.push(speech[i]), b.push(hiss[i])]));
    expect(silero.stats.batches - before).toBe(Math.floor((speech.length * FRAME_SAMPLES) / 512));
    together.forEach(([x, y], i) => {
      expect(x).toBeCloseTo(speechAlone[i], 4);
      expect(y).toBeCloseTo(noiseAlone[i], 4);
    });
    expect(Math.max(...speechAlone)).toBeGreaterThan(0.9);
    expect(Math.max(...noiseAlone)).toBeLessThan(0.2);
  });
});

describe('TurnTracker features', () => {
  const voiced = (hz: number) => ({ levelDbfs: -20, pitchHz: hz });
  it('reads a final fall, a final rise and the last run', () => {
    const fall = new TurnTracker();
    for (let i = 0; i < 40; i++) fall.speech(voiced(120));
    for (let i = 0; i < 10; i++) fall.speech(voiced(120 - 3 * i));
    const f = fall.features();
    expect(f.fallSt).toBeLessThan(-3);
    expect(f.finalSlopeSt).toBeLessThan(0);
    expect(f.lastRunSec).toBeCloseTo(1.0, 5);
    expect(f.lastVoicedSec).toBeCloseTo(1.0, 5);

    const rise = new TurnTracker();
    for (let i = 0; i < 40; i++) rise.speech(voiced(120));
    rise.silence();
    for (let i = 0; i < 10; i++) rise.speech(voiced(110 + 4 * i));
    const r = rise.features();
    expect(r.riseSt).toBeGreaterThan(3);
    expect(r.finalSlopeSt).toBeGreaterThan(0);
    expect(r.lastRunSec).toBeCloseTo(0.2, 5);
  });

  it('the bundled model takes exactly these features; other weights are refused', () => {
    expect(bundledEndOfTurnModel().w.features).toEqual([...FEATURE_NAMES]);
    expect(() => new EndOfTurnModel({ ...bundledEndOfTurnModel().w, features: ['fallSt'] })).toThrow(/retrain/);
  });
});

describe('Listener level gate', () => {
  it('takes speech well under the user\'s own level for someone else (distant)', async () => {
    const listener = new Listener(new NeuralVad(new SileroStream(await testSilero())), new PitchTracker());
    const hear = async (pcm: Int16Array) => {
      const out = [];
      for (const f of framesOf(pcm)) out.push(await listener.hear(f));
      return out;
    };
    const s = await synthesize('I need to return these shoes because they are too small.', { name: 'en-us+m3', rate_wpm: 170, pitch: 50 });
    await hear(userTrack(4_000, [{ pcm: s.pcm, atMs: 300 }]));
    expect(listener.userLevelDbfs()).not.toBeNull();
    const quiet = Int16Array.from(s.pcm, (v) => Math.round(v * 10 ** (-12 / 20)));
    const heard = await hear(userTrack(4_000, [{ pcm: quiet, atMs: 300 }]));
    expect(heard.filter((h) => h.speech).length).toBeLessThan(5);
    expect(heard.filter((h) => h.distant).length).toBeGreaterThan(50);
  });
});

describe('voice bank gaps', () => {
  it('shortens a silence between sentences to MAX_INNER_GAP_MS, half from each side', () => {
    const tone = sawtooth(120, 200, -20);
    const pcm = concat(tone, new Int16Array(FRAME_SAMPLES * 20), tone);
    const out = shortenGaps(pcm, 180);
    expect(out.length).toBe(tone.length * 2 + 9 * FRAME_SAMPLES);
    expect(shortenGaps(concat(tone, new Int16Array(FRAME_SAMPLES * 5), tone), 180).length).toBe(tone.length * 2 + 5 * FRAME_SAMPLES);
  });
});
