/**
 * Bad input, answered: every file of the written corpus (corpus/: scenarios, gate configs,
 * chaos plans, WAV clips with the scenarios that use them) and generated ones (fast-check
 * mutations of valid files, random bytes) must be refused with an InputError naming the file,
 * the line (for text files; a clip's error names the clip and the scenario line that uses it)
 * and what to do. They go through the functions the CLI calls; a sample goes through the real
 * CLI for exit code 2 and the absence of a stack trace.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { loadScenarioFile } from '../../harness/scenario/load.ts';
import { loadGateConfig } from '../../harness/gate/config.ts';
import { loadPlanFile, readChaosPlan } from '../../adapters/chaos/plan.ts';
import { checkClips } from '../../harness/scenario/check-clips.ts';
import { createMediaSource } from '../../datasets/media-source.ts';
import { encodeWav } from '../../datasets/audio/wav.ts';
import { InputError } from '../../harness/errors.ts';

const root = resolve(import.meta.dirname, '..', '..');
const corpus = join(import.meta.dirname, 'corpus');
const media = createMediaSource();
let tmp: string;
let answered = 0;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'crosstalk-bad-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  console.log(`bad inputs answered with file, line and a fix: ${answered}`);
});

/** What each corpus file must be answered with: its first line, `# expect: <regex>`. */
function expected(file: string): RegExp {
  const m = /^# expect: (.*)$/m.exec(readFileSync(file, 'utf8').split('\n')[0]);
  if (!m) throw new Error(`${file} has no "# expect:" first line`);
  return new RegExp(m[1], 'i');
}

/** Run `load`; it must throw an InputError that names `file`, a line, and a hint. */
async function refused(file: string, load: () => unknown, opts: { line?: boolean } = {}): Promise<InputError> {
  let error: unknown;
  try {
    await load();
  } catch (e) {
    error = e;
  }
  expect(error, `${file} was accepted`).toBeInstanceOf(InputError);
  const e = error as InputError;
  expect(e.file, `${file}: ${e.describe()}`).toBe(file);
  if (opts.line !== false) expect(e.line, `${file}: no line in: ${e.describe()}`).toBeGreaterThanOrEqual(1);
  expect(e.hint?.length ?? 0, `${file}: no hint in: ${e.describe()}`).toBeGreaterThan(5);
  answered++;
  return e;
}

const filesIn = (sub: string, ext = '.yaml') =>
  readdirSync(join(corpus, sub))
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => join(corpus, sub, f));

describe('written corpus', () => {
  it('scenario files: schema, syntax and semantic mistakes', async () => {
    const files = filesIn('scenarios');
    expect(files.length).toBeGreaterThanOrEqual(45);
    for (const f of files) expect((await refused(f, () => loadScenarioFile(f))).describe(), f).toMatch(expected(f));
  });

  it('media: clips of the wrong format, refused before any session with the scenario line and the clip', async () => {
    const files = filesIn('media');
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const f of files) {
      const e = await refused(f, () => checkClips([loadScenarioFile(f)], media));
      expect(e.describe(), f).toMatch(expected(f));
      expect(e.message, f).toContain(f.replace(/\.yaml$/, '.wav'));
      expect(e.line).toBe(8);
    }
  });

  it('gate configs', async () => {
    const files = filesIn('gate');
    for (const f of files) expect((await refused(f, () => loadGateConfig(f))).describe(), f).toMatch(expected(f));
  });

  it('chaos plans', async () => {
    const files = filesIn('chaos');
    for (const f of files) expect((await refused(f, () => loadPlanFile(f))).describe(), f).toMatch(expected(f));
  });

  it('aliases within the bound still load: the alias-bomb files are refused for their expansion, not for using aliases', () => {
    const file = join(tmp, 'aliases.yaml');
    writeFileSync(
      file,
      'version: 1\nid: aliases\nfamily: turn_taking\ntimeline:\n  - { id: a, at_ms: 500, speak: { text: &t one }, expect: [&wait { take_turn: { within_ms: 1500 } }] }\n  - { id: b, at_ms: 4000, speak: { text: *t }, expect: [*wait] }\n',
    );
    expect(loadScenarioFile(file).scenario.timeline[1].expect).toEqual([{ take_turn: { within_ms: 1500 } }]);
  });
});

const VALID = {
  version: 1,
  id: 'gen',
  family: 'turn_taking',
  tail_ms: 2000,
  timeline: [
    { id: 'a', at_ms: 500, speak: { text: 'what time is it', pauses: [{ after_word: 2, ms: 600 }] }, expect: [{ take_turn: { within_ms: 1500 } }] },
    { id: 'b', after: { event: 'agent_speech_end', delay_ms: 300 }, backchannel: { text: 'mm-hmm' } },
  ],
};

