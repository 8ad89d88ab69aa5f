/**
 * Every metric the scorer can emit, with its public definition (`crosstalk list --metrics`).
 * Names are a public interface: rename one and stored results stop lining up.
 */
import type { MetricDefinition } from '../scoring/types.ts';
import { BACKCHANNEL_METRICS } from './backchannel.ts';
import { INTERRUPTION_METRICS } from './interruption.ts';
import { PAUSE_METRICS } from './pause.ts';
import { TURN_TAKING_METRICS } from './turn-taking.ts';
import { USER_BACKCHANNEL_METRICS } from './user-backchannel.ts';

export const METRIC_DEFINITIONS: readonly MetricDefinition[] = [
  ...TURN_TAKING_METRICS,
  ...PAUSE_METRICS,
  ...BACKCHANNEL_METRICS,
  ...INTERRUPTION_METRICS,
  ...USER_BACKCHANNEL_METRICS,
];

const BY_NAME = new Map(METRIC_DEFINITIONS.map((d) => [d.name, d]));

export function metricDefinition(name: string): MetricDefinition | undefined {
  return BY_NAME.get(name);
}
