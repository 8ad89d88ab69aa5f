import { describe, expect, it } from 'vitest';
import { interpLinear, JS_DISTANCE_MAX, jsDistance, linspace, npSum } from '../jensen-shannon.ts';

// Expected values were computed with python3 from scipy's definition (normalize, m = (p+q)/2,
// sqrt of the mean of the two rel_entr sums, natural log), written out by hand because scipy is
// not installed here.
describe('jsDistance (scipy jensenshannon, base e)', () => {
  it('gives sqrt(ln 2) for disjoint distributions, its maximum', () => {
    expect(jsDistance([1, 0], [0, 1])).toBe(0.8325546111576977);
    expect(JS_DISTANCE_MAX).toBe(0.8325546111576977);
  });
  it('normalizes its inputs and matches the hand computation', () => {
    expect(jsDistance([1, 2, 3], [3, 2, 1])).toBeCloseTo(0.2953100471720493, 15);
    expect(jsDistance([0.1, 0.4, 0.5], [0.2, 0.2, 0.6])).toBeCloseTo(0.16661549647351914, 15);
    expect(jsDistance([2, 2], [5, 5])).toBe(0);
  });
  it('refuses inputs of different length', () => {
    expect(() => jsDistance([1], [1, 2])).toThrow(/lengths differ/);
  });
});

describe('numpy helpers', () => {
  it('linspace ends exactly on stop', () => {
    expect(linspace(0, 1, 5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(linspace(0, 1, 3)[2]).toBe(1);
  });
  it('interp1d linear stretches [0, 1, 4] over 5 points and extrapolates past the ends', () => {
    expect(interpLinear(linspace(0, 1, 3), [0, 1, 4], linspace(0, 1, 5))).toEqual([0, 0.5, 1, 2.5, 4]);
    expect(interpLinear([0, 1], [0, 2], [-1, 2])).toEqual([-2, 4]);
  });
  it('sums in the order of numpy pairwise summation: eight lanes, combined as a tree, then the tail', () => {
    const a = [1e16, 1, -1e16, 1, 3, 5, 7, 11, 13, 17];
    const lanes = a[0] + a[1] + (a[2] + a[3]) + (a[4] + a[5] + (a[6] + a[7]));
    expect(npSum(a)).toBe(lanes + a[8] + a[9]);
    expect(npSum([0.5, 0.25])).toBe(0.75);
  });
});
