import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSuite } from '../../harness/scenario/load.ts';
import type { Scenario } from '../../harness/scenario/schema.ts';
import { createMediaSource } from '../media-source.ts';
import { renderSuite } from './render-suite.ts';
import { CORE_FAMILY_COUNTS, CORE_SUITE_DIR, CORE_VOICES, buildCoreSuite, toYaml } from './core-suite.ts';
import { parseMarks } from './deal.ts';
import { USER_BACKCHANNELS } from './core-texts.ts';

const scenariosRoot = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const loaded = loadSuite('core', scenariosRoot);
const all = loaded.map((l) => l.scenario);
const family = (f: Scenario['family']) => all.filter((s) => s.family === f);
const range = (xs: number[]) => [Math.min(...xs), Math.max(...xs)];

describe('parseMarks', () => {
  it('turns | marks into the word indices they follow', () => {
    expect(parseMarks('I need a | flight to | Denver.')).toEqual({ text: 'I need a flight to Denver.', marks: [3, 5] });
  });
});

describe('scenarios/core', () => {
  it('is exactly what the recipe writes (commit-ready, deterministic)', () => {
    const built = buildCoreSuite();
    expect(buildCoreSuite()).toEqual(built);
    expect(loaded.map((l) => l.scenario.id)).toEqual(built.map((s) => s.id).sort());
    for (const s of built) expect(readFileSync(join(CORE_SUITE_DIR, `${s.id}.yaml`), 'utf8'), s.id).toBe(toYaml(s));
  });

  it('validates and has the family counts', () => {
    expect(all.length).toBe(62);
    expect(CORE_FAMILY_COUNTS).toEqual({ turn_taking: 14, pause: 14, backchannel: 10, interruption: 12, user_backchannel: 12 });
    for (const [f, n] of Object.entries(CORE_FAMILY_COUNTS)) expect(family(f as Scenario['family']).length, f).toBe(n);
    for (const s of all) {
      expect(s.tags?.slice(0, 2), s.id).toEqual(['core', s.family]);
      expect(s.seed, s.id).toBeTypeOf('number');
      expect(s.tail_ms, s.id).toBeGreaterThanOrEqual(3000);
      expect(s.timeline[0].at_ms, s.id).toBeGreaterThanOrEqual(500);
      expect(s.timeline[0].at_ms, s.id).toBeLessThanOrEqual(1500);
    }
  });

  it('varies voice, rate, pitch, noise floor and start time', () => {
    expect(new Set(all.map((s) => s.voice!.name))).toEqual(new Set(CORE_VOICES.map((v) => v.name)));
    const rates = all.map((s) => s.voice!.rate_wpm!);
    expect(range(rates)[0]).toBeGreaterThanOrEqual(140);
    expect(range(rates)[1]).toBeLessThanOrEqual(210);
    expect(range(rates)[1] - range(rates)[0]).toBeGreaterThan(50);
    expect(new Set(all.map((s) => s.voice!.pitch)).size).toBeGreaterThan(15);
    expect(new Set(all.map((s) => s.noise!.kind))).toEqual(new Set(['room_tone', 'pink']));
    const levels = all.map((s) => s.noise!.level_dbfs);
    expect(range(levels)[0]).toBeGreaterThanOrEqual(-62);
    expect(range(levels)[1]).toBeLessThanOrEqual(-50);
    expect(new Set(levels).size).toBeGreaterThan(8);
    expect(new Set(all.map((s) => s.timeline[0].at_ms)).size).toBeGreaterThan(40);
    expect(all.filter((s) => s.tags!.includes('female')).length).toBeGreaterThan(15);
    for (const f of Object.keys(CORE_FAMILY_COUNTS))
      expect(new Set(family(f as Scenario['family']).map((s) => s.voice!.name)).size, f).toBeGreaterThanOrEqual(5);
  });

  it('keeps the fixed shape of each family', () => {
    for (const s of family('turn_taking')) {
      expect(
        s.timeline.every((a) => a.speak?.text && a.expect?.[0]?.take_turn?.within_ms === 1500),
        s.id,
      ).toBe(true);
      if (s.timeline[1]) expect(s.timeline[1].after).toMatchObject({ event: 'agent_speech_end', timeout_ms: 15_000 });
    }
    expect(family('turn_taking').filter((s) => s.timeline.length === 2).length).toBe(7);
    for (const s of family('pause')) {
      const pauses = s.timeline[0].speak!.pauses!;
      expect(pauses.length, s.id).toBeGreaterThanOrEqual(1);
      expect(pauses.length, s.id).toBeLessThanOrEqual(2);
      const words = s.timeline[0].speak!.text!.split(' ');
      for (const p of pauses) {
        expect(p.ms, s.id).toBeGreaterThanOrEqual(500);
        expect(p.ms, s.id).toBeLessThanOrEqual(2500);
        expect(words[p.after_word - 1], `${s.id}: mid-clause`).toMatch(/[A-Za-z]$/);
      }
      expect(s.timeline[0].expect).toEqual([{ no_takeover: {} }, { take_turn: { within_ms: 1500 } }]);
    }
    const pauseMs = family('pause').flatMap((s) => s.timeline[0].speak!.pauses!.map((p) => p.ms));
    expect(range(pauseMs)[1] - range(pauseMs)[0]).toBeGreaterThan(1500);
    for (const s of family('backchannel')) {
      const pauses = s.timeline[0].speak!.pauses!;
      expect(pauses.length, s.id).toBeGreaterThanOrEqual(2);
      expect(pauses.length, s.id).toBeLessThanOrEqual(4);
      for (const p of pauses) expect(p.ms >= 400 && p.ms <= 1200, s.id).toBe(true);
      expect(s.timeline[0].expect).toEqual([{ backchannel_opportunity: {} }, { no_takeover: {} }, { take_turn: { within_ms: 2000 } }]);
    }
    for (const s of family('interruption')) {
      const [ask, barge] = s.timeline;
      expect(ask.expect).toEqual([{ take_turn: { within_ms: 2000 } }]);
      expect(barge.after?.event).toBe('agent_speech_start');
      expect(barge.after!.delay_ms! >= 800 && barge.after!.delay_ms! <= 2500, s.id).toBe(true);
      expect(barge.expect).toEqual([{ stop: { within_ms: 1500 } }, { answer: { within_ms: 2500 } }]);
    }
    for (const s of family('user_backchannel')) {
      const [ask, mhm] = s.timeline;
      expect(ask.expect).toEqual([{ take_turn: { within_ms: 2000 } }]);
      expect(USER_BACKCHANNELS).toContain(mhm.backchannel?.text);
      expect(mhm.after!.delay_ms! >= 1000 && mhm.after!.delay_ms! <= 2500, s.id).toBe(true);
      expect(mhm.expect).toEqual([{ keep_talking: {} }]);
    }
  });

  it('renders: every pause opens at a real word boundary, monologues run 20-40 s', async () => {
    const withPauses = loaded.filter((l) => l.scenario.family === 'pause' || l.scenario.family === 'backchannel');
    const rendered = await renderSuite(withPauses, createMediaSource());
    for (const { key, rendered: r } of rendered) {
      const speech = withPauses.find((l) => l.key === key)!.scenario.timeline[0].speak!;
      expect(
        r.pauses.map((p) => p.endMs - p.startMs),
        key,
      ).toEqual(speech.pauses!.map((p) => p.ms));
      if (key.includes('backchannel')) {
        const durationS = (r.speechEndMs - r.speechStartMs) / 1000;
        expect(durationS, key).toBeGreaterThanOrEqual(20);
        expect(durationS, key).toBeLessThanOrEqual(40);
      }
    }
  });
});