/** Paths into VALID and values that are wrong there whatever else is generated. */
const junk = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -1e9, max: -1 }),
  fc.string({ minLength: 1, maxLength: 12 }).map((s) => `~${s}`),
  fc.constant([]),
  fc.constant({ zz: 1 }),
);
const mutation = fc.oneof(
  fc.record({
    path: fc.constantFrom(
      ['version'],
      ['id'],
      ['family'],
      ['tail_ms'],
      ['timeline'],
      ['timeline', 0, 'at_ms'],
      ['timeline', 0, 'speak'],
      ['timeline', 0, 'speak', 'text'],
      ['timeline', 0, 'speak', 'pauses', 0, 'ms'],
      ['timeline', 0, 'expect', 0, 'take_turn', 'within_ms'],
      ['timeline', 1, 'after', 'event'],
      ['timeline', 1, 'backchannel'],
    ),
    value: junk,
  }),
  fc.record({
    path: fc.constantFrom(['timeline', 0], ['timeline', 1, 'after'], [], ['timeline', 0, 'speak']),
    value: fc.constant(undefined),
    extra: fc.stringMatching(/^[a-z]{3,10}$/),
  }),
);

function mutate(m: { path: readonly (string | number)[]; value: unknown; extra?: string }): unknown {
  const copy = structuredClone(VALID) as Record<string | number, unknown>;
  if (m.extra !== undefined) {
    // An unknown key beside the known ones (named so it cannot collide with one).
    let node = copy as Record<string | number, unknown>;
    for (const k of m.path) node = node[k] as Record<string | number, unknown>;
    node[`x_${m.extra}`] = 1;
    return copy;
  }
  let node = copy;
  for (const k of m.path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  node[m.path[m.path.length - 1]] = m.value;
  return copy;
}

describe('generated (fast-check)', () => {
  it('scenarios: one field made wrong, or an unknown key added, anywhere in a valid scenario', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const file = join(tmp, `mut-${n++}.yaml`);
        writeFileSync(file, stringify(mutate(m)));
        await refused(file, () => loadScenarioFile(file));
      }),
      { numRuns: 40, seed: 42 },
    );
  });

  it('scenarios: random text after a valid first line', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => {
        const file = join(tmp, `text-${n++}.yaml`);
        writeFileSync(file, `version: 1\n${text}`);
        await refused(file, () => loadScenarioFile(file));
      }),
      { numRuns: 20, seed: 7 },
    );
  });

  it('clips: random bytes, and valid WAVs with one header field broken', async () => {
    let n = 0;
    const good = Buffer.from(
      encodeWav(
        new Int16Array(3200).map((_, i) => Math.round(6000 * Math.sin(i / 5))),
        16_000,
      ),
    );
    const header = fc
      .record({ offset: fc.constantFrom(0, 8, 12, 20, 22, 34, 36), byte: fc.integer({ min: 0, max: 255 }) })
      .filter(({ offset, byte }) => good[offset] !== byte);
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      header.map(({ offset, byte }) => {
        const b = Buffer.from(good);
        b[offset] = byte;
        return b;
      }),
    );
    await fc.assert(
      fc.asyncProperty(bytes, async (b) => {
        const clip = join(tmp, `clip-${n}.wav`);
        const file = join(tmp, `clip-${n++}.yaml`);
        writeFileSync(clip, b);
        writeFileSync(file, `version: 1\nid: c\nfamily: turn_taking\ntimeline:\n  - id: a\n    at_ms: 500\n    speak: { clip: ${clip} }\n`);
        await refused(file, () => checkClips([loadScenarioFile(file)], media));
      }),
      { numRuns: 20, seed: 3 },
    );
  });

  it('gate configs: thresholds with one part wrong', async () => {
    let n = 0;
    const part = (good: string[], bad: fc.Arbitrary<string>) => fc.tuple(fc.boolean(), fc.constantFrom(...good), bad);
    const threshold = fc
      .tuple(
        part(['turn_taking.latency_ms', 'pause.takeover'], fc.stringMatching(/^[a-z]{2,8}\.[a-z]{2,8}$/)),
        part(['p90', 'median'], fc.stringMatching(/^q[0-9]{1,3}$/)),
        part(['<', '<='], fc.constantFrom('=<', '~', '<>', '!')),
        part(['800', '0.1'], fc.stringMatching(/^[a-z]{1,6}$/)),
      )
      .filter((parts) => parts.some(([broken]) => broken))
      .map((parts) => parts.map(([broken, good, bad]) => (broken ? bad : good)).join(' '));
    await fc.assert(
      fc.asyncProperty(threshold, async (t) => {
        const file = join(tmp, `gate-${n++}.yaml`);
        writeFileSync(file, `thresholds:\n  - "${t}"\n`);
        await refused(file, () => loadGateConfig(file));
      }),
      { numRuns: 20, seed: 11 },
    );
  });

  it('chaos plans: faults with one field wrong', async () => {
    let n = 0;
    const fault = fc.oneof(
      fc.record({ kind: fc.stringMatching(/^[a-z]{3,9}$/).filter((k) => !['stall', 'close', 'corrupt', 'truncate'].includes(k)), at_ms: fc.nat(5000) }),
      fc.record({ kind: fc.constant('stall'), at_ms: fc.nat(5000), for_ms: fc.oneof(fc.integer({ max: 0 }), fc.constant('long')) }),
      fc.record({ kind: fc.constant('close'), at_ms: fc.nat(5000), code: fc.oneof(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 5000 })) }),
      fc.record({ kind: fc.constant('disconnect'), at_ms: fc.oneof(fc.integer({ max: -1 }), fc.constant('now')) }),
    );
    await fc.assert(
      fc.asyncProperty(fault, async (f) => {
        const file = join(tmp, `chaos-${n++}.yaml`);
        writeFileSync(file, stringify({ faults: [f] }));
        await refused(file, () => loadPlanFile(file));
        // The same plan given inline as JSON is refused too (no file to name there).
        expect(() => readChaosPlan({ faults: [f] })).toThrow(InputError);
      }),
      { numRuns: 20, seed: 5 },
    );
  });
});

