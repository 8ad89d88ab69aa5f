/**
 * Festival (festival.ts), the reference agent's training engine: its renderings with known
 * answers, the Debian install it needs (set-up installs it for the tests), and its place
 * outside every suite. The renderings need Debian festival and festvox-kdlpc16k: skipped where
 * they are missing, except in CI, where set-up installs them and their absence fails.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { InputError } from '../../harness/errors.ts';
import { parseScenario } from '../../harness/scenario/load.ts';
import { FRAME_SAMPLES } from '../../reference-impl/frames.ts';
import { PitchTracker } from '../../reference-impl/perception/pitch.ts';
import { OPTIONAL_DEBIAN } from '../../scripts/apt.mjs';
import { inCi } from '../../testing/ci.ts';
import { loudExtent } from './align.ts';
import { ENGINE_INFO, engineVersion, loadEngine, notInstalled, SUITE_ENGINES, synthesizeWith, type SpeechVoice } from './engine.ts';
import { MEASURE_TEXTS, pauseEdgeError, stats } from './measure.ts';
import { parseVoiceSet } from './voice-set.ts';
import { scenarioFiles, voicesIn } from '../recipes/testing/scenario-scan.ts';

const root = resolve(import.meta.dirname, '../..');
const installed = engineVersion('festival') !== undefined;
const KED: SpeechVoice = { engine: 'festival', name: 'ked', rate_wpm: 175, pitch: 50 };
const TEXT = 'Could you tell me how long it takes to get to the station from here?';

const rmsDbfs = (pcm: Int16Array) => 20 * Math.log10(Math.sqrt(pcm.reduce((s, x) => s + x * x, 0) / pcm.length) / 32768);

/** Median F0 in Hz over the voiced 20 ms frames. */
function medianF0(pcm: Int16Array): number {
  const tracker = new PitchTracker();
  const hz: number[] = [];
  for (let i = 0; i + FRAME_SAMPLES <= pcm.length; i += FRAME_SAMPLES) {
    const f = tracker.process(pcm.subarray(i, i + FRAME_SAMPLES)).hz;
    if (f !== null) hz.push(f);
  }
  hz.sort((a, b) => a - b);
  return hz[Math.floor(hz.length / 2)];
}

describe.runIf(inCi && !installed)('Festival in CI', () => {
  it('is installed, so its tests run', () => {
    expect.fail(
      `Debian festival festvox-kdlpc16k are missing, and CI=${process.env.CI} says this is CI, where set-up installs them (node scripts/setup.mjs --festival, as root).`,
    );
  });
});

