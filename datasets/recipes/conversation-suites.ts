/**
 * The recipes for seven conversation suites, ten scenarios each, every choice drawn from a
 * seeded generator (identical on every run):
 *   scenarios/visual_interjection, side_talk, background, time_awareness,
 *   simultaneous_speech, background_task, vocal_tics (its recipe: vocal-tics-suite.ts)
 *
 *   npx tsx datasets/recipes/conversation-suites.ts    # rewrites those folders (and the recorded clip)
 *
 * The expectation semantics of each family are fixed here; change the recipe, never the files.
 */
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Action, BedKind, CueKind, Family, Scenario } from '../../harness/scenario/schema.ts';
import { createRng, type Rng } from '../prng.ts';
import { LONG_ANSWER_REQUESTS, MONOLOGUES, QUESTIONS } from './core-texts.ts';
import { headline, parseMarks, round } from './deal.ts';
import { BACKGROUND_LINES, INTERPRET_REQUESTS, RESUMES, SHOW_INTROS, SIDE_REMARKS, SLOW_TASKS, SMALL_TALK, TIME_REQUESTS } from './conversation-texts.ts';
import { shell, writeSuite } from './suite-common.ts';
import { RECORDED_CLIP, RECORDED_CUE_MS, writeRecordedClip } from './recorded-clip.ts';
import { interpretSays } from './interpret-keywords.ts';
import { vocalTics } from './vocal-tics-suite.ts';

const CONVERSATION_SUITES_SEED = 20_261_126;
export const SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));
export const SCENARIOS_PER_FAMILY = 10;

type Builder = (rng: Rng, index: number) => Scenario;

/** The drawn cues of the suite, in the order scenarios 1-9 take them, each on its scene. */
export const DRAWN_CUES: readonly { cue: Exclude<CueKind, 'recorded'>; scene: 'slide' | 'desk' | 'plain' }[] = [
  { cue: 'highlight', scene: 'slide' },
  { cue: 'raised_hand', scene: 'plain' },
  { cue: 'raised_hand', scene: 'slide' },
  { cue: 'object_appears', scene: 'desk' },
  { cue: 'object_moves', scene: 'desk' },
  { cue: 'color_change', scene: 'desk' },
];

const visual: Builder = (rng, i) => {
  const recorded = i === SCENARIOS_PER_FAMILY;
  const intro: Action = {
    id: 'intro',
    at_ms: round(rng.int(500, 1200), 10),
    speak: { text: rng.pick(SHOW_INTROS) },
    expect: [{ take_turn: { within_ms: 2000 } }],
  };
  const { cue, scene } = DRAWN_CUES[(i - 1) % DRAWN_CUES.length];
  const fps = rng.pick([1, 2, 2, 2]);
  const show: Action = recorded
    ? { id: 'cue', at_ms: RECORDED_CUE_MS, show: { cue: 'recorded', ms: 5000 }, expect: [{ react: { within_ms: 3000 } }] }
    : {
        id: 'cue',
        after: { event: 'agent_speech_end', delay_ms: round(rng.int(3500, 6000), 10), timeout_ms: 20_000 },
        show: { cue, ms: round(rng.int(4000, 6000), 100) },
        expect: [{ react: { within_ms: 3000 } }],
      };
  return shell(rng, 'visual_interjection', i, {
    title: recorded ? 'A raised hand in a recorded clip' : `Visual cue: ${cue.replace('_', ' ')} on a ${scene}`,
    description:
      'The user shows something and goes quiet; later a cue appears in the video that calls for a reaction although nobody speaks. A good partner stays quiet until the cue, then reacts promptly.',
    timeline: [intro, show],
    tags: [recorded ? 'recorded-video' : cue, `${fps}fps`],
    extra: { video: recorded ? { file: RECORDED_CLIP, fps } : { fps, scene } },
  });
};

