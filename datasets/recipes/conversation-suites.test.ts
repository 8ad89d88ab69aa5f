import { describe, expect, it } from 'vitest';
import { loadSuite } from '../../harness/scenario/load.ts';
import { BUILDERS, buildSuite, SCENARIOS_DIR, SCENARIOS_PER_FAMILY } from './conversation-suites.ts';
import { buildLongSession, LONG_SESSION_MINUTES } from './long-session-suite.ts';

describe('conversation suites', () => {
  for (const family of Object.keys(BUILDERS) as (keyof typeof BUILDERS)[]) {
    it(`${family}: ${SCENARIOS_PER_FAMILY} valid scenarios, the files on disk are what the recipe makes`, () => {
      const built = buildSuite(family);
      expect(built).toHaveLength(SCENARIOS_PER_FAMILY);
      expect(buildSuite(family)).toEqual(built);
      const loaded = loadSuite(family, SCENARIOS_DIR);
      expect(loaded.map((l) => l.scenario)).toEqual(built);
      expect(new Set(built.map((s) => s.family))).toEqual(new Set([family]));
      // Varied: more than one voice and more than one set of tags.
      expect(new Set(built.map((s) => s.voice?.name)).size).toBeGreaterThan(1);
      expect(new Set(built.map((s) => JSON.stringify(s.tags))).size).toBeGreaterThan(2);
    });
  }

  it('long sessions: 30 and 60 minutes, one block a minute, every family mixed in, in sync with the files', () => {
    const loaded = loadSuite('long_session', SCENARIOS_DIR);
    LONG_SESSION_MINUTES.forEach((minutes, i) => {
      const s = buildLongSession(minutes);
      expect(loaded[i].scenario).toEqual(s);
      const starts = s.timeline.filter((a) => a.at_ms !== undefined).map((a) => a.at_ms!);
      expect(Math.max(...starts)).toBeGreaterThan((minutes - 1) * 60_000);
      const kinds = new Set(s.timeline.flatMap((a) => (a.expect ?? []).flatMap((e) => Object.keys(e))));
      for (const k of ['take_turn', 'no_takeover', 'stop', 'keep_talking', 'ignore', 'react', 'speak_at', 'deliver'])
        expect(kinds, `${minutes} min: ${k}`).toContain(k);
    });
  });
});
