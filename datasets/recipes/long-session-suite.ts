/**
 * The recipe for scenarios/long_session/: a 30- and a 60-minute conversation mixing the other
 * families, one block a minute. Each block starts at an absolute time (so a skipped reactive
 * action never takes the rest of the session with it) and holds one family's exchange: a
 * question, a mid-turn pause, a barge-in, a backchannel, side talk, a question over another
 * voice, a visual cue, a timing request or a slow task. Scored like the other families, plus
 * the drift of every family's numbers between the first and last third (harness/metrics/long-session.ts).
 *
 *   npx tsx datasets/recipes/long-session-suite.ts
 */
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Action, Scenario } from '../../harness/scenario/schema.ts';
import { createRng, type Rng } from '../prng.ts';
import { INTERRUPTIONS, LONG_ANSWER_REQUESTS, PAUSE_TEXTS, QUESTIONS, USER_BACKCHANNELS } from './core-texts.ts';
import { parseMarks, round } from './deal.ts';
import { BACKGROUND_LINES, RESUMES, SIDE_REMARKS, SLOW_TASKS } from './conversation-texts.ts';
import { shell, writeSuite } from './suite-common.ts';

const LONG_SESSION_SEED = 20_261_127;
const LONG_SESSION_DIR = fileURLToPath(new URL('../../scenarios/long_session/', import.meta.url));
export const LONG_SESSION_MINUTES = [30, 60] as const;
const BLOCK_MS = 60_000;

type Block = (rng: Rng, id: (name: string) => string, atMs: number) => Action[];

const onSpeech = (delayMs: number) => ({ event: 'agent_speech_start' as const, delay_ms: delayMs, timeout_ms: 15_000 });

const BLOCKS: Record<string, Block> = {
  turn: (rng, id, at) => [{ id: id('ask'), at_ms: at, speak: { text: rng.pick(QUESTIONS) }, expect: [{ take_turn: { within_ms: 2000 } }] }],
  pause: (rng, id, at) => {
    const { text, marks } = parseMarks(rng.pick(PAUSE_TEXTS));
    return [
      {
        id: id('ask'),
        at_ms: at,
        speak: { text, pauses: [{ after_word: rng.pick(marks), ms: round(rng.int(600, 2000), 10) }] },
        expect: [{ no_takeover: {} }, { take_turn: { within_ms: 2000 } }],
      },
    ];
  },
  barge: (rng, id, at) => [
    { id: id('ask'), at_ms: at, speak: { text: rng.pick(LONG_ANSWER_REQUESTS) }, expect: [{ take_turn: { within_ms: 2000 } }] },
    {
      id: id('barge'),
      after: onSpeech(round(rng.int(1000, 2500), 10)),
      speak: { text: rng.pick(INTERRUPTIONS) },
      expect: [{ stop: { within_ms: 1500 } }, { answer: { within_ms: 2500 } }],
    },
  ],
  mhm: (rng, id, at) => [
    { id: id('ask'), at_ms: at, speak: { text: rng.pick(LONG_ANSWER_REQUESTS) }, expect: [{ take_turn: { within_ms: 2000 } }] },
    { id: id('mhm'), after: onSpeech(round(rng.int(1000, 2500), 10)), backchannel: { text: rng.pick(USER_BACKCHANNELS) }, expect: [{ keep_talking: {} }] },
  ],
  side: (rng, id, at) => [
    { id: id('aside'), at_ms: at, side_talk: { text: rng.pick(SIDE_REMARKS) }, expect: [{ ignore: {} }] },
    {
      id: id('back'),
      after: { event: 'action_end', delay_ms: round(rng.int(1500, 3000), 10) },
      speak: { text: rng.pick(RESUMES) },
      expect: [{ take_turn: { within_ms: 2000 } }],
    },
  ],
  voice: (rng, id, at) => [
    { id: id('bg'), at_ms: at, background: { text: rng.pick(BACKGROUND_LINES) }, expect: [{ ignore: {} }] },
    {
      id: id('ask'),
      after: { event: 'action_start', delay_ms: round(rng.int(1500, 3000), 10) },
      speak: { text: rng.pick(QUESTIONS) },
      expect: [{ take_turn: { within_ms: 2000 } }, { latency_degradation: { baseline: 'b00-ask' } }],
    },
  ],
  visual: (rng, id, at) => [
    {
      id: id('cue'),
      at_ms: at + 3000,
      show: { cue: rng.pick(['raised_hand', 'object_appears', 'color_change', 'object_moves'] as const), ms: 5000 },
      expect: [{ react: { within_ms: 3000 } }],
    },
  ],
  time: (rng, id, at) => [
    { id: id('ask'), at_ms: at, speak: { text: 'Tell me when twenty seconds have passed.' }, expect: [{ speak_at: { after_ms: 20_000, within_ms: 2000 } }] },
  ],
  task: (rng, id, at) => {
    const task = rng.pick(SLOW_TASKS);
    return [
      {
        id: id('ask'),
        at_ms: at,
        speak: { text: task.text },
        expect: [{ take_turn: { within_ms: 2000 } }, { deliver: { due_after_ms: task.dueAfterMs, within_ms: 5000 } }],
      },
    ];
  },
};

/**
 * Block kinds in session order: block 0 is a clean question (the baseline of the background
 * blocks' latency degradation); each third of the session then holds every kind once, in a
 * seeded order, topped up with random kinds, so early and late can be compared for every family.
 */
function blockKinds(rng: Rng, minutes: number): string[] {
  const kinds = Object.keys(BLOCKS);
  const out = ['turn'];
  for (let third = 0; third < 3; third++) {
    const size = Math.round(((third + 1) * minutes) / 3) - Math.round((third * minutes) / 3) - (third === 0 ? 1 : 0);
    const order = [...kinds];
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [order[i], order[j]] = [order[j], order[i]];
    }
    while (order.length < size) order.push(rng.pick(kinds));
    out.push(...order.slice(0, size));
  }
  return out;
}

export function buildLongSession(minutes: number, seed = LONG_SESSION_SEED): Scenario {
  const rng = createRng(seed + minutes);
  const timeline: Action[] = [];
  blockKinds(rng, minutes).forEach((kind, k) => {
    const prefix = `b${String(k).padStart(2, '0')}`;
    timeline.push(...BLOCKS[kind](rng, (name) => `${prefix}-${name}`, k * BLOCK_MS + 500));
  });
  return shell(rng, 'long_session', minutes === 30 ? 1 : 2, {
    title: `A ${minutes}-minute conversation mixing every family`,
    description:
      "One exchange a minute from every family. Scored per family, plus the drift of each metric between the first and the last third of the session, and the harness's own pacing.",
    timeline,
    tags: [`${minutes}min`],
    extra: { video: { fps: 1, scene: 'desk' }, duration_ms: minutes * BLOCK_MS + 30_000 },
  });
}

function writeLongSessions(dir = LONG_SESSION_DIR): string[] {
  return writeSuite(
    dir,
    LONG_SESSION_MINUTES.map((m) => buildLongSession(m)),
    'datasets/recipes/long-session-suite.ts',
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  console.log(`wrote ${writeLongSessions().length} scenarios to ${LONG_SESSION_DIR}`);
}
