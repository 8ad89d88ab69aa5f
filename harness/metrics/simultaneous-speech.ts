/**
 * Simultaneous speech, as in live interpretation (`interpret` expectations on a speak action):
 * the user speaks on and on, and the agent should speak in overlap, rendering each stretch a
 * little behind it. The user's stretches are the planted speech minus its pauses.
 *
 * Ear-voice span without ASR: the lag that best lines the agent's speech up with the user's,
 * i.e. the shift L (0 to MAX_SPAN_MS in SPAN_STEP_MS steps) that maximises the overlap of the
 * user's stretches moved L later with the agent's segments; ties go to the smaller lag. An
 * interpreter keeping a steady lag renders the user's rhythm of speech and pause shifted by it.
 * An echo of the user (scoring/echo.ts) is not rendering and is left out. Known limit: without
 * words, an agent that talks all the time overlaps any lag and passes the span rule; a `says`
 * check closes it (content.ts: simultaneous_speech.content_ok, read over every agent segment
 * the span is measured on, so the rendering must carry the key words of the translation).
 */
import type { Says } from '../scenario/schema.ts';
import type { MetricDefinition, MetricValue, Segment } from '../scoring/types.ts';
import { userSegments } from '../scoring/segments.ts';
import { bool, metricValue, type ActionContext } from './common.ts';
import { contentOkDefinition, contentRow } from './content.ts';
import { verdictSubject } from './verdict.ts';

const MAX_SPAN_MS = 10_000;
const SPAN_STEP_MS = 10;
const FELL_SILENT_MS = 4000;

const PEER =
  'No peer metric in Full-Duplex-Bench v1/v1.5 or FD-Bench; ear-voice span is the interpreting-studies measure (source-to-rendering lag), here taken from speech activity instead of word alignment.';

const SIM_OVERLAP_RATIO: MetricDefinition = {
  name: 'simultaneous_speech.overlap_ratio',
  family: 'simultaneous_speech',
  unit: 'ratio',
  direction: 'higher',
  definition: "Time the agent speaks while the user speaks, over the user's planted speech time (speech extent minus pauses).",
  denominator: 'per interpret action',
  peer: PEER,
};

export const SIM_EAR_VOICE_SPAN_MS: MetricDefinition = {
  name: 'simultaneous_speech.ear_voice_span_ms',
  family: 'simultaneous_speech',
  unit: 'ms',
  direction: 'lower',
  definition: `The lag (0-${MAX_SPAN_MS} ms, ${SPAN_STEP_MS} ms steps) that maximises the overlap of the user's speech stretches, shifted by it, with the agent's segments (see the file comment). Null when the agent did not speak.`,
  denominator: 'per interpret action',
  peer: PEER,
};

const SIM_LONGEST_SILENCE_MS: MetricDefinition = {
  name: 'simultaneous_speech.longest_silence_ms',
  family: 'simultaneous_speech',
  unit: 'ms',
  direction: 'lower',
  definition: "Longest stretch without agent speech between the user's first word and last word (the initial lag included).",
  denominator: 'per interpret action',
  peer: PEER,
};

const SIM_FELL_SILENT: MetricDefinition = {
  name: 'simultaneous_speech.fell_silent',
  family: 'simultaneous_speech',
  unit: 'bool',
  direction: 'lower',
  definition: `1 if longest_silence_ms is at least ${FELL_SILENT_MS} ms: the agent stopped rendering while the user went on.`,
  denominator: 'per interpret action',
  peer: PEER,
};

const SIM_CONTENT_OK = contentOkDefinition('simultaneous_speech', 'the rendering (every agent segment the span is measured on)');

export const SIMULTANEOUS_SPEECH_METRICS = [SIM_OVERLAP_RATIO, SIM_EAR_VOICE_SPAN_MS, SIM_LONGEST_SILENCE_MS, SIM_FELL_SILENT, SIM_CONTENT_OK];

function overlapMs(a: readonly Segment[], b: readonly Segment[], shiftA = 0): number {
  let sum = 0;
  for (const x of a) for (const y of b) sum += Math.max(0, Math.min(x.endMs + shiftA, y.endMs) - Math.max(x.startMs + shiftA, y.startMs));
  return sum;
}

function longestGapMs(agent: readonly Segment[], fromMs: number, toMs: number): number {
  let longest = 0;
  let cursor = fromMs;
  for (const s of agent) {
    if (s.endMs <= cursor) continue;
    if (s.startMs >= toMs) break;
    longest = Math.max(longest, s.startMs - cursor);
    cursor = Math.max(cursor, s.endMs);
  }
  return Math.max(longest, toMs - cursor);
}

function earVoiceSpanMs(user: readonly Segment[], agent: readonly Segment[]): number | null {
  let best = 0;
  let bestLag: number | null = null;
  for (let lag = 0; lag <= MAX_SPAN_MS; lag += SPAN_STEP_MS) {
    const o = overlapMs(user, agent, lag);
    if (o > best + 1e-9) [best, bestLag] = [o, lag];
  }
  return bestLag;
}

export function computeInterpret(ctx: ActionContext, maxSpanMs: number, says?: Says): MetricValue[] {
  const { action } = ctx;
  const expectation = `interpret with an ear-voice span of at most ${maxSpanMs} ms`;
  const user = userSegments([action]).filter((s) => s.kind === 'speech');
  const userMs = user.reduce((sum, s) => sum + s.endMs - s.startMs, 0);
  // The user's own audio played back (scoring/echo.ts) keeps the user's rhythm perfectly and renders nothing.
  const agent = ctx.agent.filter((s) => !s.echo && s.endMs > action.speechStartMs && s.startMs < action.speechEndMs + MAX_SPAN_MS);
  const ratio = userMs > 0 ? overlapMs(user, agent) / userMs : null;
  const span = earVoiceSpanMs(user, agent);
  const silenceMs = longestGapMs(agent, action.speechStartMs, action.speechEndMs);
  const fell = silenceMs >= FELL_SILENT_MS;
  return [
    metricValue(SIM_OVERLAP_RATIO, action.id, ratio, { expectation, reason: ratio === null ? 'no_user_speech' : undefined }),
    metricValue(SIM_EAR_VOICE_SPAN_MS, action.id, span, {
      passed: span !== null && span <= maxSpanMs,
      expectation,
      reason: span === null ? 'no_response' : undefined,
      note: span === null ? "agent did not speak during or after the user's speech" : undefined,
    }),
    metricValue(SIM_LONGEST_SILENCE_MS, action.id, silenceMs, { expectation }),
    metricValue(SIM_FELL_SILENT, action.id, bool(fell), { passed: !fell, expectation }),
    ...(says ? [contentRow(ctx.content, SIM_CONTENT_OK, action.id, verdictSubject(action.id, 'interpret'), says, agent)] : []),
  ];
}