const sideTalk: Builder = (rng, i) => {
  const whileSpeaking = i <= 6;
  const ask: Action = {
    id: 'ask',
    at_ms: round(rng.int(500, 1200), 10),
    speak: { text: whileSpeaking ? rng.pick(LONG_ANSWER_REQUESTS) : rng.pick(QUESTIONS) },
    expect: [{ take_turn: { within_ms: 2000 } }],
  };
  const gain = rng.pick([-8, -8, -6, -10]);
  const aside: Action = {
    id: 'aside',
    after: whileSpeaking
      ? { event: 'agent_speech_start', delay_ms: round(rng.int(1000, 2500), 10), timeout_ms: 10_000 }
      : { event: 'agent_speech_end', delay_ms: round(rng.int(800, 1500), 10), timeout_ms: 20_000 },
    side_talk: { text: rng.pick(SIDE_REMARKS), ...(gain === -8 ? {} : { gain_db: gain }) },
    expect: [{ ignore: {} }],
  };
  const back: Action = {
    id: 'back',
    after: { event: 'action_end', delay_ms: round(rng.int(1500, 3000), 10) },
    speak: { text: rng.pick(RESUMES) },
    expect: [{ take_turn: { within_ms: 2000 } }],
  };
  return shell(rng, 'side_talk', i, {
    title: `Side talk ${whileSpeaking ? 'while the agent talks' : 'in a silence'}: "${headline(aside.side_talk!.text!)}"`,
    description:
      'The user turns to someone else (quieter, duller, with room reflections), then comes back. A good partner neither answers the side talk nor stops for it, and picks up when the user is back.',
    timeline: [ask, aside, back],
    tags: [whileSpeaking ? 'during-agent-speech' : 'during-silence', `${gain}dB`],
  });
};

const BEDS: readonly { noise?: BedKind; snr?: number }[] = [
  { noise: 'babble', snr: 10 },
  { noise: 'babble', snr: 0 },
  { noise: 'music', snr: 10 },
  { noise: 'music', snr: 20 },
  { noise: 'white', snr: 20 },
  { noise: 'pink', snr: 10 },
  { noise: 'brown', snr: 0 },
  {},
  {},
  { noise: 'pink', snr: 0 },
];

const background: Builder = (rng, i) => {
  const bed = BEDS[(i - 1) % BEDS.length];
  const q1: Action = { id: 'q1', at_ms: round(rng.int(500, 1200), 10), speak: { text: rng.pick(QUESTIONS) }, expect: [{ take_turn: { within_ms: 2000 } }] };
  const source = bed.noise ? { noise: bed.noise, ms: 14_000, snr_db: bed.snr! } : { text: rng.pick(BACKGROUND_LINES) };
  const bg: Action = {
    id: 'bg',
    after: { event: 'agent_speech_end', delay_ms: round(rng.int(1000, 2000), 10), timeout_ms: 20_000 },
    background: source,
    expect: [{ ignore: {} }],
  };
  let q2Text = rng.pick(QUESTIONS);
  while (q2Text === q1.speak!.text) q2Text = rng.pick(QUESTIONS);
  const q2: Action = {
    id: 'q2',
    after: { event: 'action_start', action: 'bg', delay_ms: round(rng.int(1500, 3000), 10) },
    speak: { text: q2Text },
    expect: [{ take_turn: { within_ms: 2000 } }, { latency_degradation: { baseline: 'q1' } }],
  };
  return shell(rng, 'background', i, {
    title: bed.noise ? `Question over ${bed.noise} at ${bed.snr} dB SNR` : 'Question over another voice',
    description:
      'The user asks once in the clear and once over background sound (low-passed, echoed). A good partner does not take the turn because of the background, and answers as fast as in the clear.',
    timeline: [q1, bg, q2],
    tags: bed.noise ? [bed.noise, `snr${bed.snr}`] : ['voice'],
  });
};

const timeAwareness: Builder = (rng, i) => {
  const req = TIME_REQUESTS[(i - 1) % TIME_REQUESTS.length];
  const withinMs = Math.max(1000, round(req.afterMs * 0.1, 100));
  const timeline: Action[] = [
    {
      id: 'ask',
      at_ms: round(rng.int(500, 1200), 10),
      speak: { text: req.text },
      expect: [{ speak_at: { after_ms: req.afterMs, within_ms: withinMs, says: req.says } }],
    },
  ];
  const chatter = req.afterMs >= 20_000 && i % 2 === 0;
  if (chatter)
    timeline.push({
      id: 'meanwhile',
      after: { event: 'agent_speech_end', delay_ms: round(rng.int(2000, 4000), 10), timeout_ms: 15_000 },
      speak: { text: rng.pick(SMALL_TALK) },
      expect: [{ take_turn: { within_ms: 2000 } }],
    });
  return shell(rng, 'time_awareness', i, {
    title: `Timing: "${req.text}"`,
    description: 'The user asks to be told when a time has passed. A good partner acknowledges, then speaks up at the requested time.',
    timeline,
    tags: [`${req.afterMs / 1000}s`, ...(chatter ? ['chatter'] : [])],
    extra: { duration_ms: req.afterMs + 30_000 },
  });
};

