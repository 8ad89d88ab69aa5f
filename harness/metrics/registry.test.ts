import { describe, expect, it } from 'vitest';
import { FAMILIES } from '../scenario/schema.ts';
import { METRIC_DEFINITIONS, metricDefinition } from './registry.ts';
import { INTERACTION_FAMILY } from './interaction.ts';

describe('metric registry', () => {
  it('lists the stable names', () => {
    expect(METRIC_DEFINITIONS.map((d) => d.name)).toEqual([
      'turn_taking.latency_ms',
      'turn_taking.takeover',
      'turn_taking.early',
      'turn_taking.talked_over_ms',
      'pause.takeover',
      'pause.backchannel',
      'backchannel.count',
      'backchannel.rate_per_min',
      'backchannel.pause_offset_ms',
      'backchannel.takeover_count',
      'interruption.stop_latency_ms',
      'interruption.stopped',
      'interruption.answer_latency_ms',
      'user_backchannel.false_stop',
      'user_backchannel.false_stop_strict',
      'user_backchannel.dip_ms',
      'user_backchannel.continued_ms',
      'visual_interjection.reaction_latency_ms',
      'visual_interjection.reacted',
      'visual_interjection.false_interjections',
      'side_talk.false_response',
      'side_talk.false_stop',
      'side_talk.resume_latency_ms',
      'background.false_takeover',
      'background.false_stop',
      'background.latency_degradation_ms',
      'time_awareness.onset_error_ms',
      'time_awareness.abs_error_ms',
      'time_awareness.announced',
      'time_awareness.content_ok',
      'simultaneous_speech.overlap_ratio',
      'simultaneous_speech.ear_voice_span_ms',
      'simultaneous_speech.longest_silence_ms',
      'simultaneous_speech.fell_silent',
      'simultaneous_speech.content_ok',
      'background_task.delivery_latency_ms',
      'background_task.delivered',
      'background_task.over_user_speech',
      'background_task.content_ok',
      'long_session.drift_ms',
      'long_session.drift_ratio',
      'long_session.pacing_drift_ms',
      'vocal_tics.takeover',
      'vocal_tics.backchannel',
      'vocal_tics.false_response',
      'vocal_tics.false_stop',
      'vocal_tics.dip_ms',
      'turn_taking.verdict',
      'pause.verdict',
      'backchannel.verdict',
      'interruption.verdict',
      'user_backchannel.verdict',
      'visual_interjection.verdict',
      'side_talk.verdict',
      'background.verdict',
      'time_awareness.verdict',
      'simultaneous_speech.verdict',
      'background_task.verdict',
      'vocal_tics.verdict',
      'interaction.responded',
      'interaction.response_latency_ms',
      'interaction.agent_interruptions',
      'interaction.dead_air_ratio',
      'interaction.dead_air_longest_ms',
      'interaction.dead_air_long_gaps',
    ]);
    expect(metricDefinition('interruption.stopped')?.unit).toBe('bool');
    expect(metricDefinition('no.such_metric')).toBeUndefined();
  });

  it('every definition is complete, named after its family, and its name carries its unit', () => {
    for (const d of METRIC_DEFINITIONS) {
      // A scenario family, or the session-level rows behind the interaction panel.
      expect([...FAMILIES, INTERACTION_FAMILY]).toContain(d.family);
      expect(d.name.startsWith(`${d.family}.`), d.name).toBe(true);
      for (const text of [d.definition, d.denominator, d.peer]) expect(text.length, d.name).toBeGreaterThan(10);
      if (d.unit === 'ms') expect(d.name, d.name).toMatch(/_ms$/);
      if (d.unit === 'per_min') expect(d.name, d.name).toMatch(/_per_min$/);
    }
  });
});
