/**
 * The scenario format, version 1. This TypeBox schema is both the validator and the source of
 * the published JSON Schema (`scenarios/scenario.schema.json`, written by
 * `crosstalk schema`), so the two cannot drift.
 */
import { Type, type Static } from '@sinclair/typebox';

const Ms = (description: string, minimum = 0, maximum = 3_600_000) => Type.Number({ minimum, maximum, description });

export const FAMILIES = [
  'turn_taking',
  'pause',
  'backchannel',
  'interruption',
  'user_backchannel',
  'visual_interjection',
  'side_talk',
  'background',
  'time_awareness',
  'simultaneous_speech',
  'background_task',
  'long_session',
  'vocal_tics',
] as const;
export type Family = (typeof FAMILIES)[number];
/** The five families of the core suite (scenarios/core). */
export type CoreFamily = 'turn_taking' | 'pause' | 'backchannel' | 'interruption' | 'user_backchannel';

const VoiceSchema = Type.Object(
  {
    engine: Type.Optional(
      Type.Union([Type.Literal('espeak'), Type.Literal('flite'), Type.Literal('gnuspeech')], {
        description: 'Speech engine (datasets/tts/engine.ts): espeak (default), flite, gnuspeech; `crosstalk list --engines`',
      }),
    ),
    name: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'Synthesizer voice, e.g. en-us, en-gb, en-us+f3 (espeak); slt, rms, awb, kal16, kal (flite); male, female, large_child, small_child, baby (gnuspeech)',
      }),
    ),
    rate_wpm: Type.Optional(Type.Number({ minimum: 80, maximum: 450, description: 'Speaking rate in words per minute' })),
    pitch: Type.Optional(Type.Number({ minimum: 0, maximum: 99, description: 'Base pitch, 0-99 (espeak scale)' })),
  },
  { additionalProperties: false },
);
export type Voice = Static<typeof VoiceSchema>;

const NoiseSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('room_tone'), Type.Literal('white'), Type.Literal('pink'), Type.Literal('brown')], {
      description: 'Noise floor added under the whole user channel',
    }),
    level_dbfs: Type.Number({ minimum: -96, maximum: -10, description: 'RMS level of the noise in dBFS' }),
  },
  { additionalProperties: false },
);

const PauseSchema = Type.Object(
  {
    after_word: Type.Integer({ minimum: 1, description: '1-based index of the word the pause follows' }),
    ms: Ms('Pause length in ms', 50, 20_000),
  },
  { additionalProperties: false },
);

/** Non-speech sounds of the user: fillers (eSpeak) and procedural sounds (datasets/effects/vocal-tics.ts). */
export const TIC_SOUNDS = ['um', 'uh', 'cough', 'laugh', 'throat_clear', 'breath'] as const;
export type TicSound = (typeof TIC_SOUNDS)[number];
const TicSoundSchema = Type.Union(
  TIC_SOUNDS.map((k) => Type.Literal(k)),
  { description: 'Which vocal tic' },
);
const TicGainSchema = Type.Optional(Type.Number({ minimum: -30, maximum: 6, description: "Level change from the sound's nominal level, dB (default 0)" }));

/** A vocal tic inside one fluent rendering: a hesitation opened at a word boundary, the tic sounding in it. */
const InTurnTicSchema = Type.Object(
  {
    after_word: Type.Integer({ minimum: 1, description: '1-based index of the word the hesitation follows' }),
    sound: TicSoundSchema,
    gain_db: TicGainSchema,
    gap_before_ms: Type.Optional(Ms('Silence between the word and the tic (default 200)', 0, 5000)),
    gap_after_ms: Type.Optional(Ms('Silence between the tic and the next word (default 600)', 0, 5000)),
  },
  { additionalProperties: false },
);
export type InTurnTic = Static<typeof InTurnTicSchema>;

/** A vocal tic on its own, between or over turns. */
const VocalTicSchema = Type.Object({ sound: TicSoundSchema, gain_db: TicGainSchema }, { additionalProperties: false });
export type VocalTic = Static<typeof VocalTicSchema>;

