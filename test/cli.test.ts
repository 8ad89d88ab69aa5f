/**
 * The `crosstalk` command as users meet it: messages that name the file, line and field, and
 * the documented exit codes (0 ok, 1 harness/adapter error, 2 bad input, 3 check failed).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { scenarioJsonSchema } from '../cli/commands/schema.ts';

const root = resolve(import.meta.dirname, '..');
const fixtures = join(root, 'test', 'fixtures');
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'crosstalk-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function crosstalk(...args: string[]) {
  return crosstalkWith({}, ...args);
}

function crosstalkWith(env: NodeJS.ProcessEnv, ...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'crosstalk.mjs'), ...args], {
    cwd: tmp,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('crosstalk CLI', () => {
  it('a YAML syntax error names the file and line, exit 2, no stack trace', () => {
    const r = crosstalk('run', '--suite', join(fixtures, 'bad', 'syntax.yaml'), '--out', join(tmp, 'a.duckdb'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/syntax\.yaml:\d+: YAML syntax error/);
    expect(r.err).not.toMatch(/at .*\.ts:\d+/);
  });

  it('an unknown field names file, line and field path', () => {
    const r = crosstalk('run', '--suite', join(fixtures, 'bad', 'unknown-field.yaml'), '--out', join(tmp, 'b.duckdb'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown-field\.yaml:9: timeline\.0\.expect\.0\.take_turn\.within_msec: unknown field "within_msec"\n  Allowed here: within_ms/);
  });

  it('missing media names the clip and what to do', () => {
    const r = crosstalk('run', '--suite', join(fixtures, 'bad', 'missing-clip.yaml'), '--out', join(tmp, 'c.duckdb'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/missing-clip\.yaml:7: timeline\.0\.clip: clip not found: .*no-such-file\.wav/);
    expect(r.err).toMatch(/relative to the scenario file/);
  });

  it('an unreachable server: errored sessions, a message naming the URL, exit 1, the recording kept', () => {
    const out = join(tmp, 'd.duckdb');
    const r = crosstalk('run', '--suite', join(fixtures, 'ok', 'one-turn.yaml'), '--adapter', 'ws', '--url', 'ws://127.0.0.1:9/', '--out', out);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/errored .*ws:\/\/127\.0\.0\.1:9/);
    expect(r.out).toMatch(/0 passed, 0 failed, 1 errored/);
  });

  it('the ws adapter without --url is a configuration error', () => {
    const r = crosstalk('run', '--suite', join(fixtures, 'ok', 'one-turn.yaml'), '--adapter', 'ws', '--out', join(tmp, 'e.duckdb'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--url/);
  });

  it.each([
    ['barge_in=quick', /barge_in=quick is not one of talk, careful, words, patient, fast/],
    ['end_of_turn=lexical', /end_of_turn=lexical is not one of espeak, festival/],
    ['lexical=whisper', /lexical=whisper is not one of off, pocketsphinx/],
  ])("the reference agent's choice %s is not one it has: a configuration error", (option, message) => {
    const r = crosstalk(
      'run',
      '--suite',
      join(fixtures, 'ok', 'one-turn.yaml'),
      '--adapter',
      'reference',
      '--adapter-option',
      option,
      '--out',
      join(tmp, 'bi.duckdb'),
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('a real-time run with CROSSTALK_LIVE_NICE that is not a nice value is bad input, named', () => {
    const r = crosstalkWith(
      { CROSSTALK_LIVE_NICE: 'high' },
      'run',
      '--suite',
      join(fixtures, 'ok', 'one-turn.yaml'),
      '--adapter',
      'scripted',
      '--clock',
      'real',
      '--out',
      join(tmp, 'nice.duckdb'),
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/CROSSTALK_LIVE_NICE=high is not a nice value/);
  });

  it('an unknown adapter and an unknown flag are bad input', () => {
    expect(crosstalk('run', '--adapter', 'nope', '--out', join(tmp, 'f.duckdb')).code).toBe(2);
    expect(crosstalk('run', '--no-such-flag').code).toBe(2);
  });

  it('run + score: a scripted run is stored, and re-scoring its recording gives the same numbers', () => {
    const out = join(tmp, 'g.duckdb');
    const r = crosstalk(
      'run',
      '--suite',
      join(fixtures, 'ok', 'one-turn.yaml'),
      '--adapter',
      'scripted',
      '--adapter-option',
      'answerDelayMs=430',
      '--clock',
      'virtual',
      '--out',
      out,
      '--check',
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/turn_taking\.latency_ms\s+1\s+0\s+430 ms/);
    const dir = r.out.match(/recordings: (.*)/)![1].trim();
    const runId = r.out.match(/run (\S+):/)![1];
    const session = join(dir, runId, 'ok', 'one-turn', 'r0');
    const s = crosstalk('score', session, '--json');
    expect(s.code, s.err).toBe(0);
    const scored = JSON.parse(s.out) as { metrics: { name: string; value: number }[] }[];
    const latency = scored[0].metrics.find((m) => m.name === 'turn_taking.latency_ms')!;
    expect(Math.abs(latency.value - 430)).toBeLessThanOrEqual(1000 / 16_000);
  });

  it('--check turns a failed expectation into exit 3', () => {
    const r = crosstalk(
      'run',
      '--suite',
      join(fixtures, 'ok', 'one-turn.yaml'),
      '--adapter',
      'scripted',
      '--adapter-option',
      'answerDelayMs=2000',
      '--clock',
      'virtual',
      '--out',
      join(tmp, 'h.duckdb'),
      '--check',
    );
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/failed .*turn_taking\.latency_ms=2000ms/);
  });

  it('list --metrics shows every stable metric name with its definition', () => {
    const r = crosstalk('list', '--metrics', '--json');
    expect(r.code).toBe(0);
    const names = (JSON.parse(r.out) as { name: string }[]).map((m) => m.name);
    for (const n of [
      'turn_taking.latency_ms',
      'pause.takeover',
      'interruption.stop_latency_ms',
      'user_backchannel.false_stop',
      'backchannel.rate_per_min',
      'interaction.responded',
      'interaction.dead_air_ratio',
    ])
      expect(names).toContain(n);
    // The interaction panel's figures, documented in the same shape.
    for (const n of [
      'panel.response_rate',
      'panel.yield_rate',
      'panel.selectivity_backchannel',
      'panel.selectivity_vocal_tic',
      'panel.agent_interruptions',
      'panel.dead_air_ratio',
      'panel.fdb_v15_average',
    ])
      expect(names).toContain(n);
  });

  it('the committed JSON Schema is the one generated from the validator', () => {
    expect(readFileSync(join(root, 'scenarios', 'scenario.schema.json'), 'utf8')).toBe(scenarioJsonSchema());
  });
});
