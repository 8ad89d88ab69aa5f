/**
 * The keyword spotter's development set, and the only data its thresholds were chosen on:
 * requests written for it (durations drawn from the spec's grammar, one sentence per task verb)
 * and ordinary sentences, in DEV_VOICES (the agent's own eSpeak languages and variants, none a
 * spotter template voice, none used by any suite or by the held-out set). No suite text, voice
 * or result is read here.
 *
 *   npx tsx reference-impl/tools/kws-dev.ts            # hits, misses and false alarms at the defaults, and a threshold sweep
 *
 * Prints: durations heard right / wrong value / missed; task requests heard as a task; ordinary
 * sentences heard as a duration or a task; how often the unit gate opened; CPU per turn.
 */
import { synthesize } from '../../datasets/tts/espeak.ts';
import { createRng } from '../../datasets/prng.ts';
import { quantile } from '../../harness/stats.ts';
import { DEFAULT_SPOTTER, type KeywordSpotter } from '../perception/keywords/spotter.ts';
import { defaultKeywordSpotter } from '../perception/keywords/templates.ts';
import { DURATION_PHRASES, TASK_CUES } from '../perception/keywords/vocabulary.ts';
import { trimToFrames } from '../voice-bank.ts';

const DEV_VOICES = [
  { name: 'en-us-nyc+m1', rate_wpm: 172, pitch: 48 },
  { name: 'en-gb-scotland+anika', rate_wpm: 158, pitch: 56 },
  { name: 'en-us-nyc+Andy', rate_wpm: 188, pitch: 42 },
  { name: 'en-gb-scotland+m8', rate_wpm: 165, pitch: 38 },
];

/** `{d}`: a duration phrase. */
const DEV_DURATION_FRAMES = [
  'Could you let me know when {d} is up?',
  'Set an alarm for {d} from now.',
  'I need a nudge in {d}, please.',
  'Give me a shout after {d} has gone by.',
  'Start a countdown of {d}.',
  'Check on me again in {d}.',
];

/** One request per verb of the vocabulary, each verb where people put it. */
const DEV_TASK_TEXTS: Record<string, string> = {
  'look up': 'Could you look up the opening hours of the pharmacy?',
  check: 'Please check whether the museum is open on Mondays.',
  find: 'Can you find a plumber who works on weekends?',
  search: 'Search the web for a recipe with leeks and potatoes.',
  book: 'Book a table for two at the Thai place.',
  order: 'Order more printer paper for the office.',
  reserve: 'Reserve a parking spot near the stadium.',
  calculate: 'Calculate the tip on a bill of sixty dollars.',
  'work out': 'Can you work out the fastest way to the coast?',
  'figure out': 'Help me figure out which phone plan is cheaper.',
  translate: 'Translate this letter into Portuguese for me.',
  summarize: 'Summarize the reviews of that new laptop.',
  compare: 'Compare the prices of the two blenders.',
  schedule: 'Schedule a call with the landlord on Thursday.',
  remind: 'Remind me about the dentist appointment.',
  research: 'Research the best time to visit Iceland.',
  download: 'Download the latest bank statement.',
  track: 'Track the parcel I sent to my cousin.',
  convert: 'Convert three cups of flour into grams.',
};

/** Ordinary turns, some with words close to the keywords. */
const DEV_OTHER_TEXTS = [
  'My neighbour keeps chickens, and they wake everyone up at dawn.',
  'Is it true that octopuses have three hearts?',
  'We came second in the pub quiz last night.',
  'The minutes from the meeting were never sent round.',
  'Our house is the blue one at the end of the lane.',
  'I think the printer on the third floor is broken again.',
  'What would you cook for a friend who does not eat meat?',
  'She told me the concert was sold out by noon.',
  'How many islands are there in the Philippines?',
  'The train was delayed because of leaves on the line.',
  'I would love to learn the cello one day.',
  'Why do cats knock things off tables?',
  'Our team finally shipped the new website yesterday.',
  'Tell me something interesting about volcanoes.',
  'The soup needs a little more salt, I think.',
  'Which planet has the longest day?',
];

interface DevTurn {
  kind: 'duration' | 'task' | 'other';
  text: string;
  voice: string;
  /** Duration requests: the value asked for. */
  durationMs?: number;
  pcm: Int16Array;
}