const SpeechSchema = Type.Object(
  {
    text: Type.Optional(Type.String({ minLength: 1, description: 'Text to synthesize (offline TTS)' })),
    clip: Type.Optional(Type.String({ minLength: 1, description: 'WAV file, relative to the scenario file' })),
    voice: Type.Optional(VoiceSchema),
    pauses: Type.Optional(
      Type.Array(PauseSchema, {
        description: 'Mid-turn pauses opened inside one fluent rendering, at word boundaries',
      }),
    ),
    tics: Type.Optional(
      Type.Array(InTurnTicSchema, {
        description:
          'Vocal tics at word boundaries inside one fluent rendering, each in a hesitation of its own (a no_takeover on this speech is judged in vocal_tics)',
      }),
    ),
    speech_end_ms: Type.Optional(Ms('For clips: where the speech ends in the clip (default: found by the speech detector)')),
    annotation: Type.Optional(
      Type.Union(
        [
          Type.String({ minLength: 1 }),
          Type.Object(
            {
              file: Type.String({ minLength: 1, description: 'The annotation file, relative to the scenario file' }),
              speaker: Type.Optional(
                Type.String({ minLength: 1, description: "The user's speaker name (RTTM, JSON segments) or channel (CTM) when the file holds several" }),
              ),
            },
            { additionalProperties: false },
          ),
        ],
        {
          description:
            "For clips: the recording's annotation (a path relative to the scenario file, or {file, speaker}): RTTM (.rttm), CTM (.ctm) or JSON (.json: {segments: [{start_ms, end_ms}], words: [{text, start_ms, end_ms}], turn_end_ms?}); the user's speech, words, mid-turn pauses (gaps >= 300 ms) and turn end come from it (datasets/annotation.ts)",
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type Speech = Static<typeof SpeechSchema>;

/** The user turns to someone else: rendered speech, then made quieter and duller (Full-Duplex-Bench v1.5). */
const SideTalkSchema = Type.Object(
  {
    ...SpeechSchema.properties,
    gain_db: Type.Optional(Type.Number({ minimum: -40, maximum: 0, description: 'Level change applied to the rendered speech (default -8 dB)' })),
  },
  { additionalProperties: false },
);
export type SideTalk = Static<typeof SideTalkSchema>;

const BED_KINDS = ['babble', 'music', 'white', 'pink', 'brown'] as const;
export type BedKind = (typeof BED_KINDS)[number];

/** Another voice (text or clip) or a sound bed (noise kind) under the user: low-passed and echoed. */
const BackgroundSchema = Type.Object(
  {
    text: Type.Optional(Type.String({ minLength: 1, description: 'Another voice: text to synthesize' })),
    clip: Type.Optional(Type.String({ minLength: 1, description: 'Another voice: WAV file, relative to the scenario file' })),
    voice: Type.Optional(VoiceSchema),
    noise: Type.Optional(
      Type.Union(
        BED_KINDS.map((k) => Type.Literal(k)),
        { description: 'A sound bed instead of a voice' },
      ),
    ),
    ms: Type.Optional(Ms('Length of a sound bed', 100)),
    gain_db: Type.Optional(Type.Number({ minimum: -60, maximum: 0, description: 'For a voice: level change applied to the rendered speech (default -15 dB)' })),
    snr_db: Type.Optional(Type.Number({ minimum: -10, maximum: 40, description: "For a sound bed: the user's speech level minus the bed's level, dB" })),
  },
  { additionalProperties: false },
);
export type Background = Static<typeof BackgroundSchema>;

const CUE_KINDS = ['raised_hand', 'highlight', 'object_appears', 'object_moves', 'color_change', 'recorded'] as const;
export type CueKind = (typeof CUE_KINDS)[number];

/** A visual cue in the video stream; `recorded` marks a cue that is already in the scenario's video file. */
const ShowSchema = Type.Object(
  {
    cue: Type.Union(
      CUE_KINDS.map((k) => Type.Literal(k)),
      { description: 'What appears' },
    ),
    ms: Ms('How long the cue stays visible', 1),
  },
  { additionalProperties: false },
);
export type Show = Static<typeof ShowSchema>;

const VideoSchema = Type.Object(
  {
    fps: Type.Optional(Type.Number({ minimum: 0.2, maximum: 30, description: 'Frames per second sent to adapters that accept video (default 2)' })),
    width: Type.Optional(Type.Integer({ minimum: 64, maximum: 1920, description: 'Frame width in pixels (default 320)' })),
    height: Type.Optional(Type.Integer({ minimum: 48, maximum: 1080, description: 'Frame height in pixels (default 240)' })),
    scene: Type.Optional(
      Type.Union([Type.Literal('slide'), Type.Literal('desk'), Type.Literal('plain')], {
        description: 'Generated picture the cues are drawn on (default slide)',
      }),
    ),
    file: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'A recorded video file (relative to the scenario file): its audio goes to the user channel from t=0, its frames are streamed on the same clock',
      }),
    ),
  },
  { additionalProperties: false },
);
export type Video = Static<typeof VideoSchema>;

const AGENT_EVENTS = ['agent_speech_start', 'agent_speech_end', 'action_start', 'action_end'] as const;

const AfterSchema = Type.Object(
  {
    event: Type.Union(
      AGENT_EVENTS.map((e) => Type.Literal(e)),
      { description: 'What starts the clock for this action' },
    ),
    action: Type.Optional(
      Type.String({ description: 'For action_start/action_end: which action; for agent events: armed after this action ends (default: the previous action)' }),
    ),
    delay_ms: Type.Optional(Ms('Delay after the event', 0)),
    timeout_ms: Type.Optional(Ms('Give up (skip the action) if the event has not happened after this long', 0)),
  },
  { additionalProperties: false },
);
export type After = Static<typeof AfterSchema>;

/**
 * What the agent must say in the response an expectation times (speak_at, interpret, deliver),
 * checked on the agent's transcript of that response (harness/content/, harness/metrics/content.ts).
 * Every key given must hold.
 */
const SaysSchema = Type.Object(
  {
    keywords: Type.Optional(
      Type.Array(Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })]), {
        minItems: 1,
        description:
          'Words or phrases to be said, matched as whole words (case, accents and punctuation ignored); an entry that is a list is said when any of its items is',
      }),
    ),
    min_keywords: Type.Optional(Type.Integer({ minimum: 1, description: 'How many of the keywords must be said (default: all of them)' })),
    numbers: Type.Optional(Type.Array(Type.Number(), { minItems: 1, description: 'Numbers to be said, in digits or in words ("20" or "twenty")' })),
    pattern: Type.Optional(Type.String({ minLength: 1, description: 'A regular expression (JavaScript, case-insensitive) the transcript must match' })),
    judge: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'A free-form criterion for the judge endpoint (`run --judge-url`); without a judge verdict the check is N/A (judge_unavailable)',
      }),
    ),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description:
      'Content the timed response must carry, read from the agent transcript; without a transcript the check is N/A (no_transcript) and the expectation fails',
  },
);
export type Says = Static<typeof SaysSchema>;

