/**
 * The recipe of the vocal_tics suite (scenarios/vocal_tics, ten scenarios; registered in
 * conversation-suites.ts, which writes it): "um", "uh", a cough, a laugh, a throat-clear, a
 * breath, where a good partner neither yields nor takes the floor. Every sound is heard at
 * least once; three placements (PLAN):
 * - inside a turn: the tic in a hesitation at a clause boundary of one fluent rendering; the
 *   turn expects no_takeover (judged in vocal_tics) and take_turn at its real end;
 * - while the agent talks: a tic of its own 1.5-3 s into the answer, keep_talking (as a user
 *   backchannel in the core suite);
 * - in a silence: a tic of its own 1-2 s after the answer ends, ignore; then a follow-up
 *   question, take_turn.
 * Gaps, gains, voices and texts are drawn from the seeded generator.
 */
import type { Action, InTurnTic, Scenario, TicSound } from '../../harness/scenario/schema.ts';
import type { Rng } from '../prng.ts';
import { FOLLOW_UPS, LONG_ANSWER_REQUESTS, PAUSE_TEXTS, QUESTIONS } from './core-texts.ts';
import { headline, parseMarks, round } from './deal.ts';
import { shell } from './suite-common.ts';

type Placement = 'in-turn' | 'during-agent-speech' | 'during-silence';

/** Scenario i (from 1) plays PLAN[i - 1]. */
export const PLAN: readonly { placement: Placement; sounds: readonly TicSound[] }[] = [
  { placement: 'in-turn', sounds: ['um'] },
  { placement: 'in-turn', sounds: ['uh'] },
  { placement: 'in-turn', sounds: ['cough'] },
  { placement: 'in-turn', sounds: ['laugh', 'breath'] },
  { placement: 'during-agent-speech', sounds: ['cough'] },
  { placement: 'during-agent-speech', sounds: ['laugh'] },
  { placement: 'during-agent-speech', sounds: ['throat_clear'] },
  { placement: 'during-silence', sounds: ['um'] },
  { placement: 'during-silence', sounds: ['breath'] },
  { placement: 'during-silence', sounds: ['throat_clear'] },
];

const SOUND_NAMES: Record<TicSound, string> = {
  um: '"um"',
  uh: '"uh"',
  cough: 'a cough',
  laugh: 'a laugh',
  throat_clear: 'a throat-clear',
  breath: 'a breath',
};

const DESCRIPTIONS: Record<Placement, string> = {
  'in-turn':
    'The user hesitates mid-turn with a vocal tic in the hesitation, then goes on. A good partner neither takes the floor in the hesitation nor answers the tic, and takes the turn when it really ends.',
  'during-agent-speech':
    'The user makes a vocal tic while the agent answers. It is no bid for the floor: a good partner talks on without a stop or a drop-out.',
  'during-silence': 'The user makes a vocal tic in a silence after the answer. A good partner does not answer it, and answers the follow-up question.',
};

/** A level change for a tic: mostly none, sometimes a little softer or louder. */
const gainOf = (rng: Rng): { gain_db?: number } => {
  const gain = rng.pick([0, 0, -4, 3]);
  return gain === 0 ? {} : { gain_db: gain };
};

export function vocalTics(rng: Rng, index: number): Scenario {
  const { placement, sounds } = PLAN[(index - 1) % PLAN.length];
  const atMs = round(rng.int(500, 1200), 10);
  let timeline: Action[];
  let title: string;
  if (placement === 'in-turn') {
    const { text, marks } = parseMarks(rng.pick(PAUSE_TEXTS));
    const tics: InTurnTic[] = sounds.map((sound, k) => ({
      after_word: marks[k],
      sound,
      ...gainOf(rng),
      gap_before_ms: round(rng.int(100, 300), 10),
      gap_after_ms: round(rng.int(1200, 1800), 10),
    }));
    timeline = [{ id: 'ask', at_ms: atMs, speak: { text, tics }, expect: [{ take_turn: { within_ms: 2000 } }, { no_takeover: {} }] }];
    title = `${sounds.map((s) => SOUND_NAMES[s]).join(' and ')} inside the turn: "${headline(text)}"`;
  } else {
    const whileSpeaking = placement === 'during-agent-speech';
    const ask: Action = {
      id: 'ask',
      at_ms: atMs,
      speak: { text: rng.pick(whileSpeaking ? LONG_ANSWER_REQUESTS : QUESTIONS) },
      expect: [{ take_turn: { within_ms: 2000 } }],
    };
    const tic: Action = {
      id: 'tic',
      after: whileSpeaking
        ? { event: 'agent_speech_start', delay_ms: round(rng.int(1500, 3000), 10), timeout_ms: 10_000 }
        : { event: 'agent_speech_end', delay_ms: round(rng.int(1000, 2000), 10), timeout_ms: 20_000 },
      vocal_tic: { sound: sounds[0], ...gainOf(rng) },
      expect: [whileSpeaking ? { keep_talking: {} } : { ignore: {} }],
    };
    timeline = [ask, tic];
    // In a silence the follow-up waits past the tic's response window (1.5 s after its end).
    if (!whileSpeaking)
      timeline.push({
        id: 'follow_up',
        after: { event: 'action_end', delay_ms: round(rng.int(1800, 3000), 10) },
        speak: { text: rng.pick(FOLLOW_UPS) },
        expect: [{ take_turn: { within_ms: 2000 } }],
      });
    title = `${SOUND_NAMES[sounds[0]]} ${whileSpeaking ? 'while the agent talks' : 'in a silence'}`;
  }
  return shell(rng, 'vocal_tics', index, {
    title: title.charAt(0).toUpperCase() + title.slice(1),
    description: DESCRIPTIONS[placement],
    timeline,
    tags: [placement, ...sounds],
  });
}