/** The dev turns, rendered (seeded: the same durations every run). */
export async function devTurns(perVoiceDurations = 12): Promise<DevTurn[]> {
  const rng = createRng(20_261_206);
  const turns: DevTurn[] = [];
  for (const voice of DEV_VOICES) {
    for (let i = 0; i < perVoiceDurations; i++) {
      const d = rng.pick(DURATION_PHRASES);
      const text = rng.pick(DEV_DURATION_FRAMES).replace('{d}', d.text);
      turns.push({ kind: 'duration', text, voice: voice.name, durationMs: d.durationMs, pcm: trimToFrames((await synthesize(text, voice)).pcm) });
    }
    for (const cue of TASK_CUES) {
      const text = DEV_TASK_TEXTS[cue];
      if (!text) throw new Error(`kws-dev: no dev sentence for the task verb "${cue}"; write one in DEV_TASK_TEXTS`);
      turns.push({ kind: 'task', text, voice: voice.name, pcm: trimToFrames((await synthesize(text, voice)).pcm) });
    }
    for (const text of DEV_OTHER_TEXTS) turns.push({ kind: 'other', text, voice: voice.name, pcm: trimToFrames((await synthesize(text, voice)).pcm) });
  }
  return turns;
}

async function main(): Promise<void> {
  const spotter: KeywordSpotter = await defaultKeywordSpotter();
  console.log(`templates: ${JSON.stringify(spotter.size)}`);
  const turns = await devTurns();
  const rows: { turn: DevTurn; c: Awaited<ReturnType<KeywordSpotter['closest']>>; cpuMs: number }[] = [];
  for (const turn of turns) {
    const c0 = process.cpuUsage();
    const c = await spotter.closest(turn.pcm);
    const c1 = process.cpuUsage(c0);
    rows.push({ turn, c, cpuMs: (c1.user + c1.system) / 1000 });
  }
  const judge = (maxDurationZ: number, maxTaskZ: number, unitGateZ: number) => {
    const out = { right: 0, wrongValue: 0, missed: 0, taskHeard: 0, taskAsDuration: 0, otherDuration: 0, otherTask: 0 };
    for (const { turn, c } of rows) {
      const gate = Object.values(c.units).some((z) => z <= unitGateZ);
      const duration = gate && c.duration && c.duration.z <= maxDurationZ ? c.duration : null;
      const task = !duration && c.task && c.task.z <= maxTaskZ ? c.task : null;
      if (turn.kind === 'duration') {
        if (!duration) out.missed++;
        else if (duration.durationMs === turn.durationMs) out.right++;
        else out.wrongValue++;
      } else if (turn.kind === 'task') {
        if (task) out.taskHeard++;
        if (duration) out.taskAsDuration++;
      } else {
        if (duration) out.otherDuration++;
        if (task) out.otherTask++;
      }
    }
    return out;
  };
  const n = {
    duration: turns.filter((t) => t.kind === 'duration').length,
    task: turns.filter((t) => t.kind === 'task').length,
    other: turns.filter((t) => t.kind === 'other').length,
  };
  const d = DEFAULT_SPOTTER;
  const at = judge(d.maxDurationZ, d.maxTaskZ, d.unitGateZ);
  console.log(`\nat the defaults (duration z <= ${d.maxDurationZ}, task z <= ${d.maxTaskZ}, unit gate z <= ${d.unitGateZ}):`);
  console.log(`duration requests (${n.duration}): ${at.right} right, ${at.wrongValue} wrong value, ${at.missed} missed`);
  console.log(`task requests (${n.task}): ${at.taskHeard} heard as a task, ${at.taskAsDuration} as a duration`);
  console.log(`other turns (${n.other}): ${at.otherDuration} heard as a duration, ${at.otherTask} as a task`);
  const gateOpen = (kind: DevTurn['kind']) => rows.filter((r) => r.turn.kind === kind && Object.values(r.c.units).some((z) => z <= d.unitGateZ)).length;
  console.log(
    `unit gate open: duration requests ${gateOpen('duration')}/${n.duration}, task requests ${gateOpen('task')}/${n.task}, other ${gateOpen('other')}/${n.other}`,
  );
  const cpu = rows.map((r) => r.cpuMs);
  console.log(`CPU per turn: p50 ${quantile(cpu, 0.5).toFixed(1)} ms, p90 ${quantile(cpu, 0.9).toFixed(1)} ms, max ${Math.max(...cpu).toFixed(1)} ms`);
  for (const r of rows.filter((x) => x.turn.kind === 'duration')) {
    const got = r.c.duration;
    console.log(
      `  ${r.turn.voice.padEnd(22)} ${r.turn.text.padEnd(60)} unit z ${JSON.stringify(Object.fromEntries(Object.entries(r.c.units).map(([k, v]) => [k, Number(v.toFixed(1))])))} -> ${got ? `${got.text} z ${got.z.toFixed(2)}` : '-'}`,
    );
  }
  console.log('\nsweep: durationZ taskZ gateZ | right wrong missed | tasks heard | other: duration task');
  for (const gz of [-1, -1.5, -2, -2.5]) {
    for (const dz of [-2.5, -3, -3.5, -4]) {
      for (const tz of [-3, -3.5, -4, -4.5]) {
        const j = judge(dz, tz, gz);
        console.log(`${dz} ${tz} ${gz} | ${j.right} ${j.wrongValue} ${j.missed} | ${j.taskHeard} | ${j.otherDuration} ${j.otherTask}`);
      }
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
