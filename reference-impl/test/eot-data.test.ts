/**
 * The end-of-turn model's data stays apart from everything it is scored on: its training and
 * development texts share no sentence with each other or with any scenario file (held-out set
 * included). That no scenario speaks in its training engine, Festival, is checked in
 * datasets/tts/festival.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scenarioFiles, sentencesOf, stringsUnder } from '../../datasets/recipes/testing/scenario-scan.ts';
import { DEV_TEXTS, TRAIN_TEXTS } from '../tools/eot-texts.ts';

const scenarios = scenarioFiles().map((f) => ({ file: f, tree: parse(readFileSync(f, 'utf8')) as unknown }));

describe('end-of-turn training and development data', () => {
  it('train and dev share no sentence, and neither repeats one', () => {
    const train = TRAIN_TEXTS.flatMap(sentencesOf);
    const dev = DEV_TEXTS.flatMap(sentencesOf);
    expect(new Set(train).size).toBe(train.length);
    expect(new Set(dev).size).toBe(dev.length);
    for (const s of dev) expect(train, s).not.toContain(s);
  });

  it('no scenario file, in any suite, says one of their sentences', () => {
    expect(scenarios.length).toBeGreaterThan(100);
    const said = new Set(scenarios.flatMap(({ tree }) => stringsUnder(tree, 'text').flatMap(sentencesOf)));
    expect(said.size).toBeGreaterThan(250);
    for (const s of [...TRAIN_TEXTS, ...DEV_TEXTS].flatMap(sentencesOf)) expect(said.has(s), `"${s}" is in a scenario file`).toBe(false);
  });
});
