import { describe, expect, it } from 'vitest';
import { parseScenario } from './load.ts';
import { InputError } from '../errors.ts';

const scenario = (says: string) => `
version: 1
id: says
family: time_awareness
timeline:
  - id: ask
    at_ms: 500
    speak: { text: "remind me in ten seconds" }
    expect:
      - speak_at:
          after_ms: 10000
          within_ms: 1000
          says: ${says}
`;

function errorOf(text: string): InputError {
  try {
    parseScenario(text, '/tmp/says.yaml');
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('content checks (says) in a scenario', () => {
  it('accepts keywords with alternatives, numbers, a pattern and a judge criterion', () => {
    const loaded = parseScenario(
      scenario('{ keywords: [oven, [tea, "tea bag"]], min_keywords: 1, numbers: [10], pattern: "now|time", judge: "says it is time" }'),
      '/tmp/says.yaml',
    );
    expect(loaded.scenario.timeline[0].expect?.[0].speak_at?.says?.keywords).toEqual(['oven', ['tea', 'tea bag']]);
  });

  it('an empty check, an unknown key, a bad pattern or too high a min_keywords is bad input, with its line and field', () => {
    expect(errorOf(scenario('{}')).field).toMatch(/says/);
    expect(errorOf(scenario('{ words: [oven] }')).message).toMatch(/words/);
    const pattern = errorOf(scenario('{ pattern: "(unclosed" }'));
    expect(pattern.message).toMatch(/says.pattern is not a valid regular expression/);
    expect(pattern.field).toBe('timeline.0.expect.0.speak_at.says.pattern');
    expect(pattern.line).toBe(13);
    const min = errorOf(scenario('{ keywords: [oven], min_keywords: 2 }'));
    expect(min.message).toBe('says.min_keywords is 2, but 1 keywords are given');
    expect(min.field).toBe('timeline.0.expect.0.speak_at.says.min_keywords');
  });
});