const simultaneous: Builder = (rng, i) => {
  const monologue = (i - 1) % MONOLOGUES.length;
  const { text, marks } = parseMarks(MONOLOGUES[monologue]);
  const pauses = marks.map((after_word) => ({ after_word, ms: round(rng.int(300, 800), 10) }));
  // Drawn in their old order (at_ms, then the request), so every later draw of the suite is unchanged.
  const requestAtMs = round(rng.int(500, 1200), 10);
  const request = rng.pick(INTERPRET_REQUESTS);
  return shell(rng, 'simultaneous_speech', i, {
    title: `Live interpretation: "${headline(text)}"`,
    description:
      'The user asks for live interpretation and then speaks on. A good interpreter speaks in overlap, a steady few seconds behind, and does not fall silent.',
    timeline: [
      { id: 'request', at_ms: requestAtMs, speak: { text: request.text }, expect: [{ take_turn: { within_ms: 2000 } }] },
      {
        id: 'speech',
        after: { event: 'agent_speech_end', delay_ms: round(rng.int(800, 1500), 10), timeout_ms: 15_000 },
        speak: { text, pauses },
        expect: [{ interpret: { max_span_ms: 4000, says: interpretSays(monologue, request.language) } }],
      },
    ],
    tags: [`${pauses.length}-pauses`],
  });
};

const backgroundTask: Builder = (rng, i) => {
  const task = SLOW_TASKS[(i - 1) % SLOW_TASKS.length];
  const timeline: Action[] = [
    {
      id: 'task',
      at_ms: round(rng.int(500, 1200), 10),
      speak: { text: task.text },
      expect: [{ take_turn: { within_ms: 2000 } }, { deliver: { due_after_ms: task.dueAfterMs, within_ms: 5000, says: task.says } }],
    },
  ];
  const chats = rng.int(1, 2);
  for (let k = 1; k <= chats; k++) {
    timeline.push({
      id: `chat${k}`,
      after: { event: 'agent_speech_end', delay_ms: round(rng.int(1000, 2500), 10), timeout_ms: 15_000 },
      speak: { text: rng.pick(SMALL_TALK) },
      expect: [{ take_turn: { within_ms: 2000 } }],
    });
  }
  return shell(rng, 'background_task', i, {
    title: `Slow task: "${headline(task.text)}"`,
    description:
      'The user asks for something slow and chats meanwhile. A good partner keeps the conversation going and brings the result in soon after it is due, not over the user.',
    timeline,
    tags: [`due${task.dueAfterMs / 1000}s`, `${chats}-chats`],
    extra: { duration_ms: task.dueAfterMs + 40_000 },
  });
};

export const BUILDERS: Readonly<
  Record<Exclude<Family, 'turn_taking' | 'pause' | 'backchannel' | 'interruption' | 'user_backchannel' | 'long_session'>, Builder>
> = {
  visual_interjection: visual,
  side_talk: sideTalk,
  background,
  time_awareness: timeAwareness,
  simultaneous_speech: simultaneous,
  background_task: backgroundTask,
  vocal_tics: vocalTics,
};

export function buildSuite(family: keyof typeof BUILDERS, seed = CONVERSATION_SUITES_SEED): Scenario[] {
  const rng = createRng(seed + Object.keys(BUILDERS).indexOf(family));
  return Array.from({ length: SCENARIOS_PER_FAMILY }, (_, k) => BUILDERS[family](rng, k + 1));
}

async function writeConversationSuites(root = SCENARIOS_DIR): Promise<string[]> {
  await writeRecordedClip(resolve(root, 'visual_interjection'));
  return Object.keys(BUILDERS).flatMap((family) =>
    writeSuite(resolve(root, family), buildSuite(family as keyof typeof BUILDERS), 'datasets/recipes/conversation-suites.ts'),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const files = await writeConversationSuites();
  console.log(`wrote ${files.length} scenarios under ${SCENARIOS_DIR}`);
}
