import { describe, expect, it } from 'vitest';
import { foldWords } from '../../harness/content/says.ts';
import { MONOLOGUES } from './core-texts.ts';
import { buildSuite } from './conversation-suites.ts';
import { INTERPRET_KEYWORDS, INTERPRET_MIN_KEYWORDS } from './interpret-keywords.ts';

describe('content checks of the timed suites', () => {
  it('interpretation keywords: one set per monologue, each concept a word of it, no target word an English one of it', () => {
    expect(INTERPRET_KEYWORDS).toHaveLength(MONOLOGUES.length);
    INTERPRET_KEYWORDS.forEach((concepts, i) => {
      const monologue = foldWords(MONOLOGUES[i]);
      expect(concepts.length).toBeGreaterThan(INTERPRET_MIN_KEYWORDS);
      for (const c of concepts) {
        expect(monologue, `monologue ${i}: ${c.en}`).toContain(foldWords(c.en));
        // An echo of the English must not pass: no translation appears in the monologue itself.
        for (const word of [...c.es, ...c.fr, ...c.de, ...c.it]) expect(monologue, `monologue ${i}: ${word}`).not.toContain(foldWords(word));
      }
    });
  });

  it.each(['time_awareness', 'simultaneous_speech', 'background_task'] as const)('%s: every timed expectation checks content', (family) => {
    for (const s of buildSuite(family)) {
      const timed = s.timeline.flatMap((a) => (a.expect ?? []).flatMap((e) => [e.speak_at, e.interpret, e.deliver].filter((x) => x !== undefined)));
      expect(timed.length, s.id).toBeGreaterThan(0);
      for (const t of timed) expect(t.says, s.id).toBeDefined();
    }
  });
});