describe.skipIf(!installed)('festival renderings (Debian festival, festvox-kdlpc16k; skipped when missing outside CI)', () => {
  it('renders 16 kHz speech, one timing per token, in order and inside the audio, the same every time', async () => {
    const a = await synthesizeWith(TEXT, KED);
    const b = await synthesizeWith(TEXT, KED);
    expect(b.pcm).toEqual(a.pcm);
    expect(b.words).toEqual(a.words);
    expect(a.sampleRate).toBe(16_000);
    expect(rmsDbfs(a.pcm)).toBeGreaterThan(-35);
    expect(a.words.map((w) => w.text)).toEqual(TEXT.split(' '));
    const durationMs = a.pcm.length / 16;
    for (const [i, w] of a.words.entries()) {
      expect(w.endMs).toBeGreaterThan(w.startMs);
      expect(w.endMs).toBeLessThanOrEqual(durationMs);
      if (i > 0) expect(w.startMs).toBeGreaterThanOrEqual(a.words[i - 1].endMs);
    }
    // The words hold the sound: the first starts at most 5 ms after the first sample at -45 dBFS
    // (before it by a stop's silent closure: 69 ms for the k of "Could"), the last ends between
    // 15 ms before and 60 ms after the last such sample (measured: 43 ms after, the r of "here").
    const loud = loudExtent(a.pcm);
    expect(a.words[0].startMs).toBeGreaterThanOrEqual(loud.start / 16 - 100);
    expect(a.words[0].startMs).toBeLessThanOrEqual(loud.start / 16 + 5);
    expect(a.words.at(-1)!.endMs).toBeGreaterThanOrEqual(loud.end / 16 - 15);
    expect(a.words.at(-1)!.endMs).toBeLessThanOrEqual(loud.end / 16 + 60);
  }, 60_000);

  it('a token read as several words spans them all; a token not spoken has zero length where the one before ends', async () => {
    const r = await synthesizeWith('It costs 1500 dollars - really.', KED);
    const [it_, costs, number, dollars, dash, really] = r.words;
    expect(r.words.map((w) => w.text)).toEqual(['It', 'costs', '1500', 'dollars', '-', 'really.']);
    // "fifteen hundred": longer than "costs" and "dollars".
    expect(number.endMs - number.startMs).toBeGreaterThan(Math.max(costs.endMs - costs.startMs, dollars.endMs - dollars.startMs));
    expect(number.startMs).toBeGreaterThanOrEqual(costs.endMs);
    expect([dash.startMs, dash.endMs]).toEqual([dollars.endMs, dollars.endMs]);
    expect(really.startMs).toBeGreaterThanOrEqual(dash.endMs);
    expect(it_.startMs).toBeGreaterThan(0);
  }, 60_000);

  it('rate moves the duration and pitch the median F0, each the right way', async () => {
    const length = async (rate_wpm: number) => (await synthesizeWith(TEXT, { ...KED, rate_wpm })).pcm.length;
    const [slow, own, fast] = [await length(120), await length(175), await length(300)];
    expect(slow).toBeGreaterThan(own * 1.25);
    expect(fast).toBeLessThan(own * 0.75);
    const f0 = async (pitch: number) => medianF0((await synthesizeWith(TEXT, { ...KED, pitch })).pcm);
    const [low, mid, high] = [await f0(5), await f0(50), await f0(95)];
    // ±3.6 semitones asked for at 5 and 95: 0.81 and 1.23 times the voice's own.
    expect(low).toBeLessThan(mid * 0.9);
    expect(high).toBeGreaterThan(mid * 1.1);
  }, 60_000);

  it('pauses planted at its word timings (openPauses, as scenarios plant them) are silent where they were put', async () => {
    const s = stats(await pauseEdgeError(KED, MEASURE_TEXTS.slice(0, 2)));
    expect(s.n).toBeGreaterThanOrEqual(16);
    expect(s.medianMs).toBeLessThanOrEqual(10);
    expect(s.withinFrame).toBeGreaterThanOrEqual(0.7);
  }, 60_000);

  it('lists ked among its voices; any other name is bad input naming them', async () => {
    expect(await (await loadEngine('festival')).voices()).toContain('ked');
    const bad = synthesizeWith(TEXT, { ...KED, name: 'slt' });
    await expect(bad).rejects.toThrow(InputError);
    await expect(bad).rejects.toThrow(/unknown festival voice "slt"/);
    await expect(bad).rejects.toMatchObject({ hint: expect.stringMatching(/ked/) });
  });

  it('a text without a word it can say is bad input (Festival itself would crash on it)', async () => {
    for (const text of ['...', '- -', '日本語']) await expect(synthesizeWith(text, KED)).rejects.toThrow(/festival speaks no word of this text/);
    expect((await synthesizeWith('Still here.', KED)).words.map((w) => w.text)).toEqual(['Still', 'here.']);
  });
});

describe('festival install', () => {
  it('when missing, the error names its Debian packages and the apt-get command', () => {
    const e = notInstalled('festival');
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toBe('speech engine "festival" is not installed (Debian packages festival festvox-kdlpc16k)');
    expect(e.hint).toMatch(/`apt-get install festival festvox-kdlpc16k`/);
    expect(notInstalled('flite').hint).toMatch(/npm ci/);
  });

  it("set-up installs the engine's own Debian packages when the tests ask (npm test: --festival)", () => {
    const want = OPTIONAL_DEBIAN.find((d) => d.option === '--festival');
    expect({ debian: want?.packages }).toEqual(ENGINE_INFO.festival.ships);
    expect((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { test: string } }).scripts.test).toMatch(
      /^node scripts\/setup\.mjs [^&]*--festival/,
    );
  });
});

describe('festival stays out of every suite', () => {
  /** The engine of every voice in every scenario file under scenarios/ (each suite, held_out included). */
  const scenarioEngines = () =>
    scenarioFiles()
      .flatMap((f) => voicesIn(parse(readFileSync(f, 'utf8'))))
      .flatMap((v) => (v.engine ? [v.engine] : []));

  it('no scenario file names it; the suites name only suite engines', () => {
    const engines = scenarioEngines();
    expect(engines.length).toBeGreaterThan(0); // held_out renders with flite and gnuspeech
    expect(engines).not.toContain('festival');
    for (const e of engines) expect(SUITE_ENGINES).toContain(e);
  });

  it('a scenario and --voices that name it are refused', () => {
    const scenario = (engine: string) =>
      `version: 1\nid: x\nfamily: turn_taking\nvoice: {engine: ${engine}, name: ked}\ntimeline: [{id: a, at_ms: 0, speak: {text: Hi.}}]\n`;
    expect(parseScenario(scenario('flite'), 'x.yaml').scenario.id).toBe('x');
    expect(() => parseScenario(scenario('festival'), 'x.yaml')).toThrow(InputError);
    expect(() => parseVoiceSet('festival:ked')).toThrow(/speech engine "festival" renders only the reference agent's training speech, never a suite/);
  });
});