const Budget = (what: string) => Type.Object({ within_ms: Ms(what, 0, 600_000) }, { additionalProperties: false });
const Empty = Type.Object({}, { additionalProperties: false });

const ExpectationSchema = Type.Object(
  {
    take_turn: Type.Optional(Budget('Agent starts speaking within this long after the user turn ends')),
    no_takeover: Type.Optional(Empty),
    backchannel_opportunity: Type.Optional(Empty),
    stop: Type.Optional(Budget('Agent audio stops within this long after the barge-in starts')),
    answer: Type.Optional(Budget('Agent answers within this long after the barge-in ends')),
    keep_talking: Type.Optional(Empty),
    react: Type.Optional(
      Type.Object(
        {
          within_ms: Ms('Agent starts speaking within this long after the cue appears', 0, 600_000),
          quiet_ms: Type.Optional(Ms('Agent onsets this long before the cue count as false interjections (default 3000)', 0, 600_000)),
        },
        { additionalProperties: false },
      ),
    ),
    ignore: Type.Optional(Empty),
    latency_degradation: Type.Optional(
      Type.Object({ baseline: Type.String({ description: 'A take_turn action without background to compare with' }) }, { additionalProperties: false }),
    ),
    speak_at: Type.Optional(
      Type.Object(
        {
          after_ms: Ms('Requested time, after the end of the request', 0),
          within_ms: Ms('Allowed timing error', 0, 600_000),
          says: Type.Optional(SaysSchema),
        },
        { additionalProperties: false },
      ),
    ),
    interpret: Type.Optional(
      Type.Object({ max_span_ms: Ms('Largest acceptable ear-voice span', 0, 60_000), says: Type.Optional(SaysSchema) }, { additionalProperties: false }),
    ),
    deliver: Type.Optional(
      Type.Object(
        {
          due_after_ms: Ms("The slow task's result is due this long after the end of the request", 0),
          within_ms: Ms('Agent brings the result in within this long after it is due', 0, 600_000),
          says: Type.Optional(SaysSchema),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, description: 'Exactly one key' },
);
export type Expectation = Static<typeof ExpectationSchema>;
export const EXPECTATION_KINDS = [
  'take_turn',
  'no_takeover',
  'backchannel_opportunity',
  'stop',
  'answer',
  'keep_talking',
  'react',
  'ignore',
  'latency_degradation',
  'speak_at',
  'interpret',
  'deliver',
] as const;
export type ExpectationKind = (typeof EXPECTATION_KINDS)[number];

const ActionSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9_.-]+$', description: 'Unique within the scenario' }),
    at_ms: Type.Optional(Ms('Absolute start time on the session clock')),
    after: Type.Optional(AfterSchema),
    speak: Type.Optional(SpeechSchema),
    backchannel: Type.Optional(SpeechSchema),
    silence: Type.Optional(Type.Object({ ms: Ms('How long the user stays silent', 1) }, { additionalProperties: false })),
    side_talk: Type.Optional(SideTalkSchema),
    background: Type.Optional(BackgroundSchema),
    show: Type.Optional(ShowSchema),
    vocal_tic: Type.Optional(VocalTicSchema),
    expect: Type.Optional(Type.Array(ExpectationSchema)),
    optional: Type.Optional(
      Type.Boolean({
        description:
          'The action may not happen (its trigger may not fire): then its expectations are N/A (trigger_missed) instead of failed. Default false: a missed trigger fails every expectation of the action.',
      }),
    ),
    note: Type.Optional(Type.String()),
  },
  {
    additionalProperties: false,
    description: 'Exactly one of speak, backchannel, silence, side_talk, background, show, vocal_tic; at most one of at_ms, after',
  },
);
export type Action = Static<typeof ActionSchema>;
export const ACTION_KINDS = ['speak', 'backchannel', 'silence', 'side_talk', 'background', 'show', 'vocal_tic'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** The kind of a validated action: the one content key it holds. */
export function actionKindOf(a: Action): ActionKind {
  return ACTION_KINDS.find((k) => a[k] !== undefined)!;
}

export const ScenarioSchema = Type.Object(
  {
    version: Type.Literal(1, { description: 'Scenario format version' }),
    id: Type.String({ pattern: '^[A-Za-z0-9_.-]+$' }),
    family: Type.Union(FAMILIES.map((f) => Type.Literal(f))),
    title: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    tags: Type.Optional(Type.Array(Type.String())),
    seed: Type.Optional(Type.Integer({ description: 'Seed for noise and any random choice in media' })),
    voice: Type.Optional(VoiceSchema),
    noise: Type.Optional(NoiseSchema),
    video: Type.Optional(VideoSchema),
    duration_ms: Type.Optional(Ms('Hard cap on the session length', 100, 7_200_000)),
    tail_ms: Type.Optional(Ms('How long to keep listening after the last action ends (default 4000)')),
    timeline: Type.Array(ActionSchema, { minItems: 1 }),
  },
  { additionalProperties: false, $id: 'https://crosstalk.dev/schema/scenario-v1.json', title: 'crosstalk scenario' },
);
export type Scenario = Static<typeof ScenarioSchema>;
