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
import { VISUAL_INTERJECTION_METRICS } from './visual-interjection.ts';
import { SIDE_TALK_METRICS } from './side-talk.ts';
import { BACKGROUND_METRICS } from './background.ts';
import { TIME_AWARENESS_METRICS } from './time-awareness.ts';
import { SIMULTANEOUS_SPEECH_METRICS } from './simultaneous-speech.ts';
import { BACKGROUND_TASK_METRICS } from './background-task.ts';
import { LONG_SESSION_METRICS } from './long-session.ts';
import { VERDICT_METRICS } from './verdict.ts';
import { VOCAL_TICS_METRICS } from './vocal-tics.ts';
import { INTERACTION_METRICS } from './interaction.ts';

export const METRIC_DEFINITIONS: readonly MetricDefinition[] = [
  ...TURN_TAKING_METRICS,
  ...PAUSE_METRICS,
  ...BACKCHANNEL_METRICS,
  ...INTERRUPTION_METRICS,
  ...USER_BACKCHANNEL_METRICS,
  ...VISUAL_INTERJECTION_METRICS,
  ...SIDE_TALK_METRICS,
  ...BACKGROUND_METRICS,
  ...TIME_AWARENESS_METRICS,
  ...SIMULTANEOUS_SPEECH_METRICS,
  ...BACKGROUND_TASK_METRICS,
  ...LONG_SESSION_METRICS,
  ...VOCAL_TICS_METRICS,
  ...VERDICT_METRICS,
  ...INTERACTION_METRICS,
];

const BY_NAME = new Map(METRIC_DEFINITIONS.map((d) => [d.name, d]));

export function metricDefinition(name: string): MetricDefinition | undefined {
  return BY_NAME.get(name);
}
