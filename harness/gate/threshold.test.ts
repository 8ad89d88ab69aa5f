import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.ts';
import { parseGateConfig } from './config.ts';
import { holds, parseThreshold, statOf } from './threshold.ts';

describe('threshold grammar', () => {
  it('parses metric, stat, operator, value and an optional scope', () => {
    expect(parseThreshold('turn_taking.latency_ms p90 < 800')).toEqual({
      text: 'turn_taking.latency_ms p90 < 800',
      scope: {},
      metric: 'turn_taking.latency_ms',
      stat: 'p90',
      op: '<',
      value: 800,
    });
    expect(parseThreshold('  family:pause   pause.takeover rate <= 0.1 ')).toMatchObject({
      scope: { family: 'pause' },
      stat: 'rate',
      op: '<=',
      value: 0.1,
      text: 'family:pause pause.takeover rate <= 0.1',
    });
    expect(parseThreshold('tag:smoke interruption.stop_latency_ms median >= 0')).toMatchObject({ scope: { tag: 'smoke' }, stat: 'median', op: '>=' });
  });

  it('takes min_count <n> and allow_no_data after the value, in either order', () => {
    expect(parseThreshold('turn_taking.latency_ms p90 < 800 min_count 20')).toEqual({
      text: 'turn_taking.latency_ms p90 < 800 min_count 20',
      scope: {},
      metric: 'turn_taking.latency_ms',
      stat: 'p90',
      op: '<',
      value: 800,
      minCount: 20,
    });
    expect(parseThreshold('family:pause pause.takeover rate <= 0.05 allow_no_data min_count 40')).toMatchObject({
      scope: { family: 'pause' },
      minCount: 40,
      allowNoData: true,
    });
    expect(parseThreshold('pause.takeover rate <= 0.05')).not.toHaveProperty('minCount');
    expect(parseThreshold('pause.takeover rate <= 0.05 min_count 40 confident')).toMatchObject({ minCount: 40, confident: true });
    expect(parseThreshold('pause.takeover rate <= 0.05')).not.toHaveProperty('confident');
  });

  it.each([
    ['turn_taking.latency_ms p90 <', /expected metric, stat, operator and value/],
    ['turn_taking.latency p90 < 800', /unknown metric "turn_taking.latency"/],
    ['turn_taking.latency_ms p99 < 800', /unknown stat "p99"/],
    ['turn_taking.latency_ms p90 == 800', /unknown operator "=="/],
    ['turn_taking.latency_ms p90 < 800ms', /value "800ms" is not a number/],
    ['turn_taking.latency_ms rate < 0.5', /rate needs a 0\/1 metric/],
    ['suite:core turn_taking.latency_ms p90 < 800', /bad scope/],
    ['turn_taking.latency_ms p90 < 800 min_count', /min_count needs a whole number >= 1, got nothing/],
    ['turn_taking.latency_ms p90 < 800 min_count 0', /min_count needs a whole number >= 1, got "0"/],
    ['turn_taking.latency_ms p90 < 800 min_count 2.5', /min_count needs a whole number/],
    ['turn_taking.latency_ms p90 < 800 min_count 5 min_count 6', /min_count is given twice/],
    ['turn_taking.latency_ms p90 < 800 ms', /unknown option "ms" after the value/],
    ['turn_taking.latency_ms p90 < 800 min-count 5', /unknown option "min-count"/],
    ['turn_taking.latency_ms count >= 20 confident', /confident needs a stat with an interval; count has none/],
  ])('rejects %s', (text, message) => {
    expect(() => parseThreshold(text)).toThrow(message);
  });

  it('stats have known answers (quantiles are type 7)', () => {
    const xs = [40, 15, 50, 35, 20];
    expect(statOf('median', xs)).toBe(35);
    expect(statOf('p90', xs)).toBeCloseTo(46, 12); // h = 3.6: 40 + 0.6 * 10
    expect(statOf('p95', xs)).toBeCloseTo(48, 12); // h = 3.8: 40 + 0.8 * 10
    expect(statOf('mean', xs)).toBe(32);
    expect(statOf('count', xs)).toBe(5);
    expect(statOf('rate', [1, 0, 0, 1])).toBe(0.5);
    expect(statOf('p90', [])).toBeNull();
    expect(statOf('count', [])).toBe(0);
    expect([holds(799, '<', 800), holds(800, '<', 800), holds(800, '<=', 800), holds(801, '>', 800), holds(800, '>=', 800)]).toEqual([
      true,
      false,
      true,
      true,
      true,
    ]);
  });
});

describe('gate config', () => {
  const errorOf = (text: string): InputError => {
    try {
      parseGateConfig(text, 'gate.yaml');
    } catch (e) {
      if (e instanceof InputError) return e;
      throw e;
    }
    throw new Error('no error');
  };

  it('reads thresholds with their lines and the baseline section', () => {
    const config = parseGateConfig(
      [
        'thresholds:',
        '  - turn_taking.latency_ms p90 < 800',
        '  - family:pause pause.takeover rate <= 0.1',
        'baseline:',
        '  significance: 0.01',
        '  tolerance:',
        '    default: "5%"',
        '    turn_taking.latency_ms: 50',
        '  metrics: [turn_taking.latency_ms]',
        '',
      ].join('\n'),
      'gate.yaml',
    );
    expect(config.thresholds.map((t) => [t.line, t.metric])).toEqual([
      [2, 'turn_taking.latency_ms'],
      [3, 'pause.takeover'],
    ]);
    expect(config.baseline.significance).toBe(0.01);
    expect(config.baseline.defaultTolerance).toEqual({ kind: 'relative', share: 0.05 });
    expect(config.baseline.tolerance.get('turn_taking.latency_ms')).toEqual({ kind: 'absolute', value: 50 });
    expect(config.baseline.metrics).toEqual(['turn_taking.latency_ms']);
  });

  it('names the file, line and field of each mistake', () => {
    const bad = errorOf('thresholds:\n  - turn_taking.latency_ms p90 < 800\n  - turn_taking.latency_ms p99 < 800\n');
    expect([bad.file, bad.line, bad.field]).toEqual(['gate.yaml', 3, 'thresholds[1]']);
    expect(bad.describe()).toMatch(/^gate\.yaml:3: thresholds\[1\]: unknown stat "p99"\n {2}Use one of median/);
    expect(errorOf('thresholds: [a\n').message).toMatch(/YAML syntax error/);
    expect(errorOf('treshold:\n  - x\n')).toMatchObject({ line: 1, message: 'unknown key "treshold"' });
    expect(errorOf('baseline:\n  tolerance:\n    turn_taking.latency_ms: fast\n')).toMatchObject({
      line: 3,
      field: 'baseline.tolerance.turn_taking.latency_ms',
    });
    expect(errorOf('baseline:\n  significance: 2\n')).toMatchObject({ line: 2, field: 'baseline.significance' });
    expect(errorOf('baseline:\n  metrics: [backchannel.rate_per_min]\n').message).toMatch(/direction is 'target'/);
    expect(errorOf('').message).toMatch(/empty/);
  });
});