describe('through the real CLI: exit 2, a message, never a stack trace', () => {
  function crosstalk(...args: string[]) {
    const r = spawnSync(process.execPath, [join(root, 'bin', 'crosstalk.mjs'), ...args], { cwd: tmp, encoding: 'utf8', timeout: 120_000 });
    return { code: r.status, err: r.stderr };
  }
  const run = (suite: string, ...more: string[]) =>
    crosstalk('run', '--suite', suite, '--adapter', 'scripted', '--clock', 'virtual', '--out', join(tmp, 'cli.duckdb'), ...more);
  const sc = (name: string) => join(corpus, 'scenarios', `${name}.yaml`);
  const cases: [string, () => { code: number | null; err: string }, RegExp][] = [
    ['YAML syntax', () => run(sc('syntax-tab-indent')), /syntax-tab-indent\.yaml:\d+: YAML syntax error/],
    ['unknown field', () => run(sc('unknown-action-field')), /unknown-action-field\.yaml:7: timeline\.0\.at: unknown field "at"\n  Allowed here:/],
    ['duplicate id', () => run(sc('duplicate-action-id')), /duplicate-action-id\.yaml:\d+: timeline\.1\.id: duplicate action id "a"\n  /],
    ['empty file', () => run(sc('empty-file')), /empty-file\.yaml:1: a scenario must be a YAML mapping/],
    ['alias bomb', () => run(sc('alias-bomb')), /alias-bomb\.yaml:6: YAML aliases expand to more than 100 nodes \(an alias bomb\?\)\n  Write the values out/],
    [
      'float clip',
      () => run(join(corpus, 'media', 'float32.yaml')),
      /float32\.yaml:8: timeline\.0\.speak\.clip: clip .*float32\.wav: unusable clip: found 32-bit float samples.*\n  Convert it with: ffmpeg/,
    ],
    ['text as clip', () => run(join(corpus, 'media', 'text.yaml')), /text\.yaml:8: .*not a WAV file/],
    [
      'gate config',
      () => crosstalk('gate', join(tmp, 'cli.duckdb'), '--config', join(corpus, 'gate', 'threshold-unknown-metric.yaml')),
      /threshold-unknown-metric\.yaml:\d+: /,
    ],
    [
      'gate config key',
      () => crosstalk('gate', join(tmp, 'cli.duckdb'), '--config', join(corpus, 'gate', 'baseline-unknown-key.yaml')),
      /baseline-unknown-key\.yaml:\d+: baseline\.alpha: unknown key "alpha" in baseline\n  /,
    ],
    [
      '--shard',
      () => run(join(root, 'test', 'fixtures', 'ok'), '--shard', '5/4'),
      /--shard: --shard must be i\/n with 1 <= i <= n, got "5\/4"\n  Write e\.g\./,
    ],
    ['--resume', () => run(join(root, 'test', 'fixtures', 'ok'), '--resume', join(tmp, 'none.duckdb')), /none\.duckdb: --resume: no store to resume\n  /],
  ];
  it(`${cases.length} sampled bad inputs`, () => {
    // The gate cases need a store to exist (the config is read after it is opened).
    expect(run(join(root, 'test', 'fixtures', 'ok')).code).toBe(0);
    for (const [name, go, message] of cases) {
      const r = go();
      expect(r.code, `${name}: ${r.err}`).toBe(2);
      expect(r.err, name).toMatch(/^error: /);
      expect(r.err, name).toMatch(message);
      expect(r.err, name).not.toMatch(/^\s+at .+:\d+(:\d+)?\)?$/m);
      expect(r.err, name).not.toMatch(/internal error/);
    }
  });
});
