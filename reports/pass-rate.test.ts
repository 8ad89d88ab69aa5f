/**
 * A pass count is shown with its rate and the rate's 95% Wilson interval (reports/summary.ts
 * passRateText), in every view: the run's terminal summary, the report, the leaderboard.
 */
import { describe, expect, it } from 'vitest';
import { passRateText } from './summary.ts';

describe('passRateText', () => {
  it("shows passed of judged, the rate and Wilson's 95% interval in whole percent", () => {
    // Wilson at 5 of 10: 0.2366-0.7634; at 5 of 6: 0.4365-0.9699.
    expect(passRateText(5, 10)).toBe('5/10 (50% [24–76%])');
    expect(passRateText(5, 6)).toBe('5/6 (83% [44–97%])');
  });

  it('does not show a small all-pass as certain: 3 of 3 is 100% with a lower end of 44%', () => {
    expect(passRateText(3, 3)).toBe('3/3 (100% [44–100%])');
    expect(passRateText(0, 3)).toBe('0/3 (0% [0–56%])');
  });

  it('shows a dash where nothing was judged', () => {
    expect(passRateText(0, 0)).toBe('–');
  });

  it('has a narrow layout for terminal tables', () => {
    expect(passRateText(4, 5, 'narrow')).toBe('4/5 80% [38–96]');
  });
});
